/**
 * The extdns CLI with --provider=google as a subprocess with an explicit
 * environment (the auth library reads GOOGLE_APPLICATION_CREDENTIALS and
 * GCE_METADATA_HOST itself, as in a pod):
 * - the GovCloud shape: SSL_CERT_FILE at the OS bundle, --tls-ca at the
 *   private root, CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS at the test server,
 *   project and token from the metadata server: the sync lands, the next
 *   writes nothing; without --tls-ca the run fails naming the fix;
 * - through HTTPS_PROXY: a service account key (its token from
 *   oauth2.googleapis.com, which only the proxy reaches) and workload
 *   identity federation (STS) both go through the proxy with the private CA;
 *   the metadata server is asked directly, never through the proxy.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.ts';
import { runExtdnsProcess, type ProcessOutcome } from '../support/extdns-process.ts';
import { startGoogleDnsServer, startMetadataServer, metadataIssuer, type GoogleDnsServer, type MetadataServer } from '../support/google-dns-server.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { PROJECT } from './harness.ts';

const ZONE = 'gov.example';
const OS_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const DNS_HOST = 'dns.proxy-only.test';
const STS_HOST = 'sts.proxy-only.test';

let pki: Pki;
let dns: GoogleDnsServer;
let metadata: MetadataServer;
let proxy: ConnectProxy;
let dir: string;

before(async () => {
  pki = await createPki();
  const leaf = await pki.issueLeaf('google', `DNS:${DNS_HOST},DNS:${STS_HOST},DNS:oauth2.googleapis.com,IP:127.0.0.1`);
  dns = await startGoogleDnsServer({ chain: pki.chain(leaf, pki.intermediateA1), key: leaf.key, project: PROJECT, zones: [{ name: 'gov-example', dnsName: `${ZONE}.` }], pageSize: 2 });
  metadata = await startMetadataServer({ project: PROJECT, issue: metadataIssuer(dns) });
  const port = Number(new URL(dns.url).port);
  proxy = await startConnectProxy({ hosts: { [DNS_HOST]: '127.0.0.1', [STS_HOST]: '127.0.0.1', 'oauth2.googleapis.com': '127.0.0.1' }, ports: { 'oauth2.googleapis.com:443': port } });
  dir = await mkdtemp(join(tmpdir(), 'extdns-google-cli-'));
  await mkdir(join(dir, 'secrets'));
  await writeFile(join(dir, 'records.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1', 'kind: DNSEndpoint', 'metadata:', '  name: gov-api', '  namespace: default', 'spec:', '  endpoints:',
    `    - dnsName: api.${ZONE}`, '      recordType: A', '      targets: [192.0.2.10]',
    `    - dnsName: portal.${ZONE}`, '      recordType: CNAME', '      targets: [portal.internal.example.net]', '',
  ].join('\n'));
});

after(async () => {
  await proxy?.close();
  await metadata?.close();
  await dns?.close();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function extdns(argv: readonly string[], env: Record<string, string>): Promise<ProcessOutcome> {
  return runExtdnsProcess(argv, { HOME: dir, SSL_CERT_FILE: OS_BUNDLE, ...env });
}

const base = (): string[] => ['--source=manifest', `--manifest-path=${join(dir, 'records.yaml')}`, '--provider=google', '--txt-owner-id=gov', '--policy=sync', `--domain-filter=${ZONE}`, '--once'];
const writes = (): number => dns.log.filter((l) => l.operation === 'changes').length;
const direct = (): Record<string, string> => ({ CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: dns.apiBase, GCE_METADATA_HOST: metadata.host });

test('GovCloud shape: OS bundle in SSL_CERT_FILE, private CA in --tls-ca, project from the metadata server: the sync lands once', async () => {
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`], direct());
  assert.equal(run.code, 0, run.stderr);
  const held = new Map(dns.rrsets('gov-example').map((r) => [`${r.name} ${r.type}`, r.rrdatas]));
  assert.deepEqual(held.get(`api.${ZONE}. A`), ['192.0.2.10']);
  assert.deepEqual(held.get(`portal.${ZONE}. CNAME`), ['portal.internal.example.net.']);
  assert.ok(held.has(`a-api.${ZONE}. TXT`));
  assert.match(run.stderr, /Google project auto-detected.*extdns-test/);
  const trust = run.stderr.split('\n').find((l) => l.includes('msg="TLS trust"')) ?? '';
  assert.match(trust, /connection=google/);
  assert.ok(trust.includes(`flag --tls-ca=${pki.rootA.certFile}`), trust);
  assert.ok(trust.includes(`env SSL_CERT_FILE=${OS_BUNDLE}`), trust);

  const before = writes();
  const again = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`], direct());
  assert.equal(again.code, 0, again.stderr);
  assert.equal(writes(), before, 'a second sync writes nothing');
});

test('without --tls-ca the run fails with EXTDNS_GOOGLE_TLS naming the fix, and no request reaches Cloud DNS', async () => {
  const before = dns.log.length;
  const run = await extdns(base(), direct());
  assert.equal(run.code, 1, run.stderr);
  const error = run.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_GOOGLE_TLS/);
  assert.match(error, /unable to get local issuer certificate/);
  assert.match(error, /--tls-ca/);
  assert.match(error, /extdns doctor/);
  assert.equal(dns.log.length, before);
});

test('through HTTPS_PROXY with metadata credentials: Cloud DNS through the proxy, the metadata server directly', async () => {
  const tunnels = proxy.tunnels.length;
  const asked = metadata.log.length;
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`], {
    CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: `https://${DNS_HOST}:${new URL(dns.url).port}/dns/v1/`, GCE_METADATA_HOST: metadata.host, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url,
  });
  assert.equal(run.code, 0, run.stderr);
  const opened = proxy.tunnels.slice(tunnels);
  assert.ok(opened.every((t) => t.startsWith(`${DNS_HOST}:`)), opened.join(', '));
  assert.ok(opened.length > 0);
  assert.ok(metadata.log.length > asked, 'the metadata server was asked, directly');
  assert.match(run.stderr, /msg="TLS trust".*connection=google-metadata .*proxy="direct \(the metadata server is link-local plain HTTP: never proxied\)"/);
});

test('through HTTPS_PROXY with a service account key: the token from oauth2.googleapis.com and Cloud DNS both through the proxy', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'secrets', 'sa.json');
  await writeFile(keyFile, JSON.stringify({
    type: 'service_account', project_id: PROJECT, private_key_id: 'k1', client_email: `extdns@${PROJECT}.iam.gserviceaccount.com`, client_id: '1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), token_uri: 'https://oauth2.googleapis.com/token',
  }));
  const tunnels = proxy.tunnels.length;
  const tokens = dns.log.filter((l) => l.operation === 'token').length;
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`, `--google-project=${PROJECT}`], {
    CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: `https://${DNS_HOST}:${new URL(dns.url).port}/dns/v1/`, GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    GCE_METADATA_HOST: '127.0.0.1:1', HTTPS_PROXY: proxy.url,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(proxy.tunnels.slice(tunnels).includes('oauth2.googleapis.com:443'), proxy.tunnels.slice(tunnels).join(', '));
  assert.equal(dns.log.filter((l) => l.operation === 'token').length, tokens + 1, 'one JWT grant');
  assert.ok(!run.stderr.includes('PRIVATE KEY'));
  assert.match(run.stderr, /msg="TLS trust".*connection=google-oauth endpoint="https:\/\/oauth2\.googleapis\.com\/token"/);
});

test('through HTTPS_PROXY with workload identity federation: the STS exchange goes through the proxy with the private CA', async () => {
  const subject = join(dir, 'secrets', 'subject-token');
  await writeFile(subject, 'eyJ.subject.token');
  const config = join(dir, 'secrets', 'wif.json');
  await writeFile(config, JSON.stringify({
    type: 'external_account', audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/pool/providers/k8s',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt', token_url: `https://${STS_HOST}:${new URL(dns.url).port}/v1/token`,
    credential_source: { file: subject },
  }));
  const tunnels = proxy.tunnels.length;
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`, `--google-project=${PROJECT}`], {
    CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: `https://${DNS_HOST}:${new URL(dns.url).port}/dns/v1/`, GOOGLE_APPLICATION_CREDENTIALS: config,
    GCE_METADATA_HOST: '127.0.0.1:1', HTTPS_PROXY: proxy.url,
  });
  assert.equal(run.code, 0, run.stderr);
  const opened = proxy.tunnels.slice(tunnels);
  assert.ok(opened.some((t) => t.startsWith(`${STS_HOST}:`)), opened.join(', '));
  assert.ok(dns.log.some((l) => l.operation === 'sts' && l.status === 200));
  const sts = run.stderr.split('\n').find((l) => l.includes('msg="TLS trust"') && l.includes('connection=google-sts')) ?? '';
  assert.ok(sts.includes(`endpoint="https://${STS_HOST}:`) && sts.includes(`proxy="proxy ${proxy.url} (HTTPS_PROXY)"`), `the run logs STS's trust and route as \`extdns trust\` does:\n${run.stderr}`);
});

/** gcloud's application default credentials (`gcloud auth application-default login`): a user's refresh token. */
async function gcloudConfig(name: string): Promise<string> {
  const config = join(dir, name, '.config', 'gcloud');
  await mkdir(config, { recursive: true });
  await writeFile(join(config, 'application_default_credentials.json'), JSON.stringify({
    type: 'authorized_user', client_id: '764086051850-test.apps.googleusercontent.com', client_secret: 'd-FL95Q19q7MQmFpd7hHD0Ty', refresh_token: '1//0gUSER-REFRESH-TOKEN',
  }));
  return config;
}

test('gcloud user credentials ($HOME/.config/gcloud) through HTTPS_PROXY: the refresh-token grant to oauth2.googleapis.com goes through the proxy with the private CA', async () => {
  await gcloudConfig('home-user');
  const tunnels = proxy.tunnels.length;
  const grants = dns.log.filter((l) => l.grant === 'refresh_token').length;
  const env = {
    HOME: join(dir, 'home-user'), CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: `https://${DNS_HOST}:${new URL(dns.url).port}/dns/v1/`, GCE_METADATA_HOST: '127.0.0.1:1', HTTPS_PROXY: proxy.url,
  };
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`, `--google-project=${PROJECT}`], env);
  assert.equal(run.code, 0, run.stderr);
  const opened = proxy.tunnels.slice(tunnels);
  assert.ok(opened.includes('oauth2.googleapis.com:443'), opened.join(', '));
  assert.ok(opened.every((t) => t === 'oauth2.googleapis.com:443' || t.startsWith(`${DNS_HOST}:`)), opened.join(', '));
  assert.equal(dns.log.filter((l) => l.grant === 'refresh_token' && l.status === 200).length, grants + 1, 'one refresh-token grant');
  assert.ok(!run.stderr.includes('1//0gUSER-REFRESH-TOKEN') && !run.stderr.includes('d-FL95Q19q7MQmFpd7hHD0Ty'), 'the refresh token and client secret are never logged');

  const untrusted = await extdns([...base(), `--google-project=${PROJECT}`], env);
  assert.equal(untrusted.code, 1, untrusted.stderr);
  const error = untrusted.stderr.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_GOOGLE_TLS: TLS failed for the token endpoint/);
  assert.match(error, /unable to get local issuer certificate/);
  assert.match(error, /--tls-ca/);
});

test('gcloud user credentials from CLOUDSDK_CONFIG: the file gcloud keeps there is used', async () => {
  const config = await gcloudConfig('cloudsdk');
  const grants = dns.log.filter((l) => l.grant === 'refresh_token').length;
  const run = await extdns([...base(), `--tls-ca=${pki.rootA.certFile}`, `--google-project=${PROJECT}`], {
    HOME: join(dir, 'no-such-home'), CLOUDSDK_CONFIG: config, CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: dns.apiBase, GCE_METADATA_HOST: '127.0.0.1:1', HTTPS_PROXY: proxy.url,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(dns.log.filter((l) => l.grant === 'refresh_token' && l.status === 200).length, grants + 1);
});
