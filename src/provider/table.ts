/**
 * The provider table: every `--provider` name extdns supports, each with the
 * one function that picks its options out of the whole config.
 */
import type { Config } from '../config/schema.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Logger } from '../log/logger.ts';
import type { Dispatcher } from 'undici';
import type { ProviderTls } from '../tls/spec.ts';
import type { TrustStore } from '../tls/store.ts';
import type { Clock } from '../util/clock.ts';
import { createInMemoryProvider } from './inmemory/inmemory.ts';
import type { Provider } from './provider.ts';
import { createZonefileProvider } from './zonefile/zonefile.ts';
import { createPdnsProvider } from './pdns/provider.ts';
import { route53Endpoint, stsEndpoint } from './aws/endpoint.ts';
import { readAwsEnvironment } from '../config/environment.ts';
import { processEnvironment } from '../config/process.ts';
import { createWebhookProvider } from './webhook/client.ts';
import { createRfc2136FromConfig, rfc2136Connections } from './rfc2136/descriptor.ts';

/** One outgoing connection a provider makes; its trust comes from src/tls. */
export interface TlsConnection {
  /** Connection name in the trust report, e.g. `pdns`. */
  readonly name: string;
  readonly endpoint: string;
  readonly provider?: ProviderTls | undefined;
  /** Provider-native trust settings honoured below --tls-ca (`aws`: AWS_CA_BUNDLE). */
  readonly native?: 'aws' | undefined;
}

export interface ProviderDeps {
  logger: Logger;
  clock: Clock;
  /** --domain-filter / --exclude-domains / regex filters, compiled once. */
  domainFilter: DomainFilter;
  /** The trust store of one of this provider's connections (built once per connection by the CLI). */
  trust: (connection: TlsConnection) => TrustStore;
  /** The dispatcher for a plain http:// endpoint: no TLS, but the proxy rules of every connection (its route is logged). */
  plain?: ((endpoint: string) => Dispatcher) | undefined;
}

export interface ProviderDescriptor {
  readonly name: string;
  readonly description: string;
  /** Whether the provider makes TLS connections (else the --tls-* flags are warned about as unused). */
  readonly usesTls: boolean;
  /** The TLS connections the provider would open with this config (for the trust report, doctor, and create). */
  tlsConnections?: (config: Config) => TlsConnection[];
  create(config: Config, deps: ProviderDeps): Promise<Provider>;
}

export const PROVIDERS: Readonly<Record<string, ProviderDescriptor>> = {
  inmemory: {
    name: 'inmemory',
    description: 'records held in memory (testing); zones from --inmemory-zone',
    usesTls: false,
    create: (config, deps) =>
      Promise.resolve(createInMemoryProvider({ zones: config.inmemoryZone, domainFilter: deps.domainFilter })),
  },
  zonefile: {
    name: 'zonefile',
    description: 'RFC 1035 zone files, one DIR/<zone>.zone per zone (--zonefile-dir)',
    usesTls: false,
    create: (config, deps) =>
      Promise.resolve(createZonefileProvider({ dir: config.zonefileDir, domainFilter: deps.domainFilter },
        { clock: deps.clock, logger: deps.logger })),
  },
  pdns: {
    name: 'pdns',
    description: 'PowerDNS Authoritative through its HTTP API (--pdns-server, --pdns-api-key)',
    usesTls: true,
    tlsConnections: pdnsConnections,
    create: (config, deps) => {
      const connection = pdnsConnections(config)[0];
      const store = connection === undefined ? undefined : deps.trust(connection);
      const dispatcher = store?.dispatcher() ?? deps.plain?.(config.pdnsServer);
      return Promise.resolve(createPdnsProvider({
        server: config.pdnsServer,
        serverId: config.pdnsServerId,
        apiKey: config.pdnsApiKey,
        skipTlsVerify: config.pdnsSkipTlsVerify,
        domainFilter: deps.domainFilter,
      }, { logger: deps.logger, clock: deps.clock, dispatcher, onTlsFailure: store && (() => store.reload('tls-failure')) }));
    },
  },
  aws: {
    name: 'aws',
    description: 'Amazon Route53 through the AWS SDK (credentials and region from the SDK chain, --aws-* flags)',
    usesTls: true,
    tlsConnections: awsConnections,
    create: async (config, deps) => {
      const [connection] = awsConnections();
      if (connection === undefined) throw new Error('unreachable: aws always has one connection');
      // The AWS SDK is tens of MiB of modules: loaded only when the aws provider is used.
      const { createAwsProvider, createRoute53Client } = await import('./aws/index.ts');
      const store = deps.trust(connection);
      const httpsAgent = store.httpsAgent();
      const profiles = config.awsProfile.length > 0 ? config.awsProfile : [''];
      const clients = profiles.map((profile) => ({ profile, client: createRoute53Client({
        profile, assumeRole: config.awsAssumeRole, assumeRoleExternalId: config.awsAssumeRoleExternalId, httpsAgent,
      }) }));
      return createAwsProvider({
        domainFilter: deps.domainFilter,
        zoneIdFilter: config.zoneIdFilter,
        zoneType: config.awsZoneType,
        zoneTags: config.awsZoneTags,
        zoneMatchParent: config.awsZoneMatchParent,
        batchChangeSize: config.awsBatchChangeSize,
        batchChangeSizeBytes: config.awsBatchChangeSizeBytes,
        batchChangeSizeValues: config.awsBatchChangeSizeValues,
        batchChangeIntervalMs: config.awsBatchChangeInterval,
        evaluateTargetHealth: config.awsEvaluateTargetHealth,
        preferCname: config.awsPreferCname,
        zonesCacheDurationMs: config.awsZonesCacheDuration,
        apiRetries: config.awsApiRetries,
      }, { logger: deps.logger, clock: deps.clock, clients, onTlsFailure: () => store.reload('tls-failure') });
    },
  },
  webhook: {
    name: 'webhook',
    description: 'an out-of-tree provider behind the ExternalDNS webhook protocol (--webhook-provider-url)',
    usesTls: true,
    tlsConnections: webhookConnections,
    create: (config, deps) => {
      const [connection] = webhookConnections(config);
      const store = connection === undefined ? undefined : deps.trust(connection);
      const dispatcher = store?.dispatcher() ?? deps.plain?.(config.webhookProviderUrl);
      // A failed negotiation throws; buildPipeline then closes the trust store made here.
      return createWebhookProvider({
        url: config.webhookProviderUrl,
        readTimeoutMs: config.webhookProviderReadTimeout,
        writeTimeoutMs: config.webhookProviderWriteTimeout,
        maxBodySize: config.webhookProviderMaxBodySize,
      }, { logger: deps.logger, clock: deps.clock, dispatcher, onTlsFailure: store && (() => store.reload('tls-failure')) });
    },
  },
  rfc2136: {
    name: 'rfc2136',
    description: 'dynamic DNS updates (RFC 2136) with TSIG to BIND, Knot and others (--rfc2136-host, --rfc2136-zone); AXFR to list, DNS over TLS with --rfc2136-use-tls',
    usesTls: true,
    tlsConnections: rfc2136Connections,
    create: (config, deps) => Promise.resolve(createRfc2136FromConfig(config, deps)),
  },
};

/** The webhook over https:// gets its trust from src/tls; plain http:// needs none. */
function webhookConnections(config: Config): TlsConnection[] {
  return config.webhookProviderUrl.startsWith('https://') ? [{ name: 'webhook', endpoint: config.webhookProviderUrl }] : [];
}

/** Route53: one connection, to the endpoint the SDK will use; AWS_CA_BUNDLE is honoured below --tls-ca. */
/**
 * Route53, and STS when --aws-assume-role is set (same trust: the SDK sends AssumeRole through the
 * Route53 agent; listed so that `extdns trust` and `extdns doctor` check that endpoint too). Read from
 * the process environment because that is what the SDK reads.
 */
function awsConnections(config?: Config): TlsConnection[] {
  const env = readAwsEnvironment(processEnvironment());
  const route53: TlsConnection = { name: 'aws', endpoint: route53Endpoint(env), native: 'aws' };
  return config === undefined || config.awsAssumeRole === '' ? [route53] : [route53, { name: 'aws-sts', endpoint: stsEndpoint(env), native: 'aws' }];
}

/** PowerDNS over https:// gets its trust from src/tls; plain http:// needs none. */
function pdnsConnections(config: Config): TlsConnection[] {
  if (!config.pdnsServer.startsWith('https://')) return [];
  return [{
    name: 'pdns',
    endpoint: config.pdnsServer,
    provider: config.pdnsSkipTlsVerify ? { skipVerifyFlag: '--pdns-skip-tls-verify' } : undefined,
  }];
}

export const SUPPORTED_PROVIDERS: readonly string[] = Object.keys(PROVIDERS);
