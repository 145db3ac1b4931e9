/**
 * Turns a plan's Changes into PowerDNS RRset changes, per zone, in groups that
 * must travel together: a record and its TXT ownership record share a group
 * (keyed by the name the TXT owns), so a PATCH never carries one without the
 * other, and a rejected group never blocks the rest of its zone.
 */
import { describeEndpoint, LabelKey, type Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import type { PdnsRrsetChange, PdnsZoneSummary } from './client.ts';
import { contentKey, ownedName } from '../kit/records.ts';
import { wireName, wireRecords, wireTtl, wireType } from './mapping.ts';
import type { ZoneIndex } from './zones.ts';
import { drain, filterSliced, SliceCounter, sortSliced, type Sliced } from '../../util/sliced.ts';

/** Where a change came from in the plan: checked differently against the zone's current state. */
export type ChangeOrigin = 'create' | 'update' | 'delete';

/** One RRset change with what it came from (for messages, checks and the post-write snapshot). */
export interface RrsetChange {
  /** `name./TYPE` on the wire. */
  key: string;
  change: PdnsRrsetChange;
  origin: ChangeOrigin;
  description: string;
  /** For deletes: the contents the plan expects to remove (wire form); undefined when not checked by value. */
  planned?: string[] | undefined;
}

export interface ChangeGroup {
  /** The owned name: the record's own name, or for a TXT ownership record the name it owns. */
  name: string;
  changes: RrsetChange[];
}

export interface ZoneChanges {
  zone: PdnsZoneSummary;
  groups: ChangeGroup[];
}

export interface ZoneChangesResult {
  zones: ZoneChanges[];
  /** Names that fall in no managed zone (ignored, as ExternalDNS does). */
  outOfZone: string[];
}

export function rrsetKey(name: string, type: string): string {
  return `${name}/${type}`;
}

interface Pending {
  ep: Endpoint;
  change: RrsetChange;
}

/** Builds every zone's groups; REPLACE wins over DELETE of the same RRset, two REPLACEs merge. */
export function buildZoneChanges(changes: Changes, index: ZoneIndex): ZoneChangesResult {
  return drain(buildZoneChangesSliced(changes, index));
}

/** buildZoneChanges a slice at a time (see ../../util/sliced.ts): change sets can hold 200,000 records. */
export function* buildZoneChangesSliced(changes: Changes, index: ZoneIndex): Sliced<ZoneChangesResult> {
  const slice = new SliceCounter();
  // Until the deletes below are added, it holds exactly the REPLACEs.
  const pending = new Map<string, Pending>();
  const add = (ep: Endpoint, origin: ChangeOrigin): void => {
    const next = replaceOf(ep, origin);
    const prev = pending.get(next.key);
    pending.set(next.key, { ep, change: prev === undefined ? next : mergeReplace(prev.change, next) });
  };
  for (const [eps, origin] of [[changes.create, 'create'], [changes.updateNew, 'update']] as const) {
    for (const ep of eps) {
      add(ep, origin);
      if (slice.full()) yield;
    }
  }
  // An updated record whose RRset type changed (CNAME → ALIAS) leaves its old RRset behind: delete it.
  const staleOld = yield* filterSliced(changes.updateOld, (ep) => !pending.has(rrsetKey(wireName(ep.dnsName), wireType(ep))));
  for (const [ep, origin] of [...changes.delete.map((e) => [e, 'delete'] as const), ...staleOld.map((e) => [e, 'update'] as const)]) {
    if (slice.full()) yield;
    const del = deleteOf(ep, origin);
    const existing = pending.get(del.key);
    if (existing !== undefined) {
      // Deleted and written again in one batch: one REPLACE, which may find the RRset there.
      existing.change.origin = 'update';
      continue;
    }
    pending.set(del.key, { ep, change: del });
  }
  return yield* groupByZone([...pending.values()], index);
}

/**
 * Strictness (docs/safety.md, rule 8): a create must not find its RRset, a delete must find it
 * holding exactly the planned values. Returns one message per violation.
 */
export function staleChanges(zones: readonly ZoneChanges[], contentsOf: ContentsOf): string[] {
  return drain(staleChangesSliced(zones, contentsOf));
}

type ContentsOf = (zone: PdnsZoneSummary, key: string) => readonly string[] | undefined;

/** staleChanges a slice at a time. */
export function* staleChangesSliced(zones: readonly ZoneChanges[], contentsOf: ContentsOf): Sliced<string[]> {
  const out: string[] = [];
  const slice = new SliceCounter();
  for (const { zone, groups } of zones) {
    for (const c of groups.flatMap((g) => g.changes)) {
      if (slice.full()) yield;
      const current = contentsOf(zone, c.key);
      if (c.origin === 'create' && current !== undefined) {
        out.push(`cannot create ${c.description}: the record set already exists in zone ${zone.name} holding [${current.join(' ')}]`);
      } else if (c.origin === 'delete' && current === undefined) {
        out.push(`cannot delete ${c.description}: no such record set in zone ${zone.name}`);
      } else if (c.origin === 'delete' && current !== undefined && c.planned !== undefined && contentKey(c.planned) !== contentKey(current)) {
        out.push(`cannot delete ${c.description}: zone ${zone.name} holds [${current.join(' ')}] there, not the planned [${c.planned.join(' ')}]`);
      }
    }
  }
  return out;
}

function replaceOf(ep: Endpoint, origin: ChangeOrigin): RrsetChange {
  const name = wireName(ep.dnsName);
  const type = wireType(ep);
  return {
    key: rrsetKey(name, type),
    change: { name, type, changetype: 'REPLACE', ttl: wireTtl(ep), records: wireRecords(ep) },
    origin,
    description: describeEndpoint(ep),
  };
}

function deleteOf(ep: Endpoint, origin: ChangeOrigin): RrsetChange {
  const name = wireName(ep.dnsName);
  const type = wireType(ep);
  // The registry rebuilds ownership TXTs from labels, so their text may differ from what is stored: by name is exact enough there.
  const ownershipTxt = ep.recordType === 'TXT' && (ep.labels[LabelKey.ownedRecord] ?? '') !== '';
  return {
    key: rrsetKey(name, type),
    change: { name, type, changetype: 'DELETE' },
    origin,
    description: describeEndpoint(ep),
    planned: ownershipTxt ? undefined : wireRecords(ep).map((r) => r.content),
  };
}

function mergeReplace(a: RrsetChange, b: RrsetChange): RrsetChange {
  const records = [...(a.change.records ?? [])];
  const seen = new Set(records.map((r) => r.content.toLowerCase()));
  for (const r of b.change.records ?? []) {
    if (!seen.has(r.content.toLowerCase())) records.push(r);
  }
  return { ...a, change: { ...a.change, records }, description: `${a.description}; ${b.description}` };
}

function* groupByZone(items: Pending[], index: ZoneIndex): Sliced<ZoneChangesResult> {
  const zones = new Map<string, { zone: PdnsZoneSummary; groups: Map<string, ChangeGroup> }>();
  const outOfZone: string[] = [];
  const slice = new SliceCounter();
  for (const { ep, change } of items) {
    if (slice.full()) yield;
    const zone = index.zoneFor(ep.dnsName);
    if (zone === undefined) {
      outOfZone.push(change.description);
      continue;
    }
    let entry = zones.get(zone.id);
    if (entry === undefined) {
      entry = { zone, groups: new Map() };
      zones.set(zone.id, entry);
    }
    const name = ownedName(ep);
    const group = entry.groups.get(name);
    if (group === undefined) entry.groups.set(name, { name, changes: [change] });
    else group.changes.push(change);
  }
  const out: ZoneChanges[] = [];
  for (const { zone, groups } of zones.values()) {
    const ordered = yield* sortSliced(Array.from(groups.values()), (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const group of ordered) {
      group.changes = orderChanges(group.changes);
      if (slice.full()) yield;
    }
    out.push({ zone, groups: ordered });
  }
  out.sort((a, b) => (a.zone.name < b.zone.name ? -1 : 1));
  return { zones: out, outOfZone };
}

/** DELETEs first, so a CNAME goes before other data at its name is written; then by key. */
function compareChanges(a: RrsetChange, b: RrsetChange): number {
  const rank = (c: RrsetChange): number => (c.change.changetype === 'DELETE' ? 0 : 1);
  return rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** The group's changes in compareChanges order (a group is a record and its TXTs: a pair is compared, not sorted). */
function orderChanges(changes: RrsetChange[]): RrsetChange[] {
  const a = changes[0];
  const b = changes[1];
  if (changes.length === 1) return changes;
  if (changes.length === 2 && a !== undefined && b !== undefined) return compareChanges(a, b) <= 0 ? changes : [b, a];
  return [...changes].sort(compareChanges);
}

/** The PATCH body of a set of groups: the DELETEs of every group, then the REPLACEs. */
export function patchBody(groups: readonly ChangeGroup[]): PdnsRrsetChange[] {
  const deletes: PdnsRrsetChange[] = [];
  const replaces: PdnsRrsetChange[] = [];
  for (const group of groups) {
    for (const { change } of group.changes) (change.changetype === 'DELETE' ? deletes : replaces).push(change);
  }
  return deletes.length === 0 ? replaces : deletes.concat(replaces);
}
