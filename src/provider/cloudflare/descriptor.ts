/** `--provider=cloudflare`: Cloudflare DNS through the official `cloudflare` SDK. */
import { CLOUDFLARE_FLAGS } from './flags.ts';
import { readCloudflareEnvironment } from '../../config/environment.ts';
import type { Environment } from '../../config/process.ts';
import type { Config } from '../../config/schema.ts';
import type { ConfigIssue } from '../../config/validate.ts';
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
  validate: unsupportedFeatures,
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
    const counter = new CallCounter(['listZones', 'listRecords', 'batchRecords']);
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
    }, { api, counter, logger: deps.logger, clock: deps.clock });
  },
};

function cloudflareConnections(_config: Config, env: Environment): TlsConnection[] {
  return [{ name: 'cloudflare', endpoint: readCloudflareEnvironment(env).baseUrl ?? CLOUDFLARE_DEFAULT_BASE_URL }];
}

/** Features of v0.22 extdns does not implement yet: refused at start-up rather than ignored. */
function unsupportedFeatures(c: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (c.cloudflareCustomHostnames) {
    issues.push({ flags: ['cloudflare-custom-hostnames'], message: `${CloudflareErrors.EXTDNS_CLOUDFLARE_UNSUPPORTED.code}: --cloudflare-custom-hostnames is not supported by extdns yet` });
  }
  if (c.cloudflareRegionalServices || c.cloudflareRegionKey !== '') {
    issues.push({ flags: ['cloudflare-regional-services', 'cloudflare-region-key'], message: `${CloudflareErrors.EXTDNS_CLOUDFLARE_UNSUPPORTED.code}: Cloudflare regional hostnames (--cloudflare-regional-services, --cloudflare-region-key) are not supported by extdns yet` });
  }
  return issues;
}
