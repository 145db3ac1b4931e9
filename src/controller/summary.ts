/**
 * The one log line per sync: creates, updates and deletes per zone, so an
 * operator sees at a glance which zones a sync touched. A name belongs to the
 * longest known zone (the --domain-filter domains) it is in; names outside
 * them are grouped by their last two labels.
 */
import type { Changes } from '../plan/plan.ts';
import { compareCodeUnits } from '../util/compare.ts';

export interface GroupCounts {
  create: number;
  update: number;
  delete: number;
}

/**
 * The zone of `dnsName`: the longest of `zones` it equals or ends in, else its
 * last two labels (`a.b.example.com` → `example.com`).
 */
export function zoneGroup(dnsName: string, zones: readonly string[] = []): string {
  const name = dnsName.toLowerCase().replace(/\.$/, '');
  let best = '';
  for (const raw of zones) {
    const zone = raw.toLowerCase().replace(/^\.|\.$/g, '');
    if (zone.length > best.length && (name === zone || name.endsWith(`.${zone}`))) best = zone;
  }
  if (best !== '') return best;
  const labels = name.split('.');
  return labels.length <= 2 ? name : labels.slice(-2).join('.');
}

export function countByGroup(changes: Changes, zones: readonly string[] = []): Map<string, GroupCounts> {
  const groups = new Map<string, GroupCounts>();
  const bump = (name: string, kind: keyof GroupCounts): void => {
    const group = zoneGroup(name, zones);
    let counts = groups.get(group);
    if (counts === undefined) {
      counts = { create: 0, update: 0, delete: 0 };
      groups.set(group, counts);
    }
    counts[kind]++;
  };
  for (const ep of changes.create) bump(ep.dnsName, 'create');
  for (const ep of changes.updateNew) bump(ep.dnsName, 'update');
  for (const ep of changes.delete) bump(ep.dnsName, 'delete');
  return new Map([...groups].sort(([a], [b]) => compareCodeUnits(a, b)));
}

const MAX_GROUPS_SHOWN = 20;

/** `example.com: 2 created, 1 updated; example.org: 3 deleted` (long lists end with "and N more groups"). */
export function describeChanges(changes: Changes, zones: readonly string[] = []): string {
  const parts: string[] = [];
  const groups = countByGroup(changes, zones);
  for (const [group, counts] of groups) {
    if (parts.length === MAX_GROUPS_SHOWN) {
      parts.push(`and ${groups.size - MAX_GROUPS_SHOWN} more groups`);
      break;
    }
    const words: string[] = [];
    if (counts.create > 0) words.push(`${counts.create} created`);
    if (counts.update > 0) words.push(`${counts.update} updated`);
    if (counts.delete > 0) words.push(`${counts.delete} deleted`);
    parts.push(`${group}: ${words.join(', ')}`);
  }
  return parts.join('; ');
}
