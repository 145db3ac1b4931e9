/**
 * Route53 through proxies, end to end: the extdns CLI as a subprocess with an
 * explicit environment, the Route53 test server under a host name only the
 * proxy can resolve (r53.proxy-only.test → 127.0.0.1 in the proxy's own table).
 *
 * - a plain CONNECT proxy (with credentials): the sync lands through it, the
 *   trust report names the proxy, the proxy password is never printed;
 * - NO_PROXY keeps the host direct (and then the name does not resolve);
 * - squid-openssl with ssl_bump (a real TLS-inspecting proxy): the run fails
 *   naming the proxy's CA and the fix, doctor says the same, and with that
 *   CA in --tls-ca the sync lands.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.ts';
import { runExtdnsProcess, type ProcessOutcome } from '../support/extdns-process.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { startRoute53Server, type Route53Server } from '../support/route53-server.ts';
import { startSquid, type Squid } from '../support/squid.ts';

const ZONE = 'proxied.example';
const HOST = 'r53.proxy-only.test';
const PROXY_PASSWORD = 'proxy-pw-4711';

let pki: Pki;
let server: Route53Server;
let proxy: ConnectProxy;
let squid: Squid;
let zoneId: string;
let dir: string;
let endpoint: string;

before(async () => {
  pki = await createPki();
  const leaf = await pki.issueLeaf('r53-proxy-only', `DNS:${HOST}`);
  server = await startRoute53Server({ chain: pki.chain(leaf, pki.intermediateA1), key: leaf.key });
  zoneId = server.addZone(ZONE);
  endpoint = `https://${HOST}:${new URL(server.url).port}`;
  proxy = await startConnectProxy({ hosts: { [HOST]: '127.0.0.1' }, credentials: `extdns:${PROXY_PASSWORD}` });
  squid = await startSquid({ hosts: { [HOST]: '127.0.0.1' }, originCaFile: pki.rootA.certFile });
  dir = await mkdtemp(join(tmpdir(), 'extdns-proxy-'));
  await writeFile(join(dir, 'records.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1', 'kind: DNSEndpoint', 'metadata: {name: api, namespace: default}', 'spec:', '  endpoints:',
    `    - {dnsName: api.${ZONE}, recordType: A, targets: [192.0.2.10]}`, '',
  ].join('\n'));
});

after(async () => {
  await squid?.close();
  await proxy?.close();
  await server?.stop();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function extdns(argv: readonly string[], env: Record<string, string>): Promise<ProcessOutcome> {
  return runExtdnsProcess(argv, {
    HOME: dir, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_ENDPOINT_URL_ROUTE_53: endpoint, AWS_EC2_METADATA_DISABLED: 'true', ...env,
  });
}

const run = (): string[] => ['--source=manifest', `--manifest-path=${dir}`, '--provider=aws', '--txt-owner-id=proxy', '--policy=sync', `--domain-filter=${ZONE}`, '--once'];
const viaProxy = (): Record<string, string> => ({ HTTPS_PROXY: `http://extdns:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}` });
const trustLine = (stderr: string): string => stderr.split('\n').find((l) => l.includes('msg="TLS trust"')) ?? '';

test('through a CONNECT proxy the sync lands; the trust report names the proxy, never its password', async () => {
  const tunnels = proxy.tunnels.length;
  const out = await extdns([...run(), `--tls-ca=${pki.rootA.certFile}`], viaProxy());
  assert.equal(out.code, 0, out.stderr);
  assert.ok(server.recordSets(zoneId).some((s) => s.name === `api.${ZONE}.` && s.type === 'A'), 'the A record was written');
  assert.ok(proxy.tunnels.slice(tunnels).every((t) => t === `${HOST}:${new URL(server.url).port}`));
  assert.ok(proxy.tunnels.length > tunnels, 'the requests went through the proxy');
  assert.ok(trustLine(out.stderr).includes(`proxy="proxy http://extdns:*****@127.0.0.1:${proxy.port} (HTTPS_PROXY)"`), trustLine(out.stderr));
  assert.ok(!`${out.stdout}${out.stderr}`.includes(PROXY_PASSWORD));
});

test('wrong proxy credentials: the run says the proxy wants credentials, without printing them', async () => {
  const out = await extdns([...run(), '--aws-api-retries=0', `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: `http://extdns:wrong-${PROXY_PASSWORD}@127.0.0.1:${proxy.port}` });
  assert.equal(out.code, 1, out.stderr);
  assert.match(out.stderr, /407/);
  assert.ok(!out.stderr.includes(PROXY_PASSWORD));
});

test('NO_PROXY keeps the host direct: no tunnel, and the name (known only to the proxy) does not resolve', async () => {
  const tunnels = proxy.tunnels.length;
  const out = await extdns([...run(), '--aws-api-retries=0', `--tls-ca=${pki.rootA.certFile}`], { ...viaProxy(), NO_PROXY: 'example.org,.proxy-only.test' });
  assert.equal(out.code, 1, out.stderr);
  assert.match(out.stderr, /ENOTFOUND|EAI_AGAIN/);
  assert.equal(proxy.tunnels.length, tunnels);
  const trust = await extdns(['trust', ...run()], { ...viaProxy(), NO_PROXY: 'proxy-only.test' });
  assert.match(trust.stdout, /route: direct \(NO_PROXY matches\)/);
});

test('through the TLS-inspecting squid the run fails naming the proxy\'s CA and the fix; with that CA it lands', async () => {
  const env = { HTTPS_PROXY: squid.url };
  const failed = await extdns([...run(), `--tls-ca=${pki.rootA.certFile}`], env);
  assert.equal(failed.code, 1, failed.stderr);
  const error = failed.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_AWS_TLS/);
  assert.ok(error.includes(`issued by \\"${squid.caSubject}\\"`), error);
  assert.match(error, /a proxy is in the path/);
  assert.match(error, /--tls-ca/);

  const record = `inspected.${ZONE}`;
  await writeFile(join(dir, 'more.yaml'), `apiVersion: externaldns.k8s.io/v1alpha1\nkind: DNSEndpoint\nmetadata: {name: more, namespace: default}\nspec:\n  endpoints:\n    - {dnsName: ${record}, recordType: A, targets: [192.0.2.20]}\n`);
  const ok = await extdns([...run(), `--tls-ca=${pki.rootA.certFile}`, `--tls-ca=${squid.caFile}`], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(server.recordSets(zoneId).some((s) => s.name === `${record}.`), 'the record was written through squid');
  assert.ok((await squid.accessLog()).some((l) => l.includes(`CONNECT ${HOST}:`)), 'squid saw the tunnel');
});

test('doctor, with the run\'s flags and standalone with --endpoint, says the same through squid', async () => {
  const env = { HTTPS_PROXY: squid.url };
  const withRun = await extdns(['doctor', ...run(), `--tls-ca=${pki.rootA.certFile}`], env);
  assert.equal(withRun.code, 1, withRun.stdout + withRun.stderr);
  assert.match(withRun.stdout, /^FAIL aws {2}https:\/\/r53\.proxy-only\.test:\d+ {2}\(inspecting-proxy\)/m);
  assert.ok(withRun.stdout.includes(`issued by "${squid.caSubject}"`), withRun.stdout);
  assert.match(withRun.stdout, /a proxy is in the path \(http:\/\/127\.0\.0\.1:\d+ from HTTPS_PROXY\)/);
  assert.match(withRun.stdout, /fix: +give the proxy's CA .* with --tls-ca/);

  const standalone = await extdns(['doctor', `--endpoint=${endpoint}`, `--tls-ca=${pki.rootA.certFile}`], env);
  assert.equal(standalone.code, 1, standalone.stdout + standalone.stderr);
  assert.match(standalone.stdout, /^FAIL endpoint {2}https:\/\/r53\.proxy-only\.test:\d+ {2}\(inspecting-proxy\)/m);

  const fixed = await extdns(['doctor', `--endpoint=${endpoint}`, `--tls-ca=${squid.caFile}`], env);
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /^OK {3}endpoint/m);
});
