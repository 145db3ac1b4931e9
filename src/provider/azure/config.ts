/**
 * azure.json (--azure-config-file) as ExternalDNS v0.22 reads it (getConfig,
 * getCredentials): Go's encoding/json matches keys case-insensitively and
 * ignores unknown ones; the --azure-subscription-id, --azure-resource-group
 * and --azure-user-assigned-identity-client-id flags override the file when
 * set. The credential is chosen in Go's order: a client secret (unless
 * either half is the `msi` placeholder), then workload identity, then
 * managed identity.
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { cloudNamed, type AzureCloud } from './cloud.ts';
import { AzureErrors } from './errors.ts';

export interface AzureFileConfig {
  cloud: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  aadClientId: string;
  aadClientSecret: string;
  useManagedIdentityExtension: boolean;
  useWorkloadIdentityExtension: boolean;
  userAssignedIdentityID: string;
  activeDirectoryAuthorityHost: string;
  resourceManagerAudience: string;
  resourceManagerEndpoint: string;
}

const STRING_KEYS = ['cloud', 'tenantId', 'subscriptionId', 'resourceGroup', 'aadClientId', 'aadClientSecret', 'userAssignedIdentityID',
  'activeDirectoryAuthorityHost', 'resourceManagerAudience', 'resourceManagerEndpoint', 'location'] as const;
const BOOL_KEYS = ['useManagedIdentityExtension', 'useWorkloadIdentityExtension'] as const;

export interface AzureFlagOverrides {
  subscriptionId: string;
  resourceGroup: string;
  userAssignedIdentityClientId: string;
}

export type AzureCredentialChoice =
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'workload-identity'; tenantId: string; clientId: string }
  | { kind: 'managed-identity'; clientId: string };

export interface AzureSettings {
  cloud: AzureCloud;
  subscriptionId: string;
  resourceGroup: string;
  credential: AzureCredentialChoice;
}

/** Parses azure.json with Go's rules: keys case-insensitive, last one wins, unknown keys ignored, types strict. */
export function parseAzureConfig(text: string, path: string, readFailure?: string): AzureFileConfig {
  if (readFailure !== undefined) throw configError(`failed to read Azure config file '${path}': ${readFailure}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw configError(`failed to parse Azure config file '${path}': ${(err as Error).message}`);
  }
  if (raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw configError(`failed to parse Azure config file '${path}': not a JSON object`);
  const out: Record<string, string | boolean> = {};
  for (const k of STRING_KEYS) out[k] = '';
  for (const k of BOOL_KEYS) out[k] = false;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const known = [...STRING_KEYS, ...BOOL_KEYS].find((k) => k.toLowerCase() === key.toLowerCase());
    if (known === undefined || value === null) continue;
    const wantBool = (BOOL_KEYS as readonly string[]).includes(known);
    if (typeof value !== (wantBool ? 'boolean' : 'string')) {
      throw configError(`failed to parse Azure config file '${path}': "${key}" must be a JSON ${wantBool ? 'boolean' : 'string'}`);
    }
    out[known] = value as string | boolean;
  }
  return out as unknown as AzureFileConfig;
}

export function applyFlagOverrides(file: AzureFileConfig, flags: AzureFlagOverrides): AzureFileConfig {
  return {
    ...file,
    ...(flags.subscriptionId === '' ? {} : { subscriptionId: flags.subscriptionId }),
    ...(flags.resourceGroup === '' ? {} : { resourceGroup: flags.resourceGroup }),
    ...(flags.userAssignedIdentityClientId === '' ? {} : { userAssignedIdentityID: flags.userAssignedIdentityClientId }),
  };
}

/** Go's getCredentials order; EXTDNS_AZURE_NO_CREDENTIALS when the file names none. */
export function chooseCredential(cfg: AzureFileConfig): AzureCredentialChoice {
  const isMsi = (s: string): boolean => s.toLowerCase() === 'msi';
  if (cfg.aadClientId !== '' && cfg.aadClientSecret !== '' && !isMsi(cfg.aadClientId) && !isMsi(cfg.aadClientSecret)) {
    return { kind: 'client-secret', tenantId: cfg.tenantId, clientId: cfg.aadClientId, clientSecret: cfg.aadClientSecret };
  }
  if (cfg.useWorkloadIdentityExtension) return { kind: 'workload-identity', tenantId: cfg.tenantId, clientId: cfg.aadClientId };
  if (cfg.useManagedIdentityExtension) return { kind: 'managed-identity', clientId: cfg.userAssignedIdentityID };
  throw new ExtdnsError(AzureErrors.EXTDNS_AZURE_NO_CREDENTIALS,
    'no credentials provided for Azure API: azure.json sets neither aadClientId/aadClientSecret, useWorkloadIdentityExtension nor useManagedIdentityExtension');
}

export function azureSettings(cfg: AzureFileConfig): AzureSettings {
  const cloud = cloudNamed(cfg.cloud, cfg);
  if (cloud === undefined) {
    throw configError(`unknown cloud name: ${cfg.cloud.toUpperCase()} (azure.json "cloud": AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud or AzureStackCloud)`);
  }
  if (cloud.resourceManagerEndpoint === '') {
    throw configError('AzureStackCloud needs "resourceManagerEndpoint" (and "resourceManagerAudience") in azure.json');
  }
  return { cloud, subscriptionId: cfg.subscriptionId, resourceGroup: cfg.resourceGroup, credential: chooseCredential(cfg) };
}

function configError(message: string): ExtdnsError {
  return new ExtdnsError(AzureErrors.EXTDNS_AZURE_CONFIG, message);
}
