/**
 * The Cloudflare provider as a process, the way operators run it: the GovCloud
 * shape (SSL_CERT_FILE = the OS bundle, the private CA only in --tls-ca), with
 * and without --tls-ca, the token from a `file:` path, and through HTTPS_PROXY
 * (a CONNECT proxy that alone resolves the API's host name). The SDK's
 * requests go through the trust module's dispatcher in every case.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startCloudflareServer, type CloudflareServer } from '../support/cloudflare-server.ts';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.ts';
import { runExtdnsProcess, type ProcessOutcome } from '../support/extdns-process.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { TOKEN } from './harness.ts';

const ZONE = 'gov.example';
const HOST = 'cf.proxy-only.test';
const OS_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

let pki: Pki;
let server: CloudflareServer;
let proxy: ConnectProxy;
let zoneId: string;
let dir: string;

before(async () => {
  pki = await createPki();
  const leaf = await pki.issueLeaf('cf-api', `DNS:${HOST},DNS:localhost,IP:127.0.0.1`);
  server = await startCloudflareServer({ chain: pki.chain(leaf, pki.intermediateA1), key: leaf.key, token: TOKEN });
  zoneId = server.addZone(ZONE);
  proxy = await startConnectProxy({ hosts: { [HOST]: '127.0.0.1' } });
  dir = await mkdtemp(join(tmpdir(), 'extdns-cloudflare-'));
  await writeFile(join(dir, 'token'), `${TOKEN}\n`);
  await writeFile(join(dir, 'records.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1', 'kind: DNSEndpoint', 'metadata: {name: api, namespace: default}', 'spec:', '  endpoints:',
    `    - {dnsName: api.${ZONE}, recordType: A, targets: [192.0.2.10]}`,
    `    - {dnsName: www.${ZONE}, recordType: CNAME, targets: [api.${ZONE}]}`, '',
  ].join('\n'));
});

after(async () => {
  await proxy?.close();
  await server?.stop();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function extdns(argv: readonly string[], env: Record<string, string> = {}): Promise<ProcessOutcome> {
  return runExtdnsProcess(argv, { HOME: dir, SSL_CERT_FILE: OS_BUNDLE, CLOUDFLARE_BASE_URL: server.baseUrl, CF_API_TOKEN: TOKEN, ...env });
}

const base = (): string[] => ['--source=manifest', `--manifest-path=${dir}`, '--provider=cloudflare', '--txt-owner-id=gov', '--policy=sync', `--domain-filter=${ZONE}`, '--once'];
const trustLine = (stderr: string): string => stderr.split('\n').find((l) => l.includes('msg="TLS trust"')) ?? '';
const writes = (): number => server.count('POST', /\/dns_records\/batch$/);

test('GovCloud shape with --tls-ca: the sync lands in one batch, the trust log names the CA, the token is never printed; a re-sync writes nothing', async () => {
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(run.code, 0, run.stderr);
  const records = server.records(zoneId);
  assert.ok(records.some((r) => r.name === `api.${ZONE}` && r.type === 'A' && r.content === '192.0.2.10' && r.ttl === 1));
  assert.ok(records.some((r) => r.name === `a-api.${ZONE}` && r.type === 'TXT'));
  assert.equal(writes(), 1);
  const line = trustLine(run.stderr);
  assert.match(line, /connection=cloudflare/);
  assert.ok(line.includes(`flag --tls-ca=${pki.rootA.certFile} (1 cert)`), line);
  assert.ok(line.includes(`env SSL_CERT_FILE=${OS_BUNDLE}`), line);
  assert.ok(!`${run.stdout}${run.stderr}`.includes(TOKEN));
  const again = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(writes(), 1, 'a second sync writes nothing');
});

test('without --tls-ca the run fails with EXTDNS_CLOUDFLARE_TLS naming the fix, and no request reaches the API', async () => {
  const before = server.requests.length;
  const run = await extdns(base());
  assert.equal(run.code, 1, run.stderr);
  const error = run.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_CLOUDFLARE_TLS/);
  assert.match(error, /--tls-ca/);
  assert.equal(server.requests.length, before);
});

test('through HTTPS_PROXY to a host only the proxy resolves, with the token read from a file: path; custom and regional hostname requests too', async () => {
  const tunnels = proxy.tunnels.length;
  const port = new URL(server.url).port;
  const hostnameRequests = server.requests.filter((r) => /custom_hostnames|regional_hostnames/.test(r.path)).length;
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`, '--cloudflare-custom-hostnames', '--cloudflare-region-key=eu'], {
    CLOUDFLARE_BASE_URL: `https://${HOST}:${port}/client/v4`, HTTPS_PROXY: proxy.url, CF_API_TOKEN: `file:${join(dir, 'token')}`,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(proxy.tunnels.length > tunnels, 'the requests went through the proxy');
  assert.ok(proxy.tunnels.slice(tunnels).every((t) => t === `${HOST}:${port}`));
  assert.ok(!`${run.stdout}${run.stderr}`.includes(TOKEN));
  // Only the proxy resolves the API's host: these requests reached the server through it.
  assert.ok(server.requests.filter((r) => /custom_hostnames|regional_hostnames/.test(r.path)).length > hostnameRequests);
  assert.deepEqual(server.hostnames.regionalHostnames(zoneId).map((r) => [r.hostname, r.region_key]).sort(), [[`api.${ZONE}`, 'eu'], [`www.${ZONE}`, 'eu']]);
});

test('no credentials: the run stops with EXTDNS_CLOUDFLARE_CONFIG naming CF_API_TOKEN and CF_API_KEY + CF_API_EMAIL', async () => {
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`], { CF_API_TOKEN: '' });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /EXTDNS_CLOUDFLARE_CONFIG/);
  assert.match(run.stderr, /CF_API_KEY and CF_API_EMAIL/);
});

test('--cloudflare-custom-hostnames and --cloudflare-region-key as a process: the custom hostname, the regional hostname and the record comment land through the trust module', async () => {
  const saas = join(dir, 'saas');
  await mkdir(saas, { recursive: true });
  await writeFile(join(saas, 'shop.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1', 'kind: DNSEndpoint', 'metadata: {name: shop, namespace: default}', 'spec:', '  endpoints:',
    `    - dnsName: shop.${ZONE}`, '      recordType: A', '      targets: [192.0.2.30]', '      providerSpecific:',
    '        - {name: external-dns.alpha.kubernetes.io/cloudflare-custom-hostname, value: shop.customer-a.net}', '',
  ].join('\n'));
  const argv = ['--source=manifest', `--manifest-path=${saas}`, '--provider=cloudflare', '--txt-owner-id=saas', '--policy=sync', `--domain-filter=${ZONE}`,
    '--once', `--tls-ca=${pki.rootA.certFile}`, '--cloudflare-custom-hostnames', '--cloudflare-custom-hostnames-min-tls-version=1.2',
    '--cloudflare-region-key=eu', '--cloudflare-record-comment=managed by extdns'];
  const run = await extdns(argv);
  assert.equal(run.code, 0, run.stderr);
  const custom = server.hostnames.customHostnames(zoneId);
  assert.deepEqual(custom.map((c) => [c.hostname, c.custom_origin_server]), [['shop.customer-a.net', `shop.${ZONE}`]]);
  assert.deepEqual(custom[0]?.ssl.settings, { min_tls_version: '1.2' });
  assert.deepEqual(server.hostnames.regionalHostnames(zoneId).filter((r) => r.hostname.startsWith('shop.')).map((r) => [r.hostname, r.region_key]), [[`shop.${ZONE}`, 'eu']]);
  assert.equal(server.records(zoneId).find((r) => r.name === `shop.${ZONE}` && r.type === 'A')?.comment, 'managed by extdns');
  const requests = server.requests.length;
  const again = await extdns(argv);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(server.requests.slice(requests).filter((r) => r.method !== 'GET'), [], 'a re-sync writes nothing');
});
