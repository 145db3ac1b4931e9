/**
 * Writes a zone back as a master file: `$ORIGIN`, `$TTL`, the SOA first, then
 * every record sorted deterministically (names in DNS canonical order, then
 * type, then data). Owner names are written relative to the origin; host
 * names inside data are absolute with a trailing dot (see ./rdata.ts), so the
 * output never depends on `$ORIGIN` except for data kept verbatim.
 */
import type { ResourceRecord } from './parse.ts';
import { splitLabels } from './text.ts';

export interface RenderZone {
  /** The zone apex, no trailing dot. */
  origin: string;
  /** Written as `$TTL`; records with another TTL carry theirs explicitly. */
  defaultTtl: number;
  records: readonly ResourceRecord[];
}

const TYPE_ORDER = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'DNAME', 'MX', 'SRV', 'TXT', 'PTR', 'NAPTR', 'CAA'];

export function renderZone(zone: RenderZone): string {
  const origin = zone.origin;
  const main: ResourceRecord[] = [];
  const byOrigin = new Map<string, ResourceRecord[]>();
  for (const r of zone.records) {
    if (r.verbatimOrigin === undefined || r.verbatimOrigin === origin) {
      main.push(r);
    } else {
      const list = byOrigin.get(r.verbatimOrigin) ?? [];
      list.push(r);
      byOrigin.set(r.verbatimOrigin, list);
    }
  }
  const out = ['; Zone file written by extdns. Comments and layout are not preserved.', `$ORIGIN ${fqdn(origin)}`, `$TTL ${zone.defaultTtl}`];
  out.push(...renderRecords(main, origin, zone.defaultTtl));
  // Data kept verbatim may hold names relative to the origin it was written under.
  for (const other of [...byOrigin.keys()].sort(compareNames)) {
    out.push(`$ORIGIN ${fqdn(other)}`);
    out.push(...renderRecords(byOrigin.get(other) ?? [], other, zone.defaultTtl));
  }
  return `${out.join('\n')}\n`;
}

function renderRecords(records: readonly ResourceRecord[], origin: string, defaultTtl: number): string[] {
  const sorted = [...records].sort(compareRecords);
  const owners = sorted.map((r) => ownerText(r.name, origin));
  const width = Math.min(40, Math.max(0, ...owners.map((o) => o.length)));
  return sorted.map((r, i) => {
    const ttl = r.ttl === defaultTtl ? '' : String(r.ttl);
    return `${(owners[i] ?? '').padEnd(width)} ${ttl.padStart(6)} IN ${r.type.padEnd(5)} ${r.rdata}`;
  });
}

/** SOA first, then DNS canonical name order (RFC 4034 §6.1), then type, then data. */
export function compareRecords(a: ResourceRecord, b: ResourceRecord): number {
  if ((a.type === 'SOA') !== (b.type === 'SOA')) return a.type === 'SOA' ? -1 : 1;
  return compareNames(a.name, b.name) || typeRank(a.type) - typeRank(b.type) || cmp(a.type, b.type) || cmp(a.rdata, b.rdata);
}

/** Compares names label by label from the right, so a name's children follow it. */
export function compareNames(a: string, b: string): number {
  const la = a === '' ? [] : splitLabels(a).reverse();
  const lb = b === '' ? [] : splitLabels(b).reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const c = cmp(la[i] ?? '', lb[i] ?? '');
    if (c !== 0) return c;
  }
  return la.length - lb.length;
}

function typeRank(type: string): number {
  const i = TYPE_ORDER.indexOf(type);
  return i === -1 ? TYPE_ORDER.length : i;
}

function cmp(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function fqdn(name: string): string {
  return name === '' ? '.' : `${name}.`;
}

/** `@` for the origin, a relative name below it, an absolute name elsewhere. */
function ownerText(name: string, origin: string): string {
  if (name === origin) return '@';
  if (origin === '') return `${name}.`;
  if (name.endsWith(`.${origin}`)) return name.slice(0, -(origin.length + 1));
  return fqdn(name);
}
