/**
 * How `extdns plan` shows a plan: a table for people, or the webhook
 * `Changes` JSON for programs. Endpoints refused before the plan (the same
 * checks as the apply, src/controller/admission.ts) follow, with their
 * reasons: a table of their own, or a `Refused` key in the JSON (present
 * only when something was refused, so a clean plan is plain `Changes`).
 */
import { changesToWire, endpointToWire } from '../endpoint/wire.ts';
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Changes } from '../plan/plan.ts';
import type { Refusal } from '../registry/registry.ts';
import { printableName, sourceObject } from '../controller/admission.ts';

export const PLAN_OUTPUTS = ['table', 'json'] as const;
export type PlanOutput = (typeof PLAN_OUTPUTS)[number];

export function renderPlan(changes: Changes, output: PlanOutput, refused: readonly Refusal[] = []): string {
  if (output === 'json') {
    const wire: Record<string, unknown> = { ...changesToWire(changes) };
    if (refused.length > 0) wire['Refused'] = refused.map((r) => ({ endpoint: endpointToWire(r.endpoint), source: sourceObject(r.endpoint), reason: r.reason }));
    return `${JSON.stringify(wire, null, 2)}\n`;
  }
  return renderTable(changes) + renderRefused(refused);
}

function renderRefused(refused: readonly Refusal[]): string {
  if (refused.length === 0) return '';
  const lines = refused.map((r) => `  ${printableName(r.endpoint.dnsName)} ${r.endpoint.recordType} (from ${printableName(sourceObject(r.endpoint))}): ${r.reason}`);
  return `\nRefused (not planned, the rest of the plan goes ahead):\n${lines.join('\n')}\n\n${refused.length} refused\n`;
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
