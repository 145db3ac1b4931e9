/**
 * What a provider says about itself: one descriptor per src/provider/<name>/,
 * listed in ./table.ts. The CLI, config validation, the trust report, doctor
 * and the error catalogue read providers only through it.
 */
import type { Environment } from '../config/process.ts';
import type { Config, FlagDef, FlagName } from '../config/schema.ts';
import type { ConfigIssue } from '../config/validate.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { ErrorSpec } from '../errors/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRegistry } from '../metrics/prometheus.ts';
import type { Dispatcher } from 'undici';
import type { NativeTrust } from '../tls/native.ts';
import type { ProviderTls } from '../tls/spec.ts';
import type { TrustStore } from '../tls/store.ts';
import type { Clock } from '../util/clock.ts';
import type { Provider } from './provider.ts';
import type { ProviderStats } from './stats.ts';

/** One outgoing connection a provider makes; its trust comes from src/tls. */
export interface TlsConnection {
  /** Connection name in the trust report, e.g. `pdns`. */
  readonly name: string;
  readonly endpoint: string;
  readonly provider?: ProviderTls | undefined;
  /** Provider-native trust settings honoured below --tls-ca (Route53: AWS_CA_BUNDLE, ca_bundle of the profile). */
  readonly native?: NativeTrust | undefined;
  /** Set for an endpoint that is always reached directly (a metadata or managed identity endpoint): why, for the report and doctor. */
  readonly neverProxied?: string | undefined;
}

export interface ProviderDeps {
  logger: Logger;
  clock: Clock;
  /** --domain-filter / --exclude-domains / regex filters, compiled once. */
  domainFilter: DomainFilter;
  /** The process environment, as read once by the CLI (a provider whose SDK reads it names its endpoints from it). */
  env: Environment;
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
  /** Its flags (./<name>/flags.ts), merged into the one config schema by src/config/flags. */
  readonly flags: readonly FlagDef[];
  /** Its error codes (listed in docs/errors.md through the table). */
  readonly errors: Readonly<Record<string, ErrorSpec>>;
  /** Its secret flags that travel in an HTTP header or a signed request: a control character in them is refused at start-up, whatever --provider says. */
  readonly headerSecrets?: readonly FlagName[];
  /** Cross-flag rules checked at start-up when this provider is chosen. */
  validate?: (config: Config) => ConfigIssue[];
  /** The TLS connections the provider would open with this config (for the trust report, doctor, and create). */
  tlsConnections?: (config: Config, env: Environment) => TlsConnection[];
  /**
   * Metrics of ExternalDNS's that belong to this provider (the webhook's
   * external_dns_webhook_provider_* gauges). Registered at start whatever
   * --provider says, as Go's package init registers them; `stats` is this
   * provider's ProviderStats while it is the one running, else undefined.
   */
  metrics?: (registry: MetricsRegistry, stats: () => ProviderStats | undefined) => void;
  create(config: Config, deps: ProviderDeps): Promise<Provider>;
}

/** `--flag='value' is not an http(s) URL` for a provider's base-URL flag; empty when it is one. */
export function httpUrlIssue(flag: string, value: string, example: string): ConfigIssue[] {
  return isHttpUrl(value) ? [] : [{ flags: [flag], message: `--${flag}='${value}' is not an http(s) URL, e.g. ${example}` }];
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The trust the store of an https:// connection gives, or the plain dispatcher for http:// (with the trust-reload hook). */
export function connectionDispatcher(connection: TlsConnection | undefined, endpoint: string, deps: ProviderDeps):
{ dispatcher: Dispatcher | undefined; onTlsFailure: (() => boolean) | undefined } {
  const store = connection === undefined ? undefined : deps.trust(connection);
  return {
    dispatcher: store?.dispatcher() ?? deps.plain?.(endpoint),
    onTlsFailure: store && (() => store.reload('tls-failure')),
  };
}
