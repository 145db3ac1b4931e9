/**
 * `extdns trust` and `extdns doctor` with --provider=google list and check
 * every connection the Google credentials will use, in the auth library's
 * order of choice: Cloud DNS, then the OAuth token endpoint (service account
 * key, gcloud user), STS and the impersonation endpoint (workload identity
 * federation), or the metadata server, plain HTTP and never proxied (also
 * asked for the project when --google-project is empty).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { jsonArrayOf } from '../support/json-output.ts';
import { metadataIssuer, startGoogleDnsServer, startMetadataServer, type GoogleDnsServer, type MetadataServer } from '../support/google-dns-server.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { PROJECT } from './harness.ts';

const OS_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PROXY = 'http://proxy.corp.example:3128';
const METADATA_ROUTE = 'direct (the metadata server is link-local plain HTTP: never proxied)';

let pki: Pki;
let dns: GoogleDnsServer;
let metadata: MetadataServer;
let dir: string;

before(async () => {
  pki = await createPki();
  dns = await startGoogleDnsServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, project: PROJECT, zones: [{ name: 'z', dnsName: 'z.example.' }] });
  metadata = await startMetadataServer({ project: PROJECT, issue: metadataIssuer(dns) });
  dir = await mkdtemp(join(tmpdir(), 'extdns-google-trust-'));
});

after(async () => {
  await metadata?.close();
  await dns?.close();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function credentialFile(name: string, json: Record<string, unknown>): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(json));
  return file;
}

function extdns(command: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return runExtdnsInProcess([command, '--provider=google', ...args], { HOME: join(dir, 'empty-home'), SSL_CERT_FILE: OS_BUNDLE, ...env });
}

interface ReportJson { name: string; endpoint?: string; proxy?: string }

async function connections(args: readonly string[], env: Record<string, string>): Promise<string[][]> {
  const run = await extdns('trust', ['--output=json', ...args], env);
  assert.equal(run.code, 0, run.out);
  return (jsonArrayOf(run.out) as ReportJson[]).map((r) => [r.name, r.endpoint ?? '', r.proxy ?? '']);
}

test('trust, service account key: Cloud DNS and the key\'s token_uri, both through HTTPS_PROXY; the metadata server only when the project must come from it', async () => {
  const key = await credentialFile('sa', { type: 'service_account', client_email: 'x@p.iam.gserviceaccount.com', private_key: 'unused', token_uri: 'https://oauth2.private.example/token' });
  const env = { GOOGLE_APPLICATION_CREDENTIALS: key, HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY };
  assert.deepEqual(await connections([`--google-project=${PROJECT}`], env), [
    ['google', 'https://dns.googleapis.com/dns/v1/', `proxy ${PROXY} (HTTPS_PROXY)`],
    ['google-oauth', 'https://oauth2.private.example/token', `proxy ${PROXY} (HTTPS_PROXY)`],
  ]);
  const withoutProject = await connections([], env);
  assert.deepEqual(withoutProject[2], ['google-metadata', 'http://169.254.169.254', METADATA_ROUTE], 'never proxied although HTTP_PROXY is set');
});

test('trust, workload identity federation: STS (the file\'s token_url) and the impersonation endpoint; NO_PROXY is respected', async () => {
  const wif = await credentialFile('wif', {
    type: 'external_account', audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt', token_url: 'https://sts.googleapis.com/v1/token', credential_source: { file: '/var/run/token' },
    service_account_impersonation_url: 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/dns@p.iam.gserviceaccount.com:generateAccessToken',
  });
  const found = await connections([`--google-project=${PROJECT}`], { GOOGLE_APPLICATION_CREDENTIALS: wif, HTTPS_PROXY: PROXY, NO_PROXY: 'sts.googleapis.com' });
  assert.deepEqual(found.map((c) => c.slice(0, 2)), [
    ['google', 'https://dns.googleapis.com/dns/v1/'],
    ['google-sts', 'https://sts.googleapis.com/v1/token'],
    ['google-impersonation', 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/dns@p.iam.gserviceaccount.com:generateAccessToken'],
  ]);
  assert.match(found[1]?.[2] ?? '', /^direct \(.*NO_PROXY.*\)$/);
  assert.equal(found[2]?.[2], `proxy ${PROXY} (HTTPS_PROXY)`);
});

test('trust, gcloud user credentials and the metadata server: ADC\'s order (gcloud\'s file before the metadata server), GCE_METADATA_HOST honoured', async () => {
  const home = join(dir, 'user-home');
  await mkdir(join(home, '.config', 'gcloud'), { recursive: true });
  await writeFile(join(home, '.config', 'gcloud', 'application_default_credentials.json'), JSON.stringify({ type: 'authorized_user', client_id: 'c', client_secret: 's', refresh_token: 'r' }));
  const user = await connections([`--google-project=${PROJECT}`], { HOME: home });
  assert.deepEqual(user.map((c) => c.slice(0, 2)), [['google', 'https://dns.googleapis.com/dns/v1/'], ['google-oauth', 'https://oauth2.googleapis.com/token']]);
  const onGke = await connections([], { GCE_METADATA_HOST: 'metadata.internal.example:8080', HTTP_PROXY: PROXY });
  assert.deepEqual(onGke.map((c) => c.slice(0, 2)), [['google', 'https://dns.googleapis.com/dns/v1/'], ['google-metadata', 'http://metadata.internal.example:8080']]);
  assert.equal(onGke[1]?.[2], METADATA_ROUTE);
  const table = await extdns('trust', [], { GCE_METADATA_HOST: 'metadata.internal.example:8080', HTTP_PROXY: PROXY });
  assert.match(table.out, /^google-metadata → http:\/\/metadata\.internal\.example:8080\n.*\n {2}route: direct \(the metadata server is link-local plain HTTP: never proxied\)$/m);
});

test('doctor checks each connection: Cloud DNS and STS fail without --tls-ca naming the CA and pass with it; the metadata server is plain HTTP, direct', async () => {
  const wif = await credentialFile('wif-doctor', {
    type: 'external_account', audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt', token_url: `${dns.url}/v1/token`, credential_source: { file: '/var/run/token' },
  });
  const env = { GOOGLE_APPLICATION_CREDENTIALS: wif, CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: dns.apiBase, GCE_METADATA_HOST: metadata.host, HTTP_PROXY: PROXY };
  const without = await extdns('doctor', [], env);
  assert.equal(without.code, 1, without.out);
  assert.match(without.out, new RegExp(`^FAIL google {2}${dns.apiBase} {2}\\(unknown-ca\\)`, 'm'));
  assert.match(without.out, new RegExp(`^FAIL google-sts {2}${dns.url}/v1/token {2}\\(unknown-ca\\)`, 'm'));
  assert.match(without.out, /fix: +add the certificate of "O=extdns tests, CN=extdns test root A" \(PEM\) with --tls-ca/);
  const withCa = await extdns('doctor', [`--tls-ca=${pki.rootA.certFile}`, '--output=json'], env);
  assert.equal(withCa.code, 0, withCa.out);
  const results = jsonArrayOf(withCa.out) as { connection: string; ok: boolean; notes: string[] }[];
  assert.deepEqual(results.map((r) => [r.connection, r.ok]), [['google', true], ['google-sts', true], ['google-metadata', true]]);
  assert.ok(results[2]?.notes.includes(`route: ${METADATA_ROUTE}, as the sync connects`), results[2]?.notes.join(' | '));
  assert.ok(results[2]?.notes.includes('plain HTTP: no TLS is used, so trust settings do not apply'));
});

const IMPERSONATE = 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/dns@p.iam.gserviceaccount.com:generateAccessToken';
const GCLOUD_USER = { type: 'authorized_user', client_id: 'c', client_secret: 's', refresh_token: 'r' };

test('trust, impersonated service account: the source credential\'s token endpoint, then IAM Credentials for the target the URL names', async () => {
  const fromUser = await credentialFile('impersonated-user', { type: 'impersonated_service_account', service_account_impersonation_url: IMPERSONATE, source_credentials: GCLOUD_USER, delegates: [] });
  assert.deepEqual(await connections([`--google-project=${PROJECT}`], { GOOGLE_APPLICATION_CREDENTIALS: fromUser, HTTPS_PROXY: PROXY }), [
    ['google', 'https://dns.googleapis.com/dns/v1/', `proxy ${PROXY} (HTTPS_PROXY)`],
    ['google-oauth', 'https://oauth2.googleapis.com/token', `proxy ${PROXY} (HTTPS_PROXY)`],
    ['google-impersonation', IMPERSONATE, `proxy ${PROXY} (HTTPS_PROXY)`],
  ]);
  // The library takes only the service account's name from the URL: its host is IAM Credentials of the universe (or the file's `endpoint`).
  const fromKey = await credentialFile('impersonated-key', {
    type: 'impersonated_service_account', endpoint: 'https://iam.private.example',
    service_account_impersonation_url: 'https://elsewhere.example/v1/projects/-/serviceAccounts/dns@p.iam.gserviceaccount.com:generateAccessToken',
    source_credentials: { type: 'service_account', client_email: 'x@p.iam.gserviceaccount.com', private_key: 'unused', token_uri: 'https://oauth2.private.example/token' },
  });
  assert.deepEqual((await connections([`--google-project=${PROJECT}`], { GOOGLE_APPLICATION_CREDENTIALS: fromKey })).map((c) => c.slice(0, 2)), [
    ['google', 'https://dns.googleapis.com/dns/v1/'],
    ['google-oauth', 'https://oauth2.private.example/token'],
    ['google-impersonation', 'https://iam.private.example/v1/projects/-/serviceAccounts/dns@p.iam.gserviceaccount.com:generateAccessToken'],
  ]);
  const sovereign = await credentialFile('impersonated-universe', {
    type: 'impersonated_service_account', service_account_impersonation_url: IMPERSONATE, source_credentials: { ...GCLOUD_USER, universe_domain: 'cloud.example.eu' },
  });
  assert.deepEqual((await connections([`--google-project=${PROJECT}`], { GOOGLE_APPLICATION_CREDENTIALS: sovereign }))[2]?.slice(0, 2),
    ['google-impersonation', 'https://iamcredentials.cloud.example.eu/v1/projects/-/serviceAccounts/dns@p.iam.gserviceaccount.com:generateAccessToken']);
});

test('trust, workforce identity federation user (external_account_authorized_user): STS\'s refresh-token endpoint, the file\'s token_url or the universe\'s', async () => {
  const user = { type: 'external_account_authorized_user', audience: '//iam.googleapis.com/locations/global/workforcePools/pool/providers/idp', client_id: 'c', client_secret: 's', refresh_token: 'r' };
  const withUrl = await credentialFile('workforce', { ...user, token_url: 'https://sts.private.example/v1/oauthtoken' });
  assert.deepEqual(await connections([`--google-project=${PROJECT}`], { GOOGLE_APPLICATION_CREDENTIALS: withUrl, HTTPS_PROXY: PROXY, NO_PROXY: 'sts.private.example' }), [
    ['google', 'https://dns.googleapis.com/dns/v1/', `proxy ${PROXY} (HTTPS_PROXY)`],
    ['google-sts', 'https://sts.private.example/v1/oauthtoken', 'direct (NO_PROXY matches)'],
  ]);
  const bare = await credentialFile('workforce-default', user);
  assert.deepEqual((await connections([`--google-project=${PROJECT}`], { GOOGLE_APPLICATION_CREDENTIALS: bare }))[1]?.slice(0, 2), ['google-sts', 'https://sts.googleapis.com/v1/oauthtoken']);
});

test('doctor checks the impersonation and workforce token connections: they fail without --tls-ca and pass with it', async () => {
  const impersonated = await credentialFile('impersonated-doctor', {
    type: 'impersonated_service_account', endpoint: dns.url, service_account_impersonation_url: IMPERSONATE,
    source_credentials: { type: 'service_account', client_email: 'x@p.iam.gserviceaccount.com', private_key: 'unused', token_uri: `${dns.url}/token` },
  });
  const workforce = await credentialFile('workforce-doctor', {
    type: 'external_account_authorized_user', audience: '//iam.googleapis.com/locations/global/workforcePools/pool/providers/idp',
    client_id: 'c', client_secret: 's', refresh_token: 'r', token_url: `${dns.url}/v1/oauthtoken`,
  });
  const env = { CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: dns.apiBase, GCE_METADATA_HOST: metadata.host };
  for (const [file, names] of [[impersonated, ['google', 'google-oauth', 'google-impersonation']], [workforce, ['google', 'google-sts']]] as const) {
    const without = await extdns('doctor', [`--google-project=${PROJECT}`, '--output=json'], { ...env, GOOGLE_APPLICATION_CREDENTIALS: file });
    assert.equal(without.code, 1, without.out);
    assert.deepEqual((jsonArrayOf(without.out) as { connection: string; ok: boolean }[]).map((r) => [r.connection, r.ok]), names.map((n) => [n, false]));
    const withCa = await extdns('doctor', [`--google-project=${PROJECT}`, `--tls-ca=${pki.rootA.certFile}`, '--output=json'], { ...env, GOOGLE_APPLICATION_CREDENTIALS: file });
    assert.equal(withCa.code, 0, withCa.out);
    assert.deepEqual((jsonArrayOf(withCa.out) as { connection: string; ok: boolean }[]).map((r) => [r.connection, r.ok]), names.map((n) => [n, true]));
  }
});
