/**
 * A plan's Changes as Cloud DNS changes: per zone, in groups that travel
 * together (a record with its TXT ownership records, ../pdns/changes.ts's
 * ownedName), packed into batches of at most --google-batch-change-size
 * additions and deletions. Deletions carry the record set exactly as the zone
 * holds it, after checking that it holds what the plan expected.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import { ownedName } from '../kit/records.ts';
import type { GoogleChange, GoogleRrset, GoogleZone } from './api.ts';
import { absoluteName, endpointToRrset, rrsetKey, sameValues } from './mapping.ts';

export interface ChangeGroup {
  /** The owned name: the record's, which its TXT ownership records share. */
  name: string;
  dels: Endpoint[];
  adds: Endpoint[];
}

export interface ZoneWork {
  zone: GoogleZone;
  groups: ChangeGroup[];
}

/** Record sets of one zone by rrsetKey. */
export type ZoneRecords = Map<string, GoogleRrset>;

/** The zone holding `name`: the longest matching zone name. */
export function zoneFor(name: string, zones: readonly GoogleZone[]): GoogleZone | undefined {
  const fqdn = absoluteName(name);
  let best: GoogleZone | undefined;
  for (const z of zones) {
    const zoneName = absoluteName(z.dnsName);
    if ((fqdn === zoneName || fqdn.endsWith(`.${zoneName}`)) && (best === undefined || zoneName.length > absoluteName(best.dnsName).length)) best = z;
  }
  return best;
}

/** Groups every change by zone and owned name; names outside every zone are returned apart. */
export function planZones(changes: Changes, zones: readonly GoogleZone[]): { work: ZoneWork[]; outside: Endpoint[] } {
  const byZone = new Map<string, { zone: GoogleZone; groups: Map<string, ChangeGroup> }>();
  const outside: Endpoint[] = [];
  const add = (ep: Endpoint, kind: 'adds' | 'dels'): void => {
    const zone = zoneFor(ep.dnsName, zones);
    if (zone === undefined) {
      outside.push(ep);
      return;
    }
    const entry = byZone.get(zone.name) ?? { zone, groups: new Map<string, ChangeGroup>() };
    byZone.set(zone.name, entry);
    const name = ownedName(ep);
    const group = entry.groups.get(name) ?? { name, dels: [], adds: [] };
    entry.groups.set(name, group);
    group[kind].push(ep);
  };
  for (const ep of changes.updateOld) add(ep, 'dels');
  for (const ep of changes.delete) add(ep, 'dels');
  for (const ep of changes.create) add(ep, 'adds');
  for (const ep of changes.updateNew) add(ep, 'adds');
  const work = [...byZone.values()].map(({ zone, groups }) => ({
    zone,
    groups: [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  }));
  return { work, outside };
}

/** Why the zone does not match these groups (empty when it does): creates of existing sets, deletes of missing or different ones. */
export function staleReasons(groups: readonly ChangeGroup[], records: ZoneRecords): string[] {
  const reasons: string[] = [];
  const removed = new Set<string>();
  for (const g of groups) {
    for (const ep of g.dels) {
      const key = rrsetKey(ep.dnsName, ep.recordType);
      const held = records.get(key);
      if (held === undefined || removed.has(key)) reasons.push(`delete of ${key}: the zone holds no such record set`);
      else if (!sameValues(held, ep)) reasons.push(`delete of ${key}: the zone holds [${held.rrdatas.join(', ')}], the plan expected [${ep.targets.join(', ')}]`);
      removed.add(key);
    }
    for (const ep of g.adds) {
      const key = rrsetKey(ep.dnsName, ep.recordType);
      if (records.has(key) && !removed.has(key)) reasons.push(`create of ${key}: the record set exists already`);
    }
  }
  return reasons;
}

/** The change of these groups: deletions exactly as the zone holds them, then the additions. */
export function toChange(groups: readonly ChangeGroup[], records: ZoneRecords): GoogleChange {
  const deletions: GoogleRrset[] = [];
  const additions: GoogleRrset[] = [];
  for (const g of groups) {
    for (const ep of g.dels) {
      const held = records.get(rrsetKey(ep.dnsName, ep.recordType));
      if (held !== undefined) deletions.push(held);
    }
    additions.push(...g.adds.map(endpointToRrset));
  }
  return { additions, deletions };
}

/** Batches of at most `size` additions and deletions; a larger group goes alone (as in Go, with a warning by the caller). */
export function packBatches(groups: readonly ChangeGroup[], size: number): ChangeGroup[][] {
  const batches: ChangeGroup[][] = [];
  let current: ChangeGroup[] = [];
  let count = 0;
  for (const g of groups) {
    const n = g.adds.length + g.dels.length;
    if (current.length > 0 && size > 0 && count + n > size) {
      batches.push(current);
      current = [];
      count = 0;
    }
    current.push(g);
    count += n;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The zone's record sets after a change landed. */
export function applyToRecords(records: ZoneRecords, change: GoogleChange): void {
  for (const d of change.deletions) records.delete(rrsetKey(d.name, d.type));
  for (const a of change.additions) records.set(rrsetKey(a.name, a.type), a);
}

export function describeGroup(g: ChangeGroup): string {
  return [...g.dels.map((e) => `-${e.dnsName}/${e.recordType}`), ...g.adds.map((e) => `+${e.dnsName}/${e.recordType}`)].join(' ');
}
