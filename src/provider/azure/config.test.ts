import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtdnsError } from '../../errors/errors.ts';
import { cloudNamed, resourceManagerScope } from './cloud.ts';
import { applyFlagOverrides, azureSettings, chooseCredential, parseAzureConfig } from './config.ts';

const parse = (o: unknown): ReturnType<typeof parseAzureConfig> => parseAzureConfig(JSON.stringify(o), 'azure.json');

test('keys match case-insensitively and unknown ones are ignored, as Go encoding/json does', () => {
  const cfg = parse({ TENANTID: 't', subscriptionid: 's', resourceGroup: 'rg', location: 'westeurope', other: 1 });
  assert.equal(cfg.tenantId, 't');
  assert.equal(cfg.subscriptionId, 's');
  assert.equal(cfg.resourceGroup, 'rg');
});

test('a wrongly typed value and a non-object are refused with EXTDNS_AZURE_CONFIG', () => {
  assert.throws(() => parse({ useManagedIdentityExtension: 'true' }), (e: unknown) => e instanceof ExtdnsError && e.code === 'EXTDNS_AZURE_CONFIG');
  assert.throws(() => parseAzureConfig('[1]', 'azure.json'), (e: unknown) => e instanceof ExtdnsError && e.code === 'EXTDNS_AZURE_CONFIG');
  assert.throws(() => parseAzureConfig('', 'azure.json', 'ENOENT'), /failed to read Azure config file 'azure.json': ENOENT/);
});

test('credential order: client secret unless either half is msi, then workload identity, then managed identity', () => {
  const base = parse({ tenantId: 't', aadClientId: 'id', aadClientSecret: 'secret', useWorkloadIdentityExtension: true, useManagedIdentityExtension: true, userAssignedIdentityID: 'uai' });
  assert.equal(chooseCredential(base).kind, 'client-secret');
  assert.equal(chooseCredential({ ...base, aadClientSecret: 'MSI' }).kind, 'workload-identity');
  assert.equal(chooseCredential({ ...base, aadClientId: 'msi', useWorkloadIdentityExtension: false }).kind, 'managed-identity');
  assert.deepEqual(chooseCredential({ ...base, aadClientId: 'msi', useWorkloadIdentityExtension: false }), { kind: 'managed-identity', clientId: 'uai' });
  assert.throws(() => chooseCredential(parse({})), (e: unknown) => e instanceof ExtdnsError && e.code === 'EXTDNS_AZURE_NO_CREDENTIALS');
});

test('flags override the file only when set', () => {
  const file = parse({ subscriptionId: 'file-sub', resourceGroup: 'file-rg', userAssignedIdentityID: 'file-id' });
  assert.deepEqual(applyFlagOverrides(file, { subscriptionId: '', resourceGroup: 'flag-rg', userAssignedIdentityClientId: 'flag-id' }),
    { ...file, resourceGroup: 'flag-rg', userAssignedIdentityID: 'flag-id' });
});

test('clouds: public, Government, China by Go names; Azure Stack Hub from the file; unknown names refused', () => {
  const stack = { activeDirectoryAuthorityHost: 'https://adfs.local/', resourceManagerEndpoint: 'https://management.local', resourceManagerAudience: 'https://management.adfs.local/abc' };
  assert.equal(cloudNamed('', stack)?.resourceManagerEndpoint, 'https://management.azure.com');
  assert.equal(cloudNamed('AzureUSGovernment', stack)?.resourceManagerEndpoint, 'https://management.usgovcloudapi.net');
  assert.equal(cloudNamed('azureusgovernmentcloud', stack)?.authorityHost, 'https://login.microsoftonline.us/');
  assert.equal(cloudNamed('AzureChinaCloud', stack)?.resourceManagerEndpoint, 'https://management.chinacloudapi.cn');
  const hub = cloudNamed('AzureStackCloud', stack);
  assert.equal(hub?.resourceManagerEndpoint, 'https://management.local');
  assert.equal(hub && resourceManagerScope(hub), 'https://management.adfs.local/abc/.default');
  assert.throws(() => azureSettings(parse({ cloud: 'Mars', aadClientId: 'a', aadClientSecret: 'b' })), /unknown cloud name: MARS/);
  assert.throws(() => azureSettings(parse({ cloud: 'AzureStackCloud', aadClientId: 'a', aadClientSecret: 'b' })), /resourceManagerEndpoint/);
});
