/**
 * One registry with every metric extdns exports, and the hook the pipeline
 * builder calls to get the controller's observer once the provider, the
 * registry and the trust stores exist.
 */
import type { SyncObserver } from '../controller/controller.ts';
import type { Provider } from '../provider/provider.ts';
import type { TrustStore } from '../tls/store.ts';
import type { Clock } from '../util/clock.ts';
import { defineExternalDnsMetrics, defineProviderCacheMetrics, type BuildInfo, type ExternalDnsMetrics } from './external-dns.ts';
import { defineExtdnsMetrics, type ExtdnsMetrics } from './extdns.ts';
import { instrumentHttp } from './http.ts';
import { createMetricsObserver } from './observer.ts';
import { defineProcessMetrics } from './process.ts';
import { providerStatsOf, type ProviderStats } from './provider-stats.ts';
import { providerCacheOf } from '../provider/cached.ts';
import { PROVIDER_METRICS } from '../provider/table.ts';
import { MetricsRegistry } from './prometheus.ts';

/** What the pipeline builder hands over (src/cli/build.ts). */
export interface PipelineParts {
  provider: Provider;
  /** The --provider name, e.g. "pdns" (it also picks whose own metrics read the provider's stats: ProviderDescriptor.metrics). */
  providerName: string;
  ownerId: string;
  /** Filled as connections are built; read at each scrape. */
  trustStores: readonly TrustStore[];
  /** For the status page: --policy, dry run, the --domain-filter domains names are grouped by. */
  policy?: string | undefined;
  dryRun?: boolean | undefined;
  zones?: readonly string[] | undefined;
}

export type AttachObserver = (parts: PipelineParts) => SyncObserver;

export interface Telemetry {
  readonly registry: MetricsRegistry;
  readonly external: ExternalDnsMetrics;
  readonly own: ExtdnsMetrics;
  readonly attach: AttachObserver;
  /** Called after every successful sync (readiness listens here). */
  onSynced(listener: () => void): void;
  /** Leader election reports here; 0 until it does. */
  setLeader(isLeader: boolean): void;
  /** Stops listening to outgoing HTTP requests. */
  close(): void;
}

export interface TelemetryOptions {
  clock: Clock;
  build: BuildInfo;
  /** Listen to the process's outgoing HTTP requests (default true). */
  instrumentHttp?: boolean;
}

export function createTelemetry(options: TelemetryOptions): Telemetry {
  const registry = new MetricsRegistry();
  let parts: PipelineParts | undefined;
  let stats: ProviderStats | undefined;
  const listeners: (() => void)[] = [];
  const external = defineExternalDnsMetrics(registry, options.build, () => options.clock.now());
  const own = defineExtdnsMetrics(registry, {
    trustStores: () => parts?.trustStores ?? [],
    provider: () => (parts === undefined || stats === undefined ? undefined : { name: parts.providerName, stats }),
  });
  for (const { name, define } of PROVIDER_METRICS) define(registry, () => (parts?.providerName === name ? stats : undefined));
  defineProviderCacheMetrics(registry, () => (parts === undefined ? undefined : providerCacheOf(parts.provider)?.cacheCalls()));
  defineProcessMetrics(registry, options.clock);
  const stopHttp = options.instrumentHttp === false ? (): void => undefined : instrumentHttp(external.httpRequestDuration, options.clock);
  return {
    registry,
    external,
    own,
    attach: (p) => {
      parts = p;
      stats = providerStatsOf(p.provider);
      return createMetricsObserver({
        external, own, clock: options.clock, ownerId: p.ownerId,
        onSynced: () => {
          for (const l of listeners) l();
        },
      });
    },
    onSynced: (listener) => {
      listeners.push(listener);
    },
    setLeader: (isLeader) => {
      own.leader.set(isLeader ? 1 : 0);
    },
    close: stopHttp,
  };
}
