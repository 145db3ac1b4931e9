/** `extdns explain` output: sections of aligned rows for people, or the Explanation as JSON. */
import { printableName } from '../controller/admission.ts';
import type { Explanation } from './explain.ts';

export function renderExplanation(e: Explanation, output: 'table' | 'json'): string {
  if (output === 'json') return `${JSON.stringify(e, null, 2)}\n`;
  const out: string[] = [`NAME ${printableName(e.name)}`, ''];
  out.push('SOURCES');
  if (e.sources.length === 0) out.push('  no source object asks for this name');
  else out.push(...rows(e.sources.map((s) => [s.object, s.recordType, s.targets.join(' '), s.kept ? 'kept' : 'dropped by a filter', `from ${s.rule}`])));
  out.push('', 'FILTERS', ...rows(e.filters.map((f) => [f.filter, f.verdict, f.detail])));
  out.push('', 'PROVIDER');
  if (e.provider.length === 0) out.push('  holds nothing for this name');
  else out.push(...rows(e.provider.map((p) => [p.recordType, p.targets.join(' '), ownerText(p.ownedBy, p.owner)])));
  out.push('', 'DECISION', ...rows(e.decisions.map((d) => [d.action, d.recordType, d.why])));
  if (e.hints.length > 0) out.push('', 'WHAT WOULD CHANGE IT', ...e.hints.map((h) => `  - ${h}`));
  return `${out.join('\n')}\n`;
}

function ownerText(ownedBy: 'this' | 'other' | 'none', owner: string): string {
  if (ownedBy === 'this') return `owned by this owner id (${owner})`;
  return ownedBy === 'other' ? `owned by another owner id: ${owner}` : 'owned by nobody (no ownership record)';
}

/** Columns padded to their widest cell; the last column runs free. */
function rows(cells: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return cells.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd());
}
