/**
 * The Azure SDKs behind AzureDnsApi, loaded only when --provider is azure,
 * azure-dns or azure-private-dns (tens of MiB of modules). Every request of
 * the SDK clients and of the credential goes through one HttpClient on the
 * trust module's dispatcher (./http-client.ts).
 */
import { DnsManagementClient, type RecordType as DnsRecordType } from '@azure/arm-dns';
import { PrivateDnsManagementClient, type RecordType as PrivateRecordType } from '@azure/arm-privatedns';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ClientSecretCredential, ManagedIdentityCredential, WorkloadIdentityCredential } from '@azure/identity';
import type { AzureDnsApi, AzureZone, WriteCondition } from './api.ts';
import type { AzureCredentialChoice } from './config.ts';
import type { AzureRecordSet } from './mapping.ts';

/** API versions ExternalDNS v0.22's SDKs speak. */
export const DNS_API_VERSION = '2018-05-01';
export const PRIVATE_DNS_API_VERSION = '2018-09-01';

export interface CredentialSettings {
  choice: AzureCredentialChoice;
  /** The Active Directory authority (the cloud's, or AZURE_AUTHORITY_HOST on Azure Stack Hub without one). */
  authorityHost: string;
  /** Azure Stack Hub's AD FS / private authorities are not in Microsoft's instance list. */
  disableInstanceDiscovery: boolean;
  /** AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID (workload identity, when azure.json leaves them out). */
  federatedTokenFile?: string | undefined;
  envClientId?: string | undefined;
  envTenantId?: string | undefined;
  maxRetries: number;
  httpClient: HttpClient;
}

export function createCredential(s: CredentialSettings): TokenCredential {
  const common = { authorityHost: s.authorityHost, httpClient: s.httpClient, retryOptions: { maxRetries: s.maxRetries } };
  const { choice } = s;
  switch (choice.kind) {
    case 'client-secret':
      return new ClientSecretCredential(choice.tenantId, choice.clientId, choice.clientSecret, { ...common, disableInstanceDiscovery: s.disableInstanceDiscovery });
    case 'workload-identity':
      return new WorkloadIdentityCredential({
        ...common,
        disableInstanceDiscovery: s.disableInstanceDiscovery,
        tenantId: choice.tenantId === '' ? s.envTenantId ?? '' : choice.tenantId,
        clientId: choice.clientId === '' ? s.envClientId ?? '' : choice.clientId,
        ...(s.federatedTokenFile === undefined ? {} : { tokenFilePath: s.federatedTokenFile }),
      });
    case 'managed-identity':
      return choice.clientId === ''
        ? new ManagedIdentityCredential({ httpClient: s.httpClient, retryOptions: { maxRetries: s.maxRetries } })
        : new ManagedIdentityCredential({ clientId: choice.clientId, httpClient: s.httpClient, retryOptions: { maxRetries: s.maxRetries } });
  }
}

export interface ArmSettings {
  credential: TokenCredential;
  subscriptionId: string;
  resourceGroup: string;
  endpoint: string;
  scope: string;
  maxRetries: number;
  httpClient: HttpClient;
}

/** Azure DNS (public zones) on @azure/arm-dns. */
export function azureDnsApi(s: ArmSettings): AzureDnsApi {
  const client = new DnsManagementClient(s.credential, s.subscriptionId, {
    endpoint: s.endpoint, credentialScopes: [s.scope], httpClient: s.httpClient, retryOptions: { maxRetries: s.maxRetries }, apiVersion: DNS_API_VERSION,
  });
  const rg = s.resourceGroup;
  return {
    flavour: 'dns',
    listZones: async (signal) => collectZones(client.zones.listByResourceGroup(rg, { abortSignal: signal })),
    listRecordSets: async (zone, signal) => collect(client.recordSets.listAllByDnsZone(rg, zone, { abortSignal: signal })),
    putRecordSet: async (ref, set, condition, signal) => {
      const res = await client.recordSets.createOrUpdate(rg, ref.zone, ref.relativeName, ref.type as DnsRecordType, body(set), conditional(condition, signal));
      return res.etag;
    },
    deleteRecordSet: async (ref, condition, signal) => {
      await client.recordSets.delete(rg, ref.zone, ref.relativeName, ref.type as DnsRecordType, conditional(condition, signal));
    },
  };
}

/** Azure Private DNS on @azure/arm-privatedns. */
export function azurePrivateDnsApi(s: ArmSettings): AzureDnsApi {
  const client = new PrivateDnsManagementClient(s.credential, s.subscriptionId, {
    endpoint: s.endpoint, credentials: { scopes: [s.scope] }, httpClient: s.httpClient, retryOptions: { maxRetries: s.maxRetries }, apiVersion: PRIVATE_DNS_API_VERSION,
  });
  const rg = s.resourceGroup;
  return {
    flavour: 'private-dns',
    listZones: async (signal) => collectZones(client.privateZones.listByResourceGroup(rg, { abortSignal: signal })),
    listRecordSets: async (zone, signal) => collect(client.recordSets.list(rg, zone, { abortSignal: signal })),
    putRecordSet: async (ref, set, condition, signal) => {
      const res = await client.recordSets.createOrUpdate(rg, ref.zone, ref.type as PrivateRecordType, ref.relativeName, body(set), conditional(condition, signal));
      return res.etag;
    },
    deleteRecordSet: async (ref, condition, signal) => {
      await client.recordSets.delete(rg, ref.zone, ref.type as PrivateRecordType, ref.relativeName, conditional(condition, signal));
    },
  };
}

async function collect(pages: AsyncIterable<AzureRecordSet>): Promise<AzureRecordSet[]> {
  const out: AzureRecordSet[] = [];
  for await (const set of pages) out.push(set);
  return out;
}

async function collectZones(pages: AsyncIterable<{ name?: string | undefined; id?: string | undefined }>): Promise<AzureZone[]> {
  const out: AzureZone[] = [];
  for await (const z of pages) if (z.name !== undefined) out.push({ name: z.name, id: z.id ?? '' });
  return out;
}

/** The record set as a PUT body: its values only (name, type and ETag travel in the URL and headers). */
function body(set: AzureRecordSet): object {
  const values = JSON.parse(JSON.stringify(set)) as Record<string, unknown>;
  for (const k of ['name', 'type', 'etag']) Reflect.deleteProperty(values, k);
  return values;
}

function conditional(condition: WriteCondition, signal: AbortSignal): { abortSignal: AbortSignal; ifMatch?: string; ifNoneMatch?: string } {
  return {
    abortSignal: signal,
    ...(condition.ifMatch === undefined ? {} : { ifMatch: condition.ifMatch }),
    ...(condition.ifNoneMatch === undefined ? {} : { ifNoneMatch: condition.ifNoneMatch }),
  };
}
