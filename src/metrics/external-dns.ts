/**
 * The metrics ExternalDNS v0.22 exports, with its names, types, labels and
 * help texts, so that existing dashboards and alerts keep working.
 * (Go runtime metrics have no Node equivalent; see ./process.ts for the
 * process_* ones.)
 */
import type { ProviderCacheCalls } from '../provider/cached.ts';
import type { Counter, Gauge, MetricsRegistry, Summary } from './prometheus.ts';

export interface BuildInfo {
  version: string;
  /** Source revision, "unknown" when not known. */
  revision: string;
  /** The runtime in the `go_version` label: Node's version (e.g. "node v24.1.0"). */
  runtime: string;
  os: string;
  arch: string;
}

export interface ExternalDnsMetrics {
  consecutiveSoftErrors: Gauge;
  lastReconcileTimestamp: Gauge;
  lastSyncTimestamp: Gauge;
  noOpRuns: Counter;
  verifiedRecords: Gauge;
  registryEndpoints: Gauge;
  registryErrors: Counter;
  registryRecords: Gauge;
  ownerMismatchPerSync: Gauge;
  sourceEndpoints: Gauge;
  sourceErrors: Counter;
  sourceRecords: Gauge;
  sourceInvalidEndpoints: Gauge;
  sourceDeduplicatedEndpoints: Gauge;
  /** Outgoing HTTP requests; see ./http.ts. */
  httpRequestDuration: Summary;
}

/** Build info of this process; the Go labels carry Node's equivalents. */
export function runtimeBuildInfo(version: string, revision = 'unknown'): BuildInfo {
  return { version, revision, runtime: `node ${process.version}`, os: process.platform, arch: process.arch };
}

/** ExternalDNS's metric namespace (a provider's own metrics use it too: ProviderDescriptor.metrics). */
export const NS = 'external_dns';
const RECORD_TYPE = ['record_type'] as const;

export function defineExternalDnsMetrics(registry: MetricsRegistry, build: BuildInfo, now: () => number): ExternalDnsMetrics {
  registry.gauge({
    name: `${NS}_build_info`,
    help: `A metric with a constant '1' value labeled with 'version' and 'revision' of ${NS} and the 'go_version', 'os' and the 'arch' used the build.`,
    constLabels: { version: build.version, revision: build.revision, go_version: build.runtime, os: build.os, arch: build.arch },
  }).set(1);
  return {
    ...controllerMetrics(registry),
    ...registryMetrics(registry),
    ...sourceMetrics(registry),
    httpRequestDuration: registry.summary({
      name: `${NS}_http_request_duration_seconds`,
      help: 'The HTTP request latencies in seconds.',
      constLabels: { handler: 'instrumented_http' },
      labelNames: ['scheme', 'host', 'path', 'method', 'status'],
      quantiles: [0.5, 0.9, 0.99],
      now,
    }),
  };
}

function controllerMetrics(r: MetricsRegistry): Pick<ExternalDnsMetrics,
  'consecutiveSoftErrors' | 'lastReconcileTimestamp' | 'lastSyncTimestamp' | 'noOpRuns' | 'verifiedRecords'> {
  return {
    consecutiveSoftErrors: r.gauge({ name: `${NS}_controller_consecutive_soft_errors`, help: 'Number of consecutive soft errors in reconciliation loop.' }),
    lastReconcileTimestamp: r.gauge({ name: `${NS}_controller_last_reconcile_timestamp_seconds`, help: 'Timestamp of last attempted sync with the DNS provider' }),
    lastSyncTimestamp: r.gauge({ name: `${NS}_controller_last_sync_timestamp_seconds`, help: 'Timestamp of last successful sync with the DNS provider' }),
    noOpRuns: r.counter({ name: `${NS}_controller_no_op_runs_total`, help: 'Number of reconcile loops ending up with no changes on the DNS provider side.' }),
    verifiedRecords: r.gauge({
      name: `${NS}_controller_verified_records`, help: 'Number of DNS records that exists both in source and registry (vector).', labelNames: RECORD_TYPE,
    }),
  };
}

function registryMetrics(r: MetricsRegistry): Pick<ExternalDnsMetrics, 'registryEndpoints' | 'registryErrors' | 'registryRecords' | 'ownerMismatchPerSync'> {
  return {
    registryEndpoints: r.gauge({ name: `${NS}_registry_endpoints_total`, help: 'Number of Endpoints in the registry' }),
    registryErrors: r.counter({ name: `${NS}_registry_errors_total`, help: 'Number of Registry errors.' }),
    registryRecords: r.gauge({
      name: `${NS}_registry_records`, help: 'Number of registry records partitioned by label name (vector).', labelNames: RECORD_TYPE,
    }),
    ownerMismatchPerSync: r.gauge({
      name: `${NS}_registry_skipped_records_owner_mismatch_per_sync`,
      help: 'Number of records skipped with owner mismatch for each record type, owner mismatch ID and domain (vector).',
      labelNames: ['record_type', 'owner', 'foreign_owner', 'domain'],
    }),
  };
}

function sourceMetrics(r: MetricsRegistry): Pick<ExternalDnsMetrics,
  'sourceEndpoints' | 'sourceErrors' | 'sourceRecords' | 'sourceInvalidEndpoints' | 'sourceDeduplicatedEndpoints'> {
  return {
    sourceEndpoints: r.gauge({ name: `${NS}_source_endpoints_total`, help: 'Number of Endpoints in all sources' }),
    sourceErrors: r.counter({ name: `${NS}_source_errors_total`, help: 'Number of Source errors.' }),
    sourceRecords: r.gauge({
      name: `${NS}_source_records`, help: 'Number of source records partitioned by label name (vector).', labelNames: RECORD_TYPE,
    }),
    sourceInvalidEndpoints: r.gauge({
      name: `${NS}_source_invalid_endpoints`,
      help: 'Number of endpoints currently rejected due to invalid configuration, partitioned by record type and source.',
      labelNames: ['record_type', 'source_type'],
    }),
    sourceDeduplicatedEndpoints: r.gauge({
      name: `${NS}_source_deduplicated_endpoints`,
      help: 'Number of endpoints currently removed as duplicates, partitioned by record type and source.',
      labelNames: ['record_type', 'source_type'],
    }),
  };
}

/** The --provider-cache-time counters, read at each scrape from the cached provider (src/provider/cached.ts). */
export function defineProviderCacheMetrics(registry: MetricsRegistry, read: () => ProviderCacheCalls | undefined): void {
  registry.collected('counter', { name: `${NS}_provider_cache_records_calls`, help: 'Number of calls to the provider cache Records list.', labelNames: ['from_cache'] },
    () => {
      const c = read();
      return c === undefined ? [] : [{ labels: { from_cache: 'true' }, value: c.recordsFromCache }, { labels: { from_cache: 'false' }, value: c.recordsFromProvider }];
    });
  registry.collected('counter', { name: `${NS}_provider_cache_apply_changes_calls`, help: 'Number of calls to the provider cache ApplyChanges.' },
    // Unlabelled, so exposed from the start like every unlabelled Go counter.
    () => [{ labels: {}, value: read()?.applyChanges ?? 0 }]);
}
