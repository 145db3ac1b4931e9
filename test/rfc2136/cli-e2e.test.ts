/**
 * The rfc2136 provider end to end through the real CLI against BIND 9:
 * first sync, no-op re-sync (no UPDATE: the SOA serial stays), a wrong
 * secret (clear error, nothing written), and DNS over TLS with and without
 * --tls-ca in the GovCloud shape (SSL_CERT_FILE = the OS bundle).
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock, systemRandom } from '../../src/util/clock.ts';
import { startBind, type DnsTestServer } from '../support/dns-servers.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { scratchDir } from '../support/scratch-dir.ts';

const PLAIN = 'plain.example';
const DOT = 'dot.example';
const ENV = { SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt', SSL_CERT_DIR: '/etc/ssl/certs' };

let bind: DnsTestServer;
let pki: Pki;
let scratch: { dir: string; done: () => void };
let manifests: string;

before(async () => {
  scratch = scratchDir('extdns-rfc2136-e2e-');
  pki = await createPki();
  const certFile = await pki.write('dot-chain.pem', pki.chain(pki.leaf, pki.intermediateA1));
  bind = await startBind({ zones: [PLAIN, DOT], tls: { certFile, keyFile: pki.leaf.keyFile } });
  manifests = join(scratch.dir, 'manifests');
  await mkdir(manifests);
  const endpoints = [PLAIN, DOT].flatMap((z) => [
    `    - dnsName: api.${z}`, '      recordType: A', '      targets: [192.0.2.10, 192.0.2.11]', '      recordTTL: 300',
    `    - dnsName: portal.${z}`, '      recordType: CNAME', `      targets: [api.${z}]`,
  ]);
  await writeFile(join(manifests, 'records.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1', 'kind: DNSEndpoint', 'metadata:', '  name: web', '  namespace: default', 'spec:', '  endpoints:', ...endpoints, '',
  ].join('\n'));
});

after(async () => {
  await bind?.stop();
  await pki?.cleanup();
  scratch?.done();
});

async function extdns(argv: readonly string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(argv, {
    env: { ...ENV }, stdout: (t) => { stderr += t; }, stderr: (t) => { stderr += t; },
    clock: systemClock, random: systemRandom, signal: new AbortController().signal,
  });
  return { code, stderr };
}

function flags(zone: string, secret = bind.key().secret): string[] {
  const key = bind.key();
  return [
    '--source=manifest', `--manifest-path=${manifests}`, '--provider=rfc2136', '--rfc2136-host=127.0.0.1',
    `--rfc2136-zone=${zone}`, `--rfc2136-tsig-keyname=${key.name}`, `--rfc2136-tsig-secret=${secret}`,
    `--rfc2136-tsig-secret-alg=${key.algorithm}`, '--rfc2136-axfr', '--txt-owner-id=e2e', '--policy=sync', `--domain-filter=${zone}`, '--once',
  ];
}

const plainFlags = (secret?: string): string[] => [...flags(PLAIN, secret), `--rfc2136-port=${bind.port}`];
const dotFlags = (): string[] => [...flags(DOT), `--rfc2136-port=${bind.tlsPort ?? 0}`, '--rfc2136-use-tls'];

test('first sync: the records and their ownership TXTs land', async () => {
  const run = await extdns(plainFlags());
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((await bind.dig(`api.${PLAIN}`, 'A')).sort(), ['192.0.2.10', '192.0.2.11']);
  assert.deepEqual(await bind.dig(`portal.${PLAIN}`, 'CNAME'), [`api.${PLAIN}.`]);
  assert.match((await bind.dig(`a-api.${PLAIN}`, 'TXT')).join(''), /heritage=external-dns,external-dns\/owner=e2e/);
  assert.ok(!run.stderr.includes(bind.key().secret), 'the TSIG secret must not be logged');
});

test('no-op re-sync: no UPDATE is sent, the SOA serial stays', async () => {
  const serial = await bind.serial(PLAIN);
  const run = await extdns(plainFlags());
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /All records are already up to date/);
  assert.equal(await bind.serial(PLAIN), serial);
});

test('a wrong secret fails with BADSIG in plain words, and nothing is written', async () => {
  await bind.nsupdate(`update delete portal.${PLAIN} CNAME`);
  const serial = await bind.serial(PLAIN);
  const wrong = Buffer.alloc(32, 3).toString('base64');
  const run = await extdns(plainFlags(wrong));
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /EXTDNS_RFC2136_TSIG/);
  assert.match(run.stderr, /BADSIG: the server could not verify the signature/);
  assert.ok(!run.stderr.includes(wrong), 'the TSIG secret must not be logged');
  assert.equal(await bind.serial(PLAIN), serial);
});

test('DoT with --tls-ca (SSL_CERT_FILE = OS bundle): UPDATE and AXFR over TLS; the trust report names the private CA', async () => {
  const run = await extdns([...dotFlags(), `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((await bind.dig(`api.${DOT}`, 'A')).sort(), ['192.0.2.10', '192.0.2.11']);
  const trustLine = run.stderr.split('\n').find((l) => l.includes('msg="TLS trust"')) ?? '';
  assert.match(trustLine, /connection=rfc2136/);
  assert.ok(trustLine.includes(`flag --tls-ca=${pki.rootA.certFile}`), trustLine);
  const serial = await bind.serial(DOT);
  const again = await extdns([...dotFlags(), `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /All records are already up to date/);
  assert.equal(await bind.serial(DOT), serial);
});

test('DoT without --tls-ca: the run fails naming the untrusted certificate, nothing written', async () => {
  await bind.nsupdate(`update delete portal.${DOT} CNAME`, DOT);
  const serial = await bind.serial(DOT);
  const run = await extdns(dotFlags());
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /EXTDNS_RFC2136_UNREACHABLE/);
  assert.match(run.stderr, /certificate|issuer/i);
  assert.equal(await bind.serial(DOT), serial);
});

test('--rfc2136-gss-tsig is refused with a coded error saying why', async () => {
  const run = await extdns([...plainFlags(), '--rfc2136-gss-tsig', '--rfc2136-insecure=false', '--rfc2136-kerberos-realm=EXAMPLE', '--rfc2136-kerberos-username=u', '--rfc2136-kerberos-password=p']);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /EXTDNS_RFC2136_CONFIG/);
  assert.match(run.stderr, /GSS-TSIG needs a Kerberos/);
});

test('extdns doctor checks the DoT endpoint: OK with --tls-ca, unknown-ca naming the CA without', async () => {
  const base = ['doctor', '--provider=rfc2136', '--rfc2136-host=127.0.0.1', `--rfc2136-port=${bind.tlsPort ?? 0}`, '--rfc2136-use-tls',
    `--rfc2136-zone=${DOT}`, `--rfc2136-tsig-keyname=${bind.key().name}`, `--rfc2136-tsig-secret=${bind.key().secret}`, `--rfc2136-tsig-secret-alg=${bind.key().algorithm}`];
  const good = await extdns([...base, `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stderr, /OK\s+rfc2136\s+https:\/\/127\.0\.0\.1:\d+\s+TLSv1\.3/);
  const bad = await extdns(base);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /FAIL rfc2136 .*unknown-ca/);
  assert.match(bad.stderr, /extdns test root A/);
});
