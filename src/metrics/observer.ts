/**
 * The controller's SyncObserver that keeps the metrics current, following
 * ExternalDNS's RunOnce: the reconcile timestamp when a sync starts, the
 * registry and source figures as soon as each is read (so they stay right
 * even when a later step fails), the sync timestamp when it succeeds.
 */
import type { SyncObserver, SyncResult, SyncStage } from '../controller/controller.ts';
import type { CollectedSources } from '../source/source.ts';
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { PlanResult } from '../plan/plan.ts';
import type { Clock } from '../util/clock.ts';
import type { ExternalDnsMetrics } from './external-dns.ts';
import type { ExtdnsMetrics } from './extdns.ts';
import type { Gauge } from './prometheus.ts';

export interface ObserverDeps {
  external: ExternalDnsMetrics;
  own: ExtdnsMetrics;
  clock: Clock;
  ownerId: string;
  /** Called after every successful sync (readiness). */
  onSynced?: () => void;
}

export function createMetricsObserver(deps: ObserverDeps): SyncObserver {
  const { external: m, own, clock } = deps;
  const nowSeconds = (): number => clock.now() / 1000;
  let registryRecords: readonly Endpoint[] = [];
  return {
    syncStarted: () => {
      m.lastReconcileTimestamp.set(nowSeconds());
    },
    registryRead: (records) => {
      registryRecords = records;
      m.registryEndpoints.set(records.length);
      countByType(records, m.registryRecords);
    },
    sourcesRead: (collected) => {
      m.sourceEndpoints.set(collected.endpoints.length);
      countByType(collected.endpoints, m.sourceRecords);
      countVerified(collected.endpoints, registryRecords, m.verifiedRecords);
      dropped(collected, m);
      if (collected.failures.length > 0) m.sourceErrors.inc();
      for (const f of collected.failures) own.sourceFailures.inc({ source: f.source });
    },
    planned: (result) => {
      ownerMismatches(result, deps.ownerId, m.ownerMismatchPerSync);
    },
    syncFailed: ({ stage, transient }) => {
      errorCounter(stage, m)?.inc();
      own.syncFailures.inc({ stage, transient: String(transient) });
    },
    syncSucceeded: (result, durationMs) => {
      succeeded(result, deps);
      own.syncDuration.observe(durationMs / 1000);
      m.lastSyncTimestamp.set(nowSeconds());
      deps.onSynced?.();
    },
    unreadableOwnership: (count) => {
      own.unreadableOwnership.set(count);
    },
    consecutiveSoftErrors: (count) => {
      m.consecutiveSoftErrors.set(count);
    },
  };
}

/** ExternalDNS counts a failed write as a registry error, and a failed source read as a source error. */
function errorCounter(stage: SyncStage, m: ExternalDnsMetrics): ExternalDnsMetrics['registryErrors'] | undefined {
  if (stage === 'registry' || stage === 'apply') return m.registryErrors;
  if (stage === 'source') return m.sourceErrors;
  return undefined;
}

function succeeded(result: SyncResult, deps: ObserverDeps): void {
  const { external: m, own } = deps;
  if (result.noop) m.noOpRuns.inc();
  own.heldDeletes.set(result.held?.count ?? 0);
  own.fencedDeletes.set(result.fencedDeletes);
  own.refusedEndpoints.set(result.refused.length);
  if (!result.applied) return;
  const c = result.changes;
  own.changesApplied.inc({ action: 'create' }, c.create.length);
  own.changesApplied.inc({ action: 'update' }, c.updateNew.length);
  own.changesApplied.inc({ action: 'delete' }, c.delete.length);
}

function countByType(endpoints: readonly Endpoint[], gauge: Gauge): void {
  gauge.reset();
  for (const ep of endpoints) gauge.add(1, lower({ record_type: ep.recordType }));
}

/** ExternalDNS's gauge vectors lower-case every label value (pkg/metrics toLower): record_type="a". */
function lower(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v.toLowerCase()]));
}

/** Source endpoints whose name and type the registry also holds. */
function countVerified(endpoints: readonly Endpoint[], registry: readonly Endpoint[], gauge: Gauge): void {
  gauge.reset();
  const held = new Set(registry.map((r) => `${r.dnsName}\u0000${r.recordType}`));
  for (const ep of endpoints) if (held.has(`${ep.dnsName}\u0000${ep.recordType}`)) gauge.add(1, lower({ record_type: ep.recordType }));
}

function dropped(collected: CollectedSources, m: ExternalDnsMetrics): void {
  m.sourceInvalidEndpoints.reset();
  m.sourceDeduplicatedEndpoints.reset();
  for (const d of collected.invalid ?? []) m.sourceInvalidEndpoints.add(d.count, lower({ record_type: d.recordType, source_type: d.sourceType }));
  for (const d of collected.duplicates ?? []) m.sourceDeduplicatedEndpoints.add(d.count, lower({ record_type: d.recordType, source_type: d.sourceType }));
}

function ownerMismatches(result: PlanResult, ownerId: string, gauge: Gauge): void {
  gauge.reset();
  for (const s of result.skippedOwnerMismatch) {
    gauge.add(1, lower({ record_type: s.recordType, owner: ownerId, foreign_owner: s.foreignOwner, domain: nakedDomain(s.dnsName) }));
  }
}

/** `a.b.example.com` → `b.example.com`; `example.com` stays (ExternalDNS's GetNakedDomain). */
export function nakedDomain(dnsName: string): string {
  const dot = dnsName.indexOf('.');
  if (dot < 0) return dnsName;
  const rest = dnsName.slice(dot + 1);
  return rest.includes('.') ? rest : dnsName;
}
