/**
 * A plan's Changes as Azure record-set writes, checked first against the
 * record sets last read (strict and exact, like ExternalDNS's in-memory
 * provider): a create of a record set that exists, or an update or delete of
 * one that is gone or holds other values, stops the whole apply before any
 * write. Writes are grouped by the record they belong to (a record with its
 * ownership TXT, ordered record first) and carry the ETag that was read.
 */
import { describeEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import { ownedName } from '../kit/records.ts';
import type { WriteCondition } from './api.ts';
import { endpointToRecordSet, recordSetTargets, relativeName, sameTargets, type AzureRecordSet } from './mapping.ts';

export interface ZoneState {
  zone: string;
  /** Record sets by setKey (relative name, type). */
  sets: Map<string, AzureRecordSet>;
}

export interface RecordSetWrite {
  action: 'create' | 'update' | 'delete';
  zone: string;
  relativeName: string;
  type: string;
  body?: AzureRecordSet | undefined;
  condition: WriteCondition;
}

export interface WritePlan {
  /** Groups written independently; the writes of one group in order. */
  groups: RecordSetWrite[][];
  /** Why the plan no longer fits the zone (nothing may be written when not empty). */
  stale: string[];
  /** Endpoints whose values cannot be written at all (nothing may be written when not empty). */
  invalid: string[];
  outOfZone: string[];
  touchedZones: Set<string>;
}

type Action = RecordSetWrite['action'];

export async function planWrites(changes: Changes, zoneNames: readonly string[], state: (zone: string) => Promise<ZoneState>): Promise<WritePlan> {
  const plan: WritePlan = { groups: [], stale: [], invalid: [], outOfZone: [], touchedZones: new Set() };
  const items: { action: Action; ep: Endpoint; old?: Endpoint | undefined }[] = [
    ...changes.delete.map((ep) => ({ action: 'delete' as const, ep })),
    ...changes.updateNew.map((ep, i) => ({ action: 'update' as const, ep, old: changes.updateOld[i] })),
    ...changes.create.map((ep) => ({ action: 'create' as const, ep })),
  ];
  const groups = new Map<string, RecordSetWrite[]>();
  const seen = new Set<string>();
  for (const { action, ep, old } of items) {
    const zone = zoneFor(ep.dnsName, zoneNames);
    if (zone === undefined) {
      plan.outOfZone.push(ep.dnsName);
      continue;
    }
    plan.touchedZones.add(zone);
    const relative = relativeName(ep.dnsName.toLowerCase(), zone);
    const key = `${zone}\u0000${relative.toLowerCase()}\u0000${ep.recordType}`;
    if (seen.has(key)) {
      plan.stale.push(`${describeEndpoint(ep)} is changed twice in one plan`);
      continue;
    }
    seen.add(key);
    const current = (await state(zone)).sets.get(`${relative.toLowerCase()}\u0000${ep.recordType}`);
    const problem = staleness(action, action === 'update' ? old ?? ep : ep, current);
    if (problem !== undefined) {
      plan.stale.push(`${action} of ${describeEndpoint(ep)}: ${problem}`);
      continue;
    }
    const write = toWrite({ action, ep, zone, relative, current }, plan);
    if (write === undefined) continue;
    const group = `${zone}\u0000${ownedName(ep)}`;
    groups.set(group, [...(groups.get(group) ?? []), write]);
  }
  plan.groups = [...groups.values()].map((g) => g.sort((a, b) => rank(a) - rank(b)));
  return plan;
}

function staleness(action: Action, expected: Endpoint, current: AzureRecordSet | undefined): string | undefined {
  if (action === 'create') return current === undefined ? undefined : 'the record set already exists';
  if (current === undefined) return 'the record set does not exist';
  const held = recordSetTargets(current, expected.recordType);
  return sameTargets(held, expected.targets) ? undefined : `the record set holds ${JSON.stringify(held)}, the plan expected ${JSON.stringify(expected.targets)}`;
}

interface WriteInput {
  action: Action;
  ep: Endpoint;
  zone: string;
  relative: string;
  current: AzureRecordSet | undefined;
}

function toWrite({ action, ep, zone, relative, current }: WriteInput, plan: WritePlan): RecordSetWrite | undefined {
  const condition: WriteCondition = action === 'create' ? { ifNoneMatch: '*' } : { ifMatch: current?.etag };
  if (action === 'delete') return { action, zone, relativeName: relative, type: ep.recordType, condition };
  try {
    return { action, zone, relativeName: relative, type: ep.recordType, body: endpointToRecordSet(ep), condition };
  } catch (err) {
    plan.invalid.push(`${describeEndpoint(ep)}: ${(err as Error).message}`);
    return undefined;
  }
}

/** Record before its TXT; within each, deletes before writes (a CNAME goes before other data at its name). */
function rank(w: RecordSetWrite): number {
  return (w.type === 'TXT' ? 2 : 0) + (w.action === 'delete' ? 0 : 1);
}

/** The longest zone name that `dnsName` is in or equal to. */
export function zoneFor(dnsName: string, zones: readonly string[]): string | undefined {
  const name = dnsName.toLowerCase().replace(/\.$/, '');
  let best: string | undefined;
  for (const z of zones) {
    const zone = z.toLowerCase();
    if ((name === zone || name.endsWith(`.${zone}`)) && (best === undefined || zone.length > best.length)) best = zone;
  }
  return best;
}
