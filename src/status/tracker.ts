/**
 * Keeps what /status shows: a SyncObserver the controller calls during each
 * sync (registry read, plan, result, failure), plus the parts read at each
 * request (trust stores, leader, provider call counts). Reads nothing from
 * the provider itself: the registry's records and the plan are what the
 * controller already has.
 */
import type { SyncObserver, SyncResult, SyncStage } from '../controller/controller.ts';
import { zoneGroup } from '../controller/summary.ts';
import { endpointKey, type Endpoint } from '../endpoint/endpoint.ts';
import { errorMessage } from '../errors/errors.ts';
import type { Changes, PlanResult } from '../plan/plan.ts';
import type { ProviderStats } from '../provider/stats.ts';
import type { TrustStore } from '../tls/store.ts';
import type { Clock } from '../util/clock.ts';
import { redactUrls } from '../util/url-secrets.ts';
import { connectionStatus } from './trust.ts';
import { compareCodeUnits } from '../util/compare.ts';
import {
  OWNED_NAMES_SHOWN, RECENT_SYNCS_KEPT, type FenceStatus, type HeldDeletesStatus, type LeaderStatus, type PendingStatus,
  type StatusSnapshot, type SyncStatus, type ZoneStatus,
} from './status.ts';

export interface StatusSettings {
  version: string;
  clock: Clock;
}

/** What the pipeline knows once it is built (src/cli/build.ts through the operations' attach hook). */
export interface StatusParts {
  ownerId: string;
  providerName: string;
  policy: string;
  dryRun: boolean;
  /** The --domain-filter domains: names are grouped under the longest one they end in. */
  zones: readonly string[];
  trustStores: readonly TrustStore[];
  providerStats: ProviderStats | undefined;
}

const NOTHING: Changes = { create: [], updateOld: [], updateNew: [], delete: [] };
const NO_FENCE: FenceStatus = { active: false, failedSources: [], fencedDeletes: 0 };

export class StatusTracker {
  readonly #settings: StatusSettings;
  #parts: StatusParts | undefined;
  #zones: ZoneStatus[] = [];
  /** The registry's records as this sync read them. */
  #records: readonly Endpoint[] = [];
  #syncs: SyncStatus[] = [];
  #startedAt = 0;
  #plan: Changes | undefined;
  #ownerMismatches = 0;
  #pending: PendingStatus | null = null;
  #held: HeldDeletesStatus | null = null;
  #fence: FenceStatus = NO_FENCE;
  #leader: LeaderStatus = { election: false, leading: true };

  constructor(settings: StatusSettings) {
    this.#settings = settings;
  }

  /** The controller's observer for this pipeline. */
  attach(parts: StatusParts): SyncObserver {
    this.#parts = parts;
    return {
      syncStarted: () => {
        this.#startedAt = this.#settings.clock.now();
        this.#plan = undefined;
      },
      registryRead: (records) => {
        this.#records = records;
        this.#zones = zoneCounts(records, parts.ownerId, parts.zones);
      },
      planned: (result) => {
        this.#planned(result);
      },
      syncSucceeded: (result, durationMs) => {
        this.#succeeded(result, durationMs);
      },
      syncFailed: (failure) => {
        this.#failed(failure);
      },
    };
  }

  /** Leader election reports here (--leader-elect); without it this replica always leads. */
  setLeader(leading: boolean): void {
    this.#leader = { election: true, leading };
  }

  snapshot(): StatusSnapshot {
    const p = this.#parts;
    const now = this.#settings.clock.now();
    const stats = p?.providerStats?.stats();
    return {
      generatedAt: new Date(now).toISOString(),
      version: this.#settings.version,
      ownerId: p?.ownerId ?? '',
      provider: p?.providerName ?? '',
      policy: p?.policy ?? '',
      dryRun: p?.dryRun ?? false,
      zones: this.#zones,
      lastSync: this.#syncs[0] ?? null,
      recentSyncs: [...this.#syncs],
      pending: this.#pending,
      heldDeletes: this.#held,
      sourceFence: this.#fence,
      connections: (p?.trustStores ?? []).map((s) => connectionStatus(s.report(), now)),
      leader: this.#leader,
      providerApi: stats === undefined ? null
        : { calls: stats.calls.map((c) => ({ operation: c.operation, calls: c.calls, errors: c.errors })), throttles: stats.throttles },
    };
  }

  #planned(result: PlanResult): void {
    this.#plan = result.changes;
    this.#ownerMismatches = result.skippedOwnerMismatch.length;
    this.#pending = counts(result.changes, this.#ownerMismatches);
  }

  #succeeded(result: SyncResult, durationMs: number): void {
    const applied = result.applied ? result.changes : undefined;
    const { creates, updates, deletes } = counts(applied ?? NOTHING, 0);
    const done = { creates, updates, deletes };
    this.#record({ time: this.#startTime(), result: 'ok', durationSeconds: durationMs / 1000, ...done });
    if (applied !== undefined && this.#parts !== undefined) {
      const { ownerId, zones } = this.#parts;
      this.#records = afterApply(this.#records, applied, ownerId);
      this.#zones = zoneCounts(this.#records, ownerId, zones);
    }
    const plan = this.#plan;
    if (plan !== undefined) {
      const wanted = counts(plan, this.#ownerMismatches);
      this.#pending = { ...wanted, creates: wanted.creates - done.creates, updates: wanted.updates - done.updates, deletes: wanted.deletes - done.deletes };
    }
    this.#held = result.held === undefined ? null : {
      count: result.held.count, limit: result.held.limit, owned: result.held.owned, names: [...result.held.sample],
      since: new Date(result.held.since).toISOString(), releaseAt: new Date(result.held.releaseAt).toISOString(),
      release: 'Released automatically at releaseAt if the same deletes are still planned; to apply them now, restart with --allow-mass-delete',
    };
    this.#fence = result.failedSources.length === 0 ? NO_FENCE
      : { active: true, failedSources: [...result.failedSources], fencedDeletes: result.fencedDeletes };
  }

  #failed(failure: { stage: SyncStage; error: unknown }): void {
    const durationSeconds = (this.#settings.clock.now() - this.#startedAt) / 1000;
    this.#record({
      time: this.#startTime(), result: 'error', durationSeconds, creates: 0, updates: 0, deletes: 0,
      error: redactUrls(errorMessage(failure.error)), stage: failure.stage,
    });
  }

  #startTime(): string {
    return new Date(this.#startedAt).toISOString();
  }

  #record(sync: SyncStatus): void {
    this.#syncs = [sync, ...this.#syncs].slice(0, RECENT_SYNCS_KEPT);
  }
}

function counts(changes: Changes, ownerMismatches: number): PendingStatus {
  return { creates: changes.create.length, updates: changes.updateNew.length, deletes: changes.delete.length, ownerMismatches };
}

/** The records once `applied` landed: its deletes gone, its creates ours. */
function afterApply(records: readonly Endpoint[], applied: Changes, ownerId: string): Endpoint[] {
  const gone = new Set(applied.delete.map(endpointKey));
  return [
    ...records.filter((r) => !gone.has(endpointKey(r))),
    ...applied.create.map((ep) => ({ ...ep, labels: { ...ep.labels, owner: ownerId } })),
  ];
}

type Ownership = 'owned' | 'foreign' | 'unmanaged';

/** Per zone, each name counted once: owned if any of its records is ours, else foreign if another owner has one. */
export function zoneCounts(records: readonly Endpoint[], ownerId: string, zones: readonly string[]): ZoneStatus[] {
  const names = new Map<string, Ownership>();
  for (const ep of records) {
    const owner = ep.labels['owner'];
    const kind: Ownership = owner === undefined || owner === '' ? 'unmanaged' : owner === ownerId ? 'owned' : 'foreign';
    const seen = names.get(ep.dnsName);
    if (seen === undefined || rank(kind) > rank(seen)) names.set(ep.dnsName, kind);
  }
  const byZone = new Map<string, { owned: string[]; foreign: number; unmanaged: number }>();
  for (const [name, kind] of names) {
    const zone = zoneGroup(name, zones);
    let z = byZone.get(zone);
    if (z === undefined) {
      z = { owned: [], foreign: 0, unmanaged: 0 };
      byZone.set(zone, z);
    }
    if (kind === 'owned') z.owned.push(name);
    else z[kind]++;
  }
  return [...byZone].sort(([a], [b]) => compareCodeUnits(a, b)).map(([zone, z]) => {
    const sorted = z.owned.sort();
    return {
      zone, owned: sorted.length, foreign: z.foreign, unmanaged: z.unmanaged,
      ownedNames: sorted.slice(0, OWNED_NAMES_SHOWN), ownedNamesOmitted: Math.max(0, sorted.length - OWNED_NAMES_SHOWN),
    };
  });
}

function rank(kind: Ownership): number {
  return kind === 'owned' ? 2 : kind === 'foreign' ? 1 : 0;
}
