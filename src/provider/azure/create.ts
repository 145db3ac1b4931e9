/**
 * Builds an Azure DNS or Azure Private DNS provider from the config: azure.json
 * and the flags (./settings.ts), the trust of each connection from src/tls,
 * and the SDKs, loaded only now.
 */
import { createDomainFilter } from '../../endpoint/domain-filter.ts';
import type { Config } from '../../config/schema.ts';
import type { ProviderDeps, TlsConnection } from '../descriptor.ts';
import type { Provider } from '../provider.ts';
import { CallCounter } from '../stats.ts';
import type { AzureRoute } from './http-client.ts';
import { resourceManagerScope } from './cloud.ts';
import { AZURE_DNS_TYPES, AZURE_PRIVATE_DNS_TYPES, createAzureProvider } from './provider.ts';
import { azureConnections, resolveAzure } from './settings.ts';

export type AzureFlavour = 'dns' | 'private-dns';

const CREDENTIAL_LOG = {
  'client-secret': 'Using client_id+client_secret to retrieve access token for Azure API.',
  'workload-identity': 'Using workload identity extension to retrieve access token for Azure API.',
  'managed-identity': 'Using managed identity extension to retrieve access token for Azure API.',
} as const;

export async function createAzureFlavour(flavour: AzureFlavour, config: Config, deps: ProviderDeps): Promise<Provider> {
  const resolved = resolveAzure(config, deps.env);
  const sdk = await import('./index.ts');
  const counter = new CallCounter(sdk.AZURE_OPERATIONS);
  const transport: { last?: Error | undefined } = {};
  const maxRetries = Math.max(0, config.azureMaxretriesCount);
  const httpClient = sdk.azureHttpClient({
    route: router(azureConnections(config, deps.env), deps), counter, clock: deps.clock, maxRetries, onTransportFailure: (err) => { transport.last = err; },
  });
  deps.logger.info(CREDENTIAL_LOG[resolved.credential.kind]);
  const credential = sdk.createCredential({
    choice: resolved.credential,
    authorityHost: resolved.authorityHost,
    disableInstanceDiscovery: resolved.cloud.name === 'AzureStackCloud',
    federatedTokenFile: resolved.env.federatedTokenFile,
    envClientId: resolved.env.clientId,
    envTenantId: resolved.env.tenantId,
    maxRetries,
    httpClient,
  });
  const arm = {
    credential, httpClient, maxRetries,
    subscriptionId: resolved.subscriptionId,
    resourceGroup: resolved.resourceGroup,
    endpoint: resolved.cloud.resourceManagerEndpoint,
    scope: resourceManagerScope(resolved.cloud),
  };
  return createAzureProvider({
    recordTypes: flavour === 'dns' ? AZURE_DNS_TYPES : AZURE_PRIVATE_DNS_TYPES,
    domainFilter: deps.domainFilter,
    zoneNameFilter: createDomainFilter({ include: config.zoneNameFilter }),
    zoneIdFilter: config.zoneIdFilter,
    zonesCacheDurationMs: config.azureZonesCacheDuration,
  }, { api: flavour === 'dns' ? sdk.azureDnsApi(arm) : sdk.azurePrivateDnsApi(arm), logger: deps.logger, clock: deps.clock, counter, transport });
}

/**
 * Each URL on the trust of its connection, by origin: Resource Manager, the
 * AD authority, or the managed identity endpoint (IMDS or IDENTITY_ENDPOINT,
 * whose connection is never proxied); another plain http:// URL on the plain
 * dispatcher; anything else on Resource Manager's trust.
 */
function router(connections: readonly TlsConnection[], deps: ProviderDeps): (url: string) => AzureRoute {
  const routes = connections.map((c) => {
    const store = deps.trust(c);
    return { origin: new URL(c.endpoint).origin, route: { dispatcher: store.dispatcher(), onTlsFailure: () => store.reload('tls-failure') } };
  });
  return (url) => {
    const origin = new URL(url).origin;
    const found = routes.find((r) => r.origin === origin);
    if (found !== undefined) return found.route;
    if (url.startsWith('http://')) return { dispatcher: deps.plain?.(url) };
    return routes[0]?.route ?? {};
  };
}
