/** The Google provider's heavy half, imported by ./descriptor.ts only when --provider=google. */
import type { Dispatcher } from 'undici';
import type { Config } from '../../config/schema.ts';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Clock } from '../../util/clock.ts';
import type { Provider } from '../provider.ts';
import type { ProviderStats } from '../stats.ts';
import { createGoogleApi } from './api.ts';
import { googleCredentials, metadataProjectId } from './auth.ts';
import { GoogleErrors } from './errors.ts';
import { createGoogleProvider } from './provider.ts';

export interface GoogleWiring {
  logger: Logger;
  clock: Clock;
  domainFilter: DomainFilter;
  /** The Cloud DNS base URL (CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS or the default). */
  endpoint: string;
  credentialsFile?: string | undefined;
  /** Cloud DNS's trust (and that of any token URL without a connection of its own). */
  dispatcher?: Dispatcher | undefined;
  /** The trust of a token URL's own connection (the token endpoint, STS, impersonation). */
  route?: ((url: string) => Dispatcher | undefined) | undefined;
  /** The metadata server's connection: direct, never proxied. */
  metadataDispatcher?: Dispatcher | undefined;
  onTlsFailure?: (() => boolean) | undefined;
}

export async function createGoogleProviderFromConfig(config: Config, w: GoogleWiring): Promise<Provider & ProviderStats> {
  if (!w.endpoint.startsWith('https://')) {
    throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_CONFIG, `CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS='${w.endpoint}' is not an https URL, e.g. https://dns.googleapis.com/dns/v1/`);
  }
  if (w.credentialsFile !== undefined) w.logger.info('Google credentials from GOOGLE_APPLICATION_CREDENTIALS', { file: w.credentialsFile });
  let project = config.googleProject;
  if (project === '') {
    project = await metadataProjectId(w.metadataDispatcher);
    w.logger.info('Google project auto-detected', { project });
  }
  const credentials = await googleCredentials({ dispatcher: w.dispatcher, route: w.route, metadataDispatcher: w.metadataDispatcher, projectId: project });
  const api = createGoogleApi({
    base: w.endpoint, project, token: () => credentials.token(),
    dispatcher: w.dispatcher, onTlsFailure: w.onTlsFailure, logger: w.logger, clock: w.clock,
  });
  return createGoogleProvider({
    domainFilter: w.domainFilter,
    zoneIdFilter: config.zoneIdFilter,
    zoneVisibility: config.googleZoneVisibility,
    batchChangeSize: config.googleBatchChangeSize,
    batchChangeIntervalMs: config.googleBatchChangeInterval,
  }, { api, logger: w.logger, clock: w.clock });
}
