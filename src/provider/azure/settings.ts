/**
 * Everything the Azure providers take from the config, azure.json and the
 * environment, resolved once: the cloud's endpoints, the credential, and the
 * connections whose trust src/tls builds (Resource Manager, and the Active
 * Directory authority for client secrets and workload identity, or the
 * managed identity endpoint, reached directly).
 */
import { readFileSync } from 'node:fs';
import { readAzureEnvironment, type AzureEnvironment } from './environment.ts';
import type { Environment } from '../../config/process.ts';
import type { Config } from '../../config/schema.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { TlsConnection } from '../descriptor.ts';
import { applyFlagOverrides, azureSettings, parseAzureConfig, type AzureSettings } from './config.ts';

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com/';
const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token';
export const IDENTITY_NEVER_PROXIED = 'managed identity endpoints are host-local: never proxied';

export interface ResolvedAzure extends AzureSettings {
  /** Where tokens come from for client secrets and workload identity. */
  authorityHost: string;
  env: AzureEnvironment;
}

/** Reads azure.json (--azure-config-file) with the --azure-* overrides; throws EXTDNS_AZURE_CONFIG / _NO_CREDENTIALS. */
export function resolveAzure(config: Config, env: Environment): ResolvedAzure {
  const path = config.azureConfigFile;
  try {
    return resolveText(config, env, { path, text: readFileSync(path, 'utf8') });
  } catch (err) {
    if (err instanceof ExtdnsError) throw err;
    return resolveText(config, env, { path, text: '', readFailure: (err as Error).message });
  }
}

function resolveText(config: Config, env: Environment, file_: { path: string; text: string; readFailure?: string }): ResolvedAzure {
  const file = applyFlagOverrides(parseAzureConfig(file_.text, file_.path, file_.readFailure), {
    subscriptionId: config.azureSubscriptionId,
    resourceGroup: config.azureResourceGroup,
    userAssignedIdentityClientId: config.azureUserAssignedIdentityClientId,
  });
  const settings = azureSettings(file);
  const azureEnv = readAzureEnvironment(env);
  // azidentity: the cloud's authority, else AZURE_AUTHORITY_HOST, else the public one.
  const authorityHost = settings.cloud.authorityHost !== '' ? settings.cloud.authorityHost : azureEnv.authorityHost ?? PUBLIC_AUTHORITY;
  return { ...settings, authorityHost, env: azureEnv };
}

/** The connections for the trust report, doctor and create; none when azure.json cannot be read (create says why). */
export function azureConnections(config: Config, env: Environment): TlsConnection[] {
  let resolved: ResolvedAzure;
  try {
    resolved = resolveAzure(config, env);
  } catch {
    return [];
  }
  const arm: TlsConnection = { name: 'azure', endpoint: resolved.cloud.resourceManagerEndpoint };
  if (resolved.credential.kind === 'managed-identity') return [arm, { name: 'azure-identity', endpoint: managedIdentityEndpoint(resolved.env), neverProxied: IDENTITY_NEVER_PROXIED }];
  return [arm, { name: 'azure-ad', endpoint: resolved.authorityHost }];
}

/** Where the managed identity credential asks: IDENTITY_ENDPOINT (App Service, Arc), else IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST or 169.254.169.254). */
function managedIdentityEndpoint(env: AzureEnvironment): string {
  if (env.identityEndpoint !== undefined) return env.identityEndpoint;
  return new URL(IMDS_TOKEN_PATH, env.imdsHost ?? 'http://169.254.169.254').href;
}
