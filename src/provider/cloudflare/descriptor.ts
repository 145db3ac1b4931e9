/** `--provider=cloudflare`: Cloudflare DNS through the official `cloudflare` SDK. */
import { CLOUDFLARE_FLAGS } from './flags.ts';
import { readCloudflareEnvironment } from './environment.ts';
import type { Environment } from '../../config/process.ts';
import type { Config } from '../../config/schema.ts';
import type { ProviderDescriptor, TlsConnection } from '../descriptor.ts';
import { CallCounter } from '../stats.ts';
import { CloudflareErrors } from './errors.ts';

export const CLOUDFLARE_DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';

export const cloudflare: ProviderDescriptor = {
  name: 'cloudflare',
  description: 'Cloudflare DNS through the official SDK (CF_API_TOKEN, or CF_API_KEY + CF_API_EMAIL; CLOUDFLARE_BASE_URL)',
  usesTls: true,
  flags: CLOUDFLARE_FLAGS,
  errors: CloudflareErrors,
  tlsConnections: cloudflareConnections,
  create: async (config, deps) => {
    const [connection] = cloudflareConnections(config, deps.env);
    if (connection === undefined) throw new Error('unreachable: cloudflare always has one connection');
    // The SDK is loaded only when the cloudflare provider is used.
    const [{ createSdkApi }, { createCloudflareProvider }, { resolveCredentials }] = await Promise.all([
      import('./sdk.ts'), import('./provider.ts'), import('./credentials.ts'),
    ]);
    const cfEnv = readCloudflareEnvironment(deps.env);
    const store = deps.trust(connection);
    const counter = new CallCounter(['listZones', 'listRecords', 'batchRecords', ...(config.cloudflareCustomHostnames ? ['listCustomHostnames'] : [])]);
    const api = createSdkApi({
      credentials: await resolveCredentials(cfEnv),
      baseUrl: cfEnv.baseUrl,
      recordsPerPage: config.cloudflareDnsRecordsPerPage,
      dispatcher: store.dispatcher(),
      clock: deps.clock,
      counter,
      onTlsFailure: () => store.reload('tls-failure'),
    });
    return createCloudflareProvider({
      domainFilter: deps.domainFilter,
      zoneIdFilter: config.zoneIdFilter,
      proxiedByDefault: config.cloudflareProxied,
      recordComment: config.cloudflareRecordComment,
      batchChangeSize: config.batchChangeSize,
      batchChangeIntervalMs: config.batchChangeInterval,
      customHostnames: config.cloudflareCustomHostnames ? {
        minTlsVersion: config.cloudflareCustomHostnamesMinTlsVersion,
        certificateAuthority: config.cloudflareCustomHostnamesCertificateAuthority,
      } : undefined,
      // ExternalDNS: a region key turns Regional Services on by itself.
      regionKey: config.cloudflareRegionalServices || config.cloudflareRegionKey !== '' ? config.cloudflareRegionKey : undefined,
    }, { api, counter, logger: deps.logger, clock: deps.clock });
  },
};

function cloudflareConnections(_config: Config, env: Environment): TlsConnection[] {
  return [{ name: 'cloudflare', endpoint: readCloudflareEnvironment(env).baseUrl ?? CLOUDFLARE_DEFAULT_BASE_URL }];
}
