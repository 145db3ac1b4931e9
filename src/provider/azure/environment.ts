/**
 * The environment variables the Azure credentials read, as azidentity does.
 * Read from the environment the CLI hands the descriptor, never from
 * process.env.
 */
import { envValue, pickDefined } from '../../config/environment.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** What the Azure credentials read (as azidentity does): workload identity's token file and IDs, the authority, the managed identity endpoint. */
export interface AzureEnvironment {
  /** AZURE_FEDERATED_TOKEN_FILE: the projected service account token (workload identity). */
  readonly federatedTokenFile?: string;
  /** AZURE_CLIENT_ID, AZURE_TENANT_ID: workload identity's IDs when azure.json leaves them out. */
  readonly clientId?: string;
  readonly tenantId?: string;
  /** AZURE_AUTHORITY_HOST: the authority when the cloud names none (Azure Stack Hub without activeDirectoryAuthorityHost). */
  readonly authorityHost?: string;
  /** IDENTITY_ENDPOINT (App Service, Arc, Service Fabric managed identity); the IMDS address is used without it. */
  readonly identityEndpoint?: string;
  /** AZURE_POD_IDENTITY_AUTHORITY_HOST: the IMDS address when it is not 169.254.169.254 (pod identity, tests). */
  readonly imdsHost?: string;
}

export function readAzureEnvironment(env: Env): AzureEnvironment {
  return {
    ...pickDefined('federatedTokenFile', envValue(env, 'AZURE_FEDERATED_TOKEN_FILE')),
    ...pickDefined('clientId', envValue(env, 'AZURE_CLIENT_ID')),
    ...pickDefined('tenantId', envValue(env, 'AZURE_TENANT_ID')),
    ...pickDefined('authorityHost', envValue(env, 'AZURE_AUTHORITY_HOST')),
    ...pickDefined('identityEndpoint', envValue(env, 'IDENTITY_ENDPOINT')),
    ...pickDefined('imdsHost', envValue(env, 'AZURE_POD_IDENTITY_AUTHORITY_HOST')),
  };
}
