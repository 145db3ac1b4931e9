/**
 * From planned changes to Route53 change batches: each change goes to its
 * zone(s); changes are grouped by name and ownership relation (a record and
 * its TXT ownership record share the group key), and groups are packed, in
 * name order, into as few batches as --aws-batch-change-size, -bytes and
 * -values allow. A group is never split across batches.
 */
import type { Change, ChangeAction } from '@aws-sdk/client-route-53';
import { getProperty, LabelKey, PropertyName, type Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import { AwsProperty, changeCost, endpointToRecordSet } from './mapping.ts';
import { zonesFor, type ManagedZone } from './zones.ts';

export interface BatchLimits {
  changes: number;
  chars: number;
  values: number;
}

export interface PlannedChange {
  action: ChangeAction;
  endpoint: Endpoint;
  change: Change;
  values: number;
  chars: number;
}

export interface ChangeGroup {
  /** The record name the group is about (the owned record's name for its TXT). */
  key: string;
  changes: PlannedChange[];
  values: number;
  chars: number;
}

export interface ZoneChanges {
  zone: ManagedZone;
  groups: ChangeGroup[];
}

export interface BuildResult {
  zones: ZoneChanges[];
  /** Names no managed zone holds. */
  outOfZone: string[];
}

export function describeChange(c: PlannedChange): string {
  const set = c.endpoint.setIdentifier === '' ? '' : ` (set ${c.endpoint.setIdentifier})`;
  return `${c.action} ${c.endpoint.dnsName} ${c.endpoint.recordType}${set}`;
}

/** Updates that Route53 cannot UPSERT in place (type, alias-ness, set identifier or routing policy changes) become DELETE + CREATE. */
function needsDeleteCreate(before: Endpoint, after: Endpoint): boolean {
  if (before.recordType !== after.recordType || before.setIdentifier !== after.setIdentifier) return true;
  if ((getProperty(before, PropertyName.alias) === 'true') !== (getProperty(after, PropertyName.alias) === 'true')) return true;
  const policy = [AwsProperty.weight, AwsProperty.region, AwsProperty.failover, AwsProperty.continent, AwsProperty.country, AwsProperty.subdivision];
  return policy.some((p) => (getProperty(before, p) === undefined) !== (getProperty(after, p) === undefined));
}

export function plannedActions(changes: Changes): { action: ChangeAction; endpoint: Endpoint }[] {
  const out: { action: ChangeAction; endpoint: Endpoint }[] = [];
  for (const ep of changes.create) out.push({ action: 'CREATE', endpoint: ep });
  changes.updateNew.forEach((next, i) => {
    const before = changes.updateOld[i];
    if (before !== undefined && needsDeleteCreate(before, next)) {
      out.push({ action: 'DELETE', endpoint: before }, { action: 'CREATE', endpoint: next });
    } else {
      out.push({ action: 'UPSERT', endpoint: next });
    }
  });
  for (const ep of changes.delete) out.push({ action: 'DELETE', endpoint: ep });
  return out;
}

export function buildZoneChanges(changes: Changes, zones: readonly ManagedZone[], evaluateTargetHealth: boolean): BuildResult {
  const byZone = new Map<string, { zone: ManagedZone; groups: Map<string, ChangeGroup> }>();
  const outOfZone: string[] = [];
  for (const { action, endpoint } of plannedActions(changes)) {
    const targets = zonesFor(endpoint.dnsName, zones);
    if (targets.length === 0) {
      outOfZone.push(endpoint.dnsName);
      continue;
    }
    const key = (endpoint.labels[LabelKey.ownedRecord] ?? '') !== '' ? (endpoint.labels[LabelKey.ownedRecord] ?? '').toLowerCase() : endpoint.dnsName;
    for (const zone of targets) {
      const rrset = endpointToRecordSet(endpoint, { zoneId: zone.id, evaluateTargetHealth });
      const cost = changeCost(rrset, action);
      const entry = byZone.get(zone.id) ?? { zone, groups: new Map<string, ChangeGroup>() };
      byZone.set(zone.id, entry);
      const group = entry.groups.get(key) ?? { key, changes: [], values: 0, chars: 0 };
      entry.groups.set(key, group);
      group.changes.push({ action, endpoint, change: { Action: action, ResourceRecordSet: rrset }, ...cost });
      group.values += cost.values;
      group.chars += cost.chars;
    }
  }
  const result: ZoneChanges[] = [...byZone.values()].map(({ zone, groups }) => ({
    zone,
    groups: [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(orderWithinGroup),
  }));
  return { zones: result, outOfZone };
}

/** Deletes first, then creates and upserts, so a DELETE + CREATE of one name works in one batch. */
function orderWithinGroup(g: ChangeGroup): ChangeGroup {
  const rank = (a: ChangeAction): number => (a === 'DELETE' ? 0 : a === 'CREATE' ? 1 : 2);
  return { ...g, changes: [...g.changes].sort((a, b) => rank(a.action) - rank(b.action)) };
}

export function fits(g: { changes: { length: number }; values: number; chars: number }, limits: BatchLimits): boolean {
  return g.changes.length <= limits.changes && g.values <= limits.values && g.chars <= limits.chars;
}

/** Packs groups into batches in order; groups too large for any batch come back apart. */
export function packBatches(groups: readonly ChangeGroup[], limits: BatchLimits): { batches: ChangeGroup[][]; oversized: ChangeGroup[] } {
  const batches: ChangeGroup[][] = [];
  const oversized: ChangeGroup[] = [];
  let current: ChangeGroup[] = [];
  let count = 0;
  let values = 0;
  let chars = 0;
  for (const g of groups) {
    if (!fits(g, limits)) {
      oversized.push(g);
      continue;
    }
    if (count + g.changes.length > limits.changes || values + g.values > limits.values || chars + g.chars > limits.chars) {
      batches.push(current);
      current = [];
      count = 0;
      values = 0;
      chars = 0;
    }
    current.push(g);
    count += g.changes.length;
    values += g.values;
    chars += g.chars;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}
