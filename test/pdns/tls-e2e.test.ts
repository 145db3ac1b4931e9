/**
 * TLS end to end (issue 4, points 2 and 3): extdns driven through `runCli`
 * against a real PowerDNS behind nginx that serves HTTPS from a throwaway
 * private CA and requires a client certificate.
 *
 * - The GovCloud case: SSL_CERT_FILE/SSL_CERT_DIR name the OS bundle, --tls-ca
 *   the private root, an mTLS client certificate is given: the sync lands in
 *   DNS, the start-up log names the private CA, a second sync writes nothing.
 * - Without --tls-ca, and with a client certificate from another CA: the run
 *   fails with a message about the certificate, and `extdns doctor` with the
 *   same flags says why.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock, systemRandom } from '../../src/util/clock.ts';
import { createTestPki, startNginx, type Nginx, type TestPki } from '../support/nginx.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';

const ZONE = 'gov.example';
/** The OS bundle, given explicitly: the GovCloud set-up where SSL_CERT_FILE is set and the private CA comes from --tls-ca. */
const ENV = { SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt', SSL_CERT_DIR: '/etc/ssl/certs' };

let dir: string;
let pki: TestPki;
let rogue: TestPki;
let pdns: PdnsServer;
let front: Nginx;
let manifestDir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extdns-tls-e2e-'));
  [pki, rogue, pdns] = await Promise.all([
    createTestPki(join(dir, 'pki'), 'extdns-e2e'),
    createTestPki(join(dir, 'rogue'), 'extdns-rogue'),
    startPdns(),
  ]);
  await pdns.createZone(ZONE);
  front = await startNginx({ upstream: pdns.apiUrl, tls: { certFile: pki.serverChainFile, keyFile: pki.serverKeyFile, clientCaFile: pki.clientCaFile } });
  manifestDir = join(dir, 'manifests');
  await mkdir(manifestDir);
  await writeFile(join(manifestDir, 'records.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1',
    'kind: DNSEndpoint',
    'metadata:',
    '  name: gov-api',
    '  namespace: default',
    'spec:',
    '  endpoints:',
    `    - dnsName: api.${ZONE}`,
    '      recordType: A',
    '      targets: [192.0.2.10]',
    `    - dnsName: portal.${ZONE}`,
    '      recordType: CNAME',
    `      targets: [api.${ZONE}]`,
    '',
  ].join('\n'));
});

after(async () => {
  await front?.stop();
  await pdns?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function extdns(argv: readonly string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { ...ENV },
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    clock: systemClock,
    random: systemRandom,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

function baseFlags(): string[] {
  return [
    '--source=manifest', `--manifest-path=${manifestDir}`,
    '--provider=pdns', `--pdns-server=https://127.0.0.1:${front.port}`, `--pdns-api-key=${pdns.apiKey}`,
    '--txt-owner-id=e2e', '--policy=sync', `--domain-filter=${ZONE}`, '--once',
  ];
}

function clientFlags(from: TestPki): string[] {
  return [`--tls-client-cert=${from.clientCertFile}`, `--tls-client-cert-key=${from.clientKeyFile}`];
}

const govCloudFlags = (): string[] => [...baseFlags(), `--tls-ca=${pki.caFile}`, ...clientFlags(pki)];

async function writesSinceMark(): Promise<string[]> {
  return (await front.requestsSinceMark()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);
}

test('GovCloud: OS bundle in SSL_CERT_FILE, private CA in --tls-ca, mTLS: the sync lands and the log names the private CA', async () => {
  await front.mark();
  const run = await extdns(govCloudFlags());
  assert.equal(run.code, 0, run.stderr);

  assert.deepEqual(await pdns.dig(`api.${ZONE}`, 'A'), ['192.0.2.10']);
  assert.deepEqual(await pdns.dig(`portal.${ZONE}`, 'CNAME'), [`api.${ZONE}.`]);
  assert.deepEqual(await writesSinceMark(), [`PATCH /api/v1/servers/localhost/zones/${ZONE}. 204`]);

  // The start-up trust report lists the private CA as a source, by flag, subject and fingerprint, beside the OS bundle.
  const root = new X509Certificate(await readFile(pki.caFile));
  const trustLine = run.stderr.split('\n').find((l) => l.includes('msg="TLS trust"')) ?? '';
  assert.match(trustLine, /connection=pdns/);
  assert.ok(trustLine.includes(`flag --tls-ca=${pki.caFile} (1 cert)`), trustLine);
  assert.ok(trustLine.includes('CN=extdns-e2e Root CA'), trustLine);
  assert.ok(trustLine.includes(root.fingerprint256), trustLine);
  assert.ok(trustLine.includes(`env SSL_CERT_FILE=${ENV.SSL_CERT_FILE}`), trustLine);
  assert.ok(!run.stderr.includes(pdns.apiKey), 'the API key must not be logged');
});

test('GovCloud: a second sync makes no API write', async () => {
  await front.mark();
  const run = await extdns(govCloudFlags());
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /All records are already up to date/);
  assert.deepEqual(await writesSinceMark(), []);
  assert.ok((await front.requestsSinceMark()).length > 0, 'the sync did read the zone through the TLS front');
});

test('without --tls-ca the run fails with a message about the server certificate and writes nothing', async () => {
  await front.mark();
  const run = await extdns([...baseFlags(), ...clientFlags(pki)]);
  assert.equal(run.code, 1, run.stderr);
  const error = run.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_PDNS_TLS/);
  assert.match(error, /unable to get local issuer certificate/);
  assert.match(error, /--tls-ca/);
  assert.match(error, /extdns doctor/);
  assert.deepEqual(await front.requestsSinceMark(), []);
});

test('without --tls-ca, `extdns doctor` names the unknown issuer and suggests --tls-ca', async () => {
  const doctor = await extdns(['doctor', ...baseFlags(), ...clientFlags(pki)]);
  assert.equal(doctor.code, 1, doctor.stdout + doctor.stderr);
  assert.match(doctor.stdout, /^FAIL pdns {2}https:\/\/127\.0\.0\.1:\d+ {2}\(unknown-ca\)/m);
  assert.match(doctor.stdout, /problem: the server's CA "CN=extdns-e2e Root CA" is not in the trust set \(searched: SSL_CERT_FILE/);
  assert.match(doctor.stdout, /fix: +add the certificate of "CN=extdns-e2e Root CA" \(PEM\) with --tls-ca/);
  // The presented chain is shown, so the operator can see which CA to ask for.
  assert.match(doctor.stdout, /chain\[1\]: CN=extdns-e2e Intermediate CA {2}\(issuer CN=extdns-e2e Root CA;/);
});

test('a client certificate from another CA: the run fails saying the client certificate was rejected, and writes nothing', async () => {
  await front.mark();
  const run = await extdns([...baseFlags(), `--tls-ca=${pki.caFile}`, ...clientFlags(rogue)]);
  assert.equal(run.code, 1, run.stderr);
  const error = run.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_PDNS_TLS/);
  assert.match(error, /rejected the client certificate/);
  assert.match(error, /--tls-client-cert/);
  assert.deepEqual(await writesSinceMark(), []);
});

// nginx (`ssl_verify_client on`) completes the handshake and answers HTTP 400 "The SSL certificate error":
// doctor must read that answer, not only TLS alerts.
test('a client certificate from another CA: `extdns doctor` says the client certificate was rejected', async () => {
  const doctor = await extdns(['doctor', ...baseFlags(), `--tls-ca=${pki.caFile}`, ...clientFlags(rogue)]);
  assert.equal(doctor.code, 1, doctor.stdout + doctor.stderr);
  assert.match(doctor.stdout, /^FAIL pdns .*\(client-cert-(rejected|required)\)/m);
  assert.match(doctor.stdout, /rejected our client certificate/);
});

test('no client certificate: the run fails saying one is required, and `extdns doctor` says the same', async () => {
  await front.mark();
  const run = await extdns([...baseFlags(), `--tls-ca=${pki.caFile}`]);
  assert.equal(run.code, 1, run.stderr);
  const error = run.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_PDNS_TLS/);
  assert.match(error, /requires a client certificate; set --tls-client-cert and --tls-client-cert-key/);
  assert.deepEqual(await writesSinceMark(), []);

  const doctor = await extdns(['doctor', ...baseFlags(), `--tls-ca=${pki.caFile}`]);
  assert.equal(doctor.code, 1, doctor.stdout + doctor.stderr);
  assert.match(doctor.stdout, /^FAIL pdns .*\(client-cert-required\)/m);
  assert.match(doctor.stdout, /requires a client certificate and none is configured/);
});
