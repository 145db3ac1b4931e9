/**
 * From planned changes to UPDATE messages: each change goes to the longest
 * --rfc2136-zone holding its name; a record and its TXT ownership record
 * share a group (the `ownedRecord` label), and groups are packed into
 * messages of at most --rfc2136-batch-change-size changes, never split
 * unless one group alone is larger. An UPDATE is atomic on the server, so a
 * record is never written without its ownership record.
 */
import { LabelKey, type Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import { drain, SliceCounter, sortSliced, type Sliced } from '../../util/sliced.ts';

export type ChangeKind = 'create' | 'update' | 'delete';

export interface PlannedChange {
  readonly kind: ChangeKind;
  /** The endpoint to write (create, update) or remove (delete). */
  readonly endpoint: Endpoint;
  /** For an update: the endpoint it replaces. */
  readonly old?: Endpoint | undefined;
}

export interface ZoneBatch {
  readonly zone: string;
  readonly changes: readonly PlannedChange[];
}

function labelCount(zone: string): number {
  return zone === '.' ? 0 : zone.split('.').length;
}

/** The longest zone the name lies in (label-wise), or undefined. */
export function zoneOf(name: string, zones: readonly string[]): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  let best: string | undefined;
  for (const z of zones) {
    const zone = z.toLowerCase().replace(/\.$/, '');
    const inside = zone === '' || n === zone || n.endsWith(`.${zone}`);
    if (inside && (best === undefined || labelCount(zone) > labelCount(best))) best = zone;
  }
  return best;
}

function planned(changes: Changes): PlannedChange[] {
  return [
    ...changes.delete.map((endpoint) => ({ kind: 'delete' as const, endpoint })),
    ...changes.updateNew.map((endpoint, i) => ({ kind: 'update' as const, endpoint, old: changes.updateOld[i] })),
    ...changes.create.map((endpoint) => ({ kind: 'create' as const, endpoint })),
  ];
}

function groupKey(ep: Endpoint): string {
  const owned = ep.labels[LabelKey.ownedRecord] ?? '';
  return (owned === '' ? ep.dnsName : owned).toLowerCase();
}

export interface Batching {
  readonly batches: ZoneBatch[];
  /** Names no --rfc2136-zone holds. */
  readonly outOfZone: string[];
}

export function batchChanges(changes: Changes, zones: readonly string[], batchSize: number): Batching {
  return drain(batchChangesSliced(changes, zones, batchSize));
}

/** batchChanges a slice at a time (see ../../util/sliced.ts). */
export function* batchChangesSliced(changes: Changes, zones: readonly string[], batchSize: number): Sliced<Batching> {
  const byZone = new Map<string, Map<string, PlannedChange[]>>();
  const outOfZone: string[] = [];
  const slice = new SliceCounter();
  for (const change of planned(changes)) {
    if (slice.full()) yield;
    const zone = zoneOf(change.endpoint.dnsName, zones);
    if (zone === undefined) {
      outOfZone.push(change.endpoint.dnsName);
      continue;
    }
    const groups = byZone.get(zone) ?? new Map<string, PlannedChange[]>();
    byZone.set(zone, groups);
    const key = groupKey(change.endpoint);
    const group = groups.get(key);
    // Pushed, never copied: thousands of changes may share one owner.
    if (group === undefined) groups.set(key, [change]);
    else group.push(change);
  }
  const batches: ZoneBatch[] = [];
  for (const [zone, groups] of byZone) {
    let current: PlannedChange[] = [];
    for (const key of yield* sortSliced([...groups.keys()], (a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const group = groups.get(key) ?? [];
      if (current.length > 0 && current.length + group.length > batchSize) {
        batches.push({ zone, changes: current });
        current = [];
      }
      for (const change of group) current.push(change);
      if (slice.full(group.length)) yield;
    }
    if (current.length > 0) batches.push({ zone, changes: current });
  }
  return { batches, outOfZone };
}
