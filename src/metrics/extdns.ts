/**
 * extdns's own metrics (prefix `extdns_`): sync duration and outcome,
 * delete-brake state, TLS trust per connection, provider API calls and
 * throttles, and leadership. Trust and provider figures are read from their
 * owners at scrape time.
 */
import type { TrustStore } from '../tls/store.ts';
import type { ProviderStats } from './provider-stats.ts';
import type { Counter, Gauge, Histogram, MetricsRegistry, Sample } from './prometheus.ts';

export interface ExtdnsMetrics {
  syncDuration: Histogram;
  syncFailures: Counter;
  changesApplied: Counter;
  heldDeletes: Gauge;
  fencedDeletes: Gauge;
  sourceFailures: Counter;
  leader: Gauge;
  refusedEndpoints: Gauge;
  unreadableOwnership: Gauge;
}

/** What the scrape-time collectors read; filled once the pipeline is built. */
export interface ScrapeTargets {
  trustStores: () => readonly TrustStore[];
  provider: () => { name: string; stats: ProviderStats } | undefined;
}

const SYNC_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function defineExtdnsMetrics(registry: MetricsRegistry, targets: ScrapeTargets): ExtdnsMetrics {
  defineTrustMetrics(registry, targets.trustStores);
  defineProviderMetrics(registry, targets.provider);
  return {
    syncDuration: registry.histogram({ name: 'extdns_sync_duration_seconds', help: 'Duration of successful syncs (read, plan and apply), in seconds.', buckets: SYNC_BUCKETS }),
    syncFailures: registry.counter({
      name: 'extdns_sync_failures_total',
      help: 'Failed syncs by the step that failed (registry, source, plan, apply) and whether the failure is retried with backoff.',
      labelNames: ['stage', 'transient'],
    }),
    changesApplied: registry.counter({
      name: 'extdns_changes_applied_total', help: 'Record changes sent to the provider (ownership TXT records not counted), by action.', labelNames: ['action'],
    }),
    heldDeletes: registry.gauge({ name: 'extdns_delete_brake_held_deletes', help: 'Deletes the delete brake held back in the last sync (0 when it let them through).' }),
    fencedDeletes: registry.gauge({ name: 'extdns_source_fenced_deletes', help: 'Deletes held back in the last sync because a source failed.' }),
    sourceFailures: registry.counter({ name: 'extdns_source_failures_total', help: 'Syncs in which a source failed, by source.', labelNames: ['source'] }),
    leader: registry.gauge({ name: 'extdns_leader', help: '1 while this replica holds the leader Lease and may write, else 0.' }),
    refusedEndpoints: registry.gauge({
      name: 'extdns_refused_endpoints',
      help: 'Desired endpoints dropped in the last sync because the provider cannot hold them, they would write ownership records, or the provider refused them.',
    }),
    unreadableOwnership: registry.gauge({
      name: 'extdns_txt_unreadable_ownership_records',
      help: 'Ownership TXT records that look encrypted but do not decrypt with the configured key (a changed --txt-encrypt-aes-key); their records are treated as unowned.',
    }),
  };
}

function defineTrustMetrics(registry: MetricsRegistry, stores: () => readonly TrustStore[]): void {
  registry.collected('gauge', {
    name: 'extdns_tls_trusted_certificates', help: 'CA certificates trusted by a connection (distinct, all sources).', labelNames: ['connection'],
  }, () => stores().map((s) => ({ labels: { connection: s.name }, value: s.report().total })));
  registry.collected('gauge', {
    name: 'extdns_tls_trust_generation', help: 'Trust generation in use by a connection: 1 at start, +1 per successful reload.', labelNames: ['connection'],
  }, () => stores().map((s) => ({ labels: { connection: s.name }, value: s.report().generation })));
  registry.collected('counter', {
    name: 'extdns_tls_reloads_total', help: 'Reloads of a connection\'s CA and client certificate files, by result (a failed reload keeps the old trust).',
    labelNames: ['connection', 'result'],
  }, () => stores().flatMap((s) => {
    const c = s.reloadCounts();
    return [{ labels: { connection: s.name, result: 'success' }, value: c.success }, { labels: { connection: s.name, result: 'failure' }, value: c.failure }];
  }));
  registry.collected('gauge', {
    name: 'extdns_tls_certificate_not_after_timestamp_seconds',
    help: 'Expiry (notAfter, Unix seconds) of each explicitly configured CA and client certificate, per connection and source.',
    labelNames: ['connection', 'source', 'role', 'subject', 'sha256'],
  }, () => stores().flatMap(certificateExpiries));
}

function certificateExpiries(store: TrustStore): Sample[] {
  const report = store.report();
  const out: Sample[] = [];
  const add = (source: string, role: string, cert: { subject: string; fingerprint256: string; notAfter: string }): void => {
    out.push({ labels: { connection: store.name, source, role, subject: cert.subject, sha256: cert.fingerprint256 }, value: Date.parse(cert.notAfter) / 1000 });
  };
  for (const source of report.sources) for (const cert of source.certificates ?? []) add(source.name, 'ca', cert);
  if (report.clientCert !== undefined) add(report.clientCert.source, 'client', report.clientCert.certificate);
  return out;
}

function defineProviderMetrics(registry: MetricsRegistry, provider: ScrapeTargets['provider']): void {
  const calls = (pick: (c: { calls: number; errors: number }) => number) => (): Sample[] => {
    const p = provider();
    if (p === undefined) return [];
    return p.stats.stats().calls.map((c) => ({ labels: { provider: p.name, operation: c.operation }, value: pick(c) }));
  };
  registry.collected('counter', {
    name: 'extdns_provider_api_calls_total', help: 'Requests sent to the DNS provider\'s API, by operation.', labelNames: ['provider', 'operation'],
  }, calls((c) => c.calls));
  registry.collected('counter', {
    name: 'extdns_provider_api_errors_total', help: 'Failed requests to the DNS provider\'s API, by operation.', labelNames: ['provider', 'operation'],
  }, calls((c) => c.errors));
  registry.collected('counter', {
    name: 'extdns_provider_api_throttles_total', help: 'Requests the DNS provider\'s API refused for rate limiting.', labelNames: ['provider'],
  }, () => {
    const p = provider();
    return p === undefined ? [] : [{ labels: { provider: p.name }, value: p.stats.stats().throttles }];
  });
}
