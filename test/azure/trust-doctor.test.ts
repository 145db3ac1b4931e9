/**
 * `extdns trust` and `extdns doctor` with --provider=azure: every connection
 * the Azure credentials use is listed and checked, with its route: Resource
 * Manager and the AD authority (public, Government, Azure Stack Hub behind a
 * private CA, with and without --tls-ca), or the managed identity endpoint,
 * plain HTTP and never proxied, whatever HTTP_PROXY says.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startAzureIdentityServer, type AzureIdentityServer } from '../support/azure-identity-server.ts';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { jsonArrayOf } from '../support/json-output.ts';
import type { AzureArmServer } from '../support/azure-arm-server.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { stackHubConfig, startArm } from './harness.ts';

const OS_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PROXY = 'http://proxy.corp.example:3128';

let pki: Pki;
let arm: AzureArmServer;
let identity: AzureIdentityServer;
let dir: string;

before(async () => {
  pki = await createPki();
  arm = await startArm(pki);
  identity = await startAzureIdentityServer({ issue: () => arm.issueToken(), identityHeader: 'h' });
  dir = await mkdtemp(join(tmpdir(), 'extdns-azure-trust-'));
});

after(async () => {
  await identity?.close();
  await arm?.close();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, json: Record<string, unknown>): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(json));
  return file;
}

function extdns(command: string, file: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return runExtdnsInProcess([command, '--provider=azure', `--azure-config-file=${file}`, ...args], { HOME: dir, SSL_CERT_FILE: OS_BUNDLE, ...env });
}

interface ReportJson { name: string; endpoint?: string; proxy?: string; sources: { kind: string; name: string; paths: string[] }[] }

async function trustJson(file: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<ReportJson[]> {
  const run = await extdns('trust', file, ['--output=json', ...args], env);
  assert.equal(run.code, 0, run.out);
  return jsonArrayOf(run.out) as ReportJson[];
}

test('trust, Azure Stack Hub with --tls-ca: Resource Manager and the AD authority, each with the private CA; the table names both', async () => {
  const file = await configFile('stack', stackHubConfig(arm));
  const reports = await trustJson(file, [`--tls-ca=${pki.rootA.certFile}`]);
  assert.deepEqual(reports.map((r) => [r.name, r.endpoint]), [['azure', arm.url], ['azure-ad', `${arm.url}/`]]);
  for (const r of reports) assert.ok(r.sources.some((s) => s.name === '--tls-ca' && s.paths.includes(pki.rootA.certFile)), JSON.stringify(r.sources));
  const table = await extdns('trust', file, [`--tls-ca=${pki.rootA.certFile}`]);
  assert.match(table.out, new RegExp(`^azure → ${arm.url}$`, 'm'));
  assert.match(table.out, new RegExp(`^azure-ad → ${arm.url}/$`, 'm'));
});

test('trust, Azure Government: management.usgovcloudapi.net and login.microsoftonline.us; through HTTPS_PROXY unless NO_PROXY names one', async () => {
  const file = await configFile('gov', { cloud: 'AzureUSGovernmentCloud', tenantId: 't', subscriptionId: 's', resourceGroup: 'rg', aadClientId: 'c', aadClientSecret: 'x' });
  const reports = await trustJson(file, [], { HTTPS_PROXY: PROXY, NO_PROXY: 'login.microsoftonline.us' });
  assert.deepEqual(reports.map((r) => [r.name, r.endpoint]), [['azure', 'https://management.usgovcloudapi.net'], ['azure-ad', 'https://login.microsoftonline.us/']]);
  assert.equal(reports[0]?.proxy, `proxy ${PROXY} (HTTPS_PROXY)`);
  assert.match(reports[1]?.proxy ?? '', /^direct \(.*NO_PROXY.*\)$/);
});

test('trust, managed identity: IMDS at 169.254.169.254 is listed as never proxied although HTTP_PROXY is set; IDENTITY_ENDPOINT replaces it', async () => {
  const file = await configFile('msi', { cloud: 'AzurePublicCloud', subscriptionId: 's', resourceGroup: 'rg', useManagedIdentityExtension: true });
  const reports = await trustJson(file, [], { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY });
  assert.deepEqual(reports.map((r) => [r.name, r.endpoint, r.proxy]), [
    ['azure', 'https://management.azure.com', `proxy ${PROXY} (HTTPS_PROXY)`],
    ['azure-identity', 'http://169.254.169.254/metadata/identity/oauth2/token', 'direct (managed identity endpoints are host-local: never proxied)'],
  ]);
  const appService = await trustJson(file, [], { HTTP_PROXY: PROXY, IDENTITY_ENDPOINT: 'http://127.0.0.1:41111/msi/token', IDENTITY_HEADER: 'h' });
  assert.equal(appService[1]?.endpoint, 'http://127.0.0.1:41111/msi/token');
});

test('doctor, Azure Stack Hub: without --tls-ca both connections fail naming the private CA; with it both pass', async () => {
  const file = await configFile('stack-doctor', stackHubConfig(arm));
  const without = await extdns('doctor', file, []);
  assert.equal(without.code, 1, without.out);
  assert.match(without.out, new RegExp(`^FAIL azure {2}${arm.url} {2}\\(unknown-ca\\)`, 'm'));
  assert.match(without.out, new RegExp(`^FAIL azure-ad {2}${arm.url}/ {2}\\(unknown-ca\\)`, 'm'));
  assert.match(without.out, /fix: +add the certificate of "O=extdns tests, CN=extdns test root A" \(PEM\) with --tls-ca/);
  const withCa = await extdns('doctor', file, [`--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(withCa.code, 0, withCa.out);
  assert.match(withCa.out, new RegExp(`^OK {3}azure {2}${arm.url} `, 'm'));
  assert.match(withCa.out, new RegExp(`^OK {3}azure-ad {2}${arm.url}/ `, 'm'));
});

test('doctor, managed identity: the identity endpoint is checked as plain HTTP, directly, with HTTP_PROXY set', async () => {
  const file = await configFile('msi-doctor', { ...stackHubConfig(arm), aadClientId: '', aadClientSecret: '', useManagedIdentityExtension: true });
  const run = await extdns('doctor', file, [`--tls-ca=${pki.rootA.certFile}`, '--output=json'], { HTTP_PROXY: PROXY, AZURE_POD_IDENTITY_AUTHORITY_HOST: identity.url });
  assert.equal(run.code, 0, run.out);
  const results = jsonArrayOf(run.out) as { connection: string; endpoint: string; ok: boolean; notes: string[] }[];
  assert.deepEqual(results.map((r) => [r.connection, r.ok]), [['azure', true], ['azure-identity', true]]);
  const msi = results[1];
  assert.equal(msi?.endpoint, `${identity.url}/metadata/identity/oauth2/token`);
  assert.ok(msi?.notes.includes('route: direct (managed identity endpoints are host-local: never proxied), as the sync connects'), msi?.notes.join(' | '));
  assert.ok(msi?.notes.includes('plain HTTP: no TLS is used, so trust settings do not apply'));
});
