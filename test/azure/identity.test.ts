/**
 * The Azure credentials end to end: `extdns --once` as a subprocess (the
 * Azure SDKs read IDENTITY_ENDPOINT, AZURE_POD_IDENTITY_AUTHORITY_HOST… from
 * the real environment) against the ARM test server over HTTPS from the
 * private CA, each run a full sync that lands its records:
 * - managed identity through IMDS (system- and user-assigned), plain HTTP;
 * - managed identity through App Service's IDENTITY_ENDPOINT/IDENTITY_HEADER;
 * - workload identity with the IDs and authority from the environment
 *   (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_AUTHORITY_HOST), and from azure.json;
 * - through HTTPS_PROXY: ARM and the AD token endpoint through the CONNECT
 *   proxy under names only it resolves, the managed identity endpoint never.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { startAzureArmServer, type AzureArmServer } from '../support/azure-arm-server.ts';
import { startAzureIdentityServer, type AzureIdentityServer } from '../support/azure-identity-server.ts';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.ts';
import { runExtdnsProcess, type ProcessOutcome } from '../support/extdns-process.ts';
import { createPki, type Pki } from '../support/pki.ts';

const ZONE = 'identity.example';
const ARM_HOST = 'arm.proxy-only.test';
const LOGIN_HOST = 'login.proxy-only.test';
const IDENTITY_HEADER = 'app-service-header-secret';

let pki: Pki;
let arm: AzureArmServer;
let identity: AzureIdentityServer;
let proxy: ConnectProxy;
let dir: string;
let zoneCount = 0;

before(async () => {
  pki = await createPki();
  const leaf = await pki.issueLeaf('azure', `DNS:${ARM_HOST},DNS:${LOGIN_HOST},IP:127.0.0.1`);
  arm = await startAzureArmServer({ chain: pki.chain(leaf, pki.intermediateA1), key: leaf.key });
  identity = await startAzureIdentityServer({ issue: () => arm.issueToken(), identityHeader: IDENTITY_HEADER });
  proxy = await startConnectProxy({ hosts: { [ARM_HOST]: '127.0.0.1', [LOGIN_HOST]: '127.0.0.1' } });
  dir = await mkdtemp(join(tmpdir(), 'extdns-azure-identity-'));
  await writeFile(join(dir, 'federated-token'), 'eyJ.projected.service-account-token');
});

after(async () => {
  await proxy?.close();
  await identity?.close();
  await arm?.close();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

let zone = '';
beforeEach(async () => {
  // A zone per test, so that each run is a first sync that must write.
  zone = `z${++zoneCount}.${ZONE}`;
  arm.addZone('dns', zone);
  await writeFile(join(dir, 'records.yaml'), [
    'apiVersion: externaldns.k8s.io/v1alpha1', 'kind: DNSEndpoint', 'metadata:', '  name: api', '  namespace: default', 'spec:', '  endpoints:',
    `    - dnsName: api.${zone}`, '      recordType: A', '      targets: [192.0.2.10]', '',
  ].join('\n'));
});

/** azure.json for Azure Stack Hub at `origin` (the ARM server, or its proxy-only name), with `extra` naming the identity. */
async function azureJson(extra: Record<string, unknown>, origin = arm.url): Promise<string> {
  const file = join(dir, `azure-${zoneCount}.json`);
  await writeFile(file, JSON.stringify({
    cloud: 'AzureStackCloud', subscriptionId: arm.subscriptionId, resourceGroup: arm.resourceGroup,
    resourceManagerEndpoint: origin, resourceManagerAudience: `${origin}/`, ...extra,
  }));
  return file;
}

function extdns(configFile: string, env: Record<string, string>): Promise<ProcessOutcome> {
  return runExtdnsProcess(['--source=manifest', `--manifest-path=${join(dir, 'records.yaml')}`, '--provider=azure', `--azure-config-file=${configFile}`,
    '--txt-owner-id=id', '--policy=sync', `--domain-filter=${zone}`, '--once', `--tls-ca=${pki.rootA.certFile}`], { HOME: dir, ...env });
}

/** The run landed the record and its ownership TXT. */
function assertSynced(run: ProcessOutcome): void {
  assert.equal(run.code, 0, run.stderr);
  const held = arm.dump('dns', zone);
  assert.deepEqual(held.get('api A')?.['aRecords'], [{ ipv4Address: '192.0.2.10' }], run.stderr);
  assert.ok(held.has('a-api TXT'), [...held.keys()].join(', '));
}

test('managed identity through IMDS (system-assigned): the token from the metadata endpoint with Metadata: true, then a full sync', async () => {
  const asked = identity.requests.length;
  const run = await extdns(await azureJson({ useManagedIdentityExtension: true }), { AZURE_POD_IDENTITY_AUTHORITY_HOST: identity.url });
  assertSynced(run);
  assert.match(run.stderr, /Using managed identity extension/);
  const tokens = identity.requests.slice(asked).filter((r) => r.path === '/metadata/identity/oauth2/token' && r.metadata === 'true');
  assert.equal(tokens.length, 1, JSON.stringify(identity.requests.slice(asked)));
  assert.equal(tokens[0]?.query['resource'], arm.url, 'the token is for Resource Manager\'s audience');
  assert.equal(tokens[0]?.query['client_id'], undefined, 'system-assigned: no client_id');
});

test('managed identity through IMDS (user-assigned from --azure-user-assigned-identity-client-id): the client_id is asked for', async () => {
  const asked = identity.requests.length;
  const file = await azureJson({ useManagedIdentityExtension: true, userAssignedIdentityID: 'from-azure-json' });
  const run = await runExtdnsProcess(['--source=manifest', `--manifest-path=${join(dir, 'records.yaml')}`, '--provider=azure', `--azure-config-file=${file}`,
    '--txt-owner-id=id', '--policy=sync', `--domain-filter=${zone}`, '--once', `--tls-ca=${pki.rootA.certFile}`, '--azure-user-assigned-identity-client-id=uami-client'],
  { HOME: dir, AZURE_POD_IDENTITY_AUTHORITY_HOST: identity.url });
  assertSynced(run);
  const tokens = identity.requests.slice(asked).filter((r) => r.metadata === 'true');
  assert.deepEqual(tokens.map((r) => r.query['client_id']), ['uami-client'], 'the flag overrides azure.json');
});

test('managed identity through App Service (IDENTITY_ENDPOINT + IDENTITY_HEADER): the header is sent, then a full sync', async () => {
  const asked = identity.requests.length;
  const run = await extdns(await azureJson({ useManagedIdentityExtension: true }), { IDENTITY_ENDPOINT: `${identity.url}/msi/token`, IDENTITY_HEADER });
  assertSynced(run);
  const tokens = identity.requests.slice(asked);
  assert.equal(tokens.length, 1, JSON.stringify(tokens));
  assert.equal(tokens[0]?.path, '/msi/token');
  assert.equal(tokens[0]?.identityHeader, IDENTITY_HEADER);
  assert.equal(tokens[0]?.query['api-version'], '2019-08-01');
  assert.ok(!run.stderr.includes(IDENTITY_HEADER), 'the identity header is never logged');
});

test('workload identity from the environment: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST', async () => {
  const asked = arm.tokenRequests.length;
  const run = await extdns(await azureJson({ useWorkloadIdentityExtension: true }), {
    AZURE_CLIENT_ID: 'extdns-client', AZURE_TENANT_ID: arm.tenantId, AZURE_FEDERATED_TOKEN_FILE: join(dir, 'federated-token'), AZURE_AUTHORITY_HOST: `${arm.url}/`,
  });
  assertSynced(run);
  assert.match(run.stderr, /Using workload identity extension/);
  const grants = arm.tokenRequests.slice(asked).map((r) => new URLSearchParams(r.body));
  assert.equal(grants.length, 1);
  assert.equal(grants[0]?.get('client_assertion'), 'eyJ.projected.service-account-token', 'the projected token is the assertion');
  assert.equal(grants[0]?.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  assert.equal(grants[0]?.get('client_id'), 'extdns-client');
  assert.equal(arm.tokenRequests[asked]?.path, `/${arm.tenantId}/oauth2/v2.0/token`);
});

test('workload identity from azure.json (tenantId, aadClientId, activeDirectoryAuthorityHost; the token file from the environment)', async () => {
  const asked = arm.tokenRequests.length;
  const file = await azureJson({ useWorkloadIdentityExtension: true, tenantId: arm.tenantId, aadClientId: 'extdns-client', activeDirectoryAuthorityHost: `${arm.url}/` });
  const run = await extdns(file, { AZURE_FEDERATED_TOKEN_FILE: join(dir, 'federated-token'), AZURE_CLIENT_ID: 'not-this-one', AZURE_TENANT_ID: 'not-this-one' });
  assertSynced(run);
  const grants = arm.tokenRequests.slice(asked).map((r) => new URLSearchParams(r.body));
  assert.deepEqual(grants.map((g) => g.get('client_id')), ['extdns-client'], 'azure.json wins over AZURE_CLIENT_ID');
  assert.equal(arm.tokenRequests[asked]?.path, `/${arm.tenantId}/oauth2/v2.0/token`);
});

test('through HTTPS_PROXY: Resource Manager and the AD token endpoint through the proxy with the private CA', async () => {
  const port = new URL(arm.url).port;
  const tunnels = proxy.tunnels.length;
  const file = await azureJson({ tenantId: arm.tenantId, aadClientId: 'extdns-client', aadClientSecret: 'extdns-secret', activeDirectoryAuthorityHost: `https://${LOGIN_HOST}:${port}/` },
    `https://${ARM_HOST}:${port}`);
  const run = await extdns(file, { HTTPS_PROXY: proxy.url });
  assertSynced(run);
  const opened = new Set(proxy.tunnels.slice(tunnels));
  assert.deepEqual([...opened].sort(), [`${ARM_HOST}:${port}`, `${LOGIN_HOST}:${port}`]);
});

test('through HTTP_PROXY and HTTPS_PROXY: managed identity asks IMDS directly, Resource Manager goes through the proxy', async () => {
  const port = new URL(arm.url).port;
  const tunnels = proxy.tunnels.length;
  const asked = identity.requests.length;
  const run = await extdns(await azureJson({ useManagedIdentityExtension: true }, `https://${ARM_HOST}:${port}`),
    { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, AZURE_POD_IDENTITY_AUTHORITY_HOST: identity.url });
  assertSynced(run);
  assert.deepEqual([...new Set(proxy.tunnels.slice(tunnels))], [`${ARM_HOST}:${port}`]);
  assert.ok(identity.requests.length > asked, 'the managed identity endpoint was asked directly');
  const trust = run.stderr.split('\n').filter((l) => l.includes('msg="TLS trust"') && l.includes('connection=azure-identity'));
  assert.equal(trust.length, 1, run.stderr);
  assert.match(trust[0] ?? '', /never proxied/);
});

test('NO_PROXY is respected: the AD authority named in it is connected to directly (and, known only to the proxy, not found)', async () => {
  const port = new URL(arm.url).port;
  const tunnels = proxy.tunnels.length;
  const file = await azureJson({ tenantId: arm.tenantId, aadClientId: 'extdns-client', aadClientSecret: 'extdns-secret', activeDirectoryAuthorityHost: `https://${LOGIN_HOST}:${port}/` },
    `https://${ARM_HOST}:${port}`);
  const run = await extdns(file, { HTTPS_PROXY: proxy.url, NO_PROXY: LOGIN_HOST });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /EXTDNS_AZURE_UNREACHABLE/);
  assert.match(run.stderr, new RegExp(`ENOTFOUND ${LOGIN_HOST.replaceAll('.', '\\.')}|${LOGIN_HOST.replaceAll('.', '\\.')}.*ENOTFOUND`));
  assert.ok(!proxy.tunnels.slice(tunnels).some((t) => t.startsWith(LOGIN_HOST)), proxy.tunnels.slice(tunnels).join(', '));
});
