/**
 * How `extdns plan` shows a plan: a table for people, or the webhook
 * `Changes` JSON for programs.
 */
import { changesToWire } from '../endpoint/wire.ts';
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Changes } from '../plan/plan.ts';

export const PLAN_OUTPUTS = ['table', 'json'] as const;
export type PlanOutput = (typeof PLAN_OUTPUTS)[number];

export function renderPlan(changes: Changes, output: PlanOutput): string {
  if (output === 'json') return `${JSON.stringify(changesToWire(changes), null, 2)}\n`;
  return renderTable(changes);
}

function renderTable(changes: Changes): string {
  const rows: string[][] = [];
  const row = (action: string, ep: Endpoint, targets = ep.targets.join(' ')): void => {
    rows.push([action, ep.dnsName, ep.recordType, ep.setIdentifier, ep.recordTTL > 0 ? String(ep.recordTTL) : '', targets]);
  };
  for (const ep of changes.create) row('create', ep);
  changes.updateNew.forEach((ep, i) => {
    const old = changes.updateOld[i];
    const before = old === undefined ? '' : `${old.targets.join(' ')}${old.recordTTL > 0 ? ` (ttl ${old.recordTTL})` : ''} -> `;
    row('update', ep, `${before}${ep.targets.join(' ')}`);
  });
  for (const ep of changes.delete) row('delete', ep);
  if (rows.length === 0) return 'No changes: all records are already up to date.\n';
  const header = ['ACTION', 'NAME', 'TYPE', 'SET-ID', 'TTL', 'TARGETS'];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, col) => c.padEnd(widths[col] ?? 0)).join('  ').trimEnd();
  const counts = `${changes.create.length} to create, ${changes.updateNew.length} to update, ${changes.delete.length} to delete`;
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${counts}\n`;
}
