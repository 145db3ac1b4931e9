/**
 * The provider stage from the config, as `extdns` (./build.ts) and
 * `extdns webhook` (./webhook.ts) both need it: the domain filter, the unused
 * --tls-* warnings, one trust store per TLS connection, the proxy-aware plain
 * dispatcher for http:// endpoints, and the provider from its descriptor.
 */
import type { Dispatcher } from 'undici';
import type { Environment } from '../config/process.ts';
import type { Config } from '../config/schema.ts';
import { createDomainFilter } from '../endpoint/domain-filter.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Logger } from '../log/logger.ts';
import type { Provider } from '../provider/provider.ts';
import { PROVIDERS, type TlsConnection } from '../provider/table.ts';
import { describeRouteTo } from '../tls/proxy.ts';
import type { TrustStore } from '../tls/store.ts';
import type { Clock } from '../util/clock.ts';
import { redactUrls } from '../util/url-secrets.ts';
import { connectionSpec, proxyFromEnvironment, unusedTlsWarnings } from './trust-wiring.ts';

export interface ProviderWiringDeps {
  logger: Logger;
  clock: Clock;
  env: Environment;
}

/** What the provider stage opened: closed together by whoever assembled it. */
export interface HeldConnections {
  readonly stores: TrustStore[];
  /** The proxy-aware dispatcher of plain http:// provider endpoints, once asked for. */
  plain?: Dispatcher | undefined;
}

export function domainFilterFrom(config: Config): DomainFilter {
  return createDomainFilter({
    include: config.domainFilter,
    exclude: config.excludeDomains,
    regexInclude: config.regexDomainFilter,
    regexExclude: config.regexDomainExclusion,
  });
}

export function closeConnections(held: HeldConnections): Promise<unknown> {
  return Promise.all([...held.stores.map((s) => s.close()), held.plain?.close()]);
}

/** Builds the configured provider; the trust stores and dispatcher it opens are added to `held`. */
export async function assembleProvider(config: Config, deps: ProviderWiringDeps, held: HeldConnections): Promise<{ provider: Provider; domainFilter: DomainFilter }> {
  const descriptor = PROVIDERS[config.provider];
  if (descriptor === undefined) throw new Error(`internal: ${config.provider} passed the parser but has no descriptor`);
  const domainFilter = domainFilterFrom(config);
  for (const warning of unusedTlsWarnings(config, deps.env)) deps.logger.warn(warning);
  const { createTrustStore, plainDispatcher } = await connectionModules(descriptor.usesTls, config.provider);
  const trust = (connection: TlsConnection): TrustStore => {
    const store = createTrustStore(connectionSpec(config, deps.env, connection), { clock: deps.clock, logger: deps.logger.child({ stage: 'tls' }) });
    held.stores.push(store);
    return store;
  };
  const proxy = proxyFromEnvironment(deps.env);
  const plain = (endpoint: string): Dispatcher => {
    deps.logger.info('Plain http connection', { connection: config.provider, endpoint: redactUrls(endpoint), proxy: describeRouteTo(proxy, endpoint) });
    // An https:// proxy is verified with the global trust, as every connection's proxy is.
    const route = proxy.routeFor(endpoint);
    const proxyTrust = route.kind === 'proxy' && route.url.protocol === 'https:' ? trust({ name: 'proxy', endpoint: route.url.href }) : undefined;
    held.plain ??= plainDispatcher(proxy, proxyTrust?.current().secureContext);
    return held.plain;
  };
  const provider = await descriptor.create(config, {
    logger: deps.logger.child({ provider: config.provider }), clock: deps.clock, env: deps.env, domainFilter, trust, plain,
  });
  return { provider, domainFilter };
}

type ConnectionModules = Pick<typeof import('../tls/store.ts'), 'createTrustStore'> & Pick<typeof import('../tls/agents.ts'), 'plainDispatcher'>;

/** The trust stores and agents (undici), loaded only for a provider that makes connections (issue 22: idle memory). */
async function connectionModules(usesTls: boolean, provider: string): Promise<ConnectionModules> {
  if (usesTls) {
    const [{ createTrustStore }, { plainDispatcher }] = await Promise.all([import('../tls/store.ts'), import('../tls/agents.ts')]);
    return { createTrustStore, plainDispatcher };
  }
  const none = (): never => { throw new Error(`internal: --provider=${provider} opens no connections but asked for one`); };
  return { createTrustStore: none, plainDispatcher: none };
}
