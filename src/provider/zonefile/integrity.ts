/**
 * The zone as BIND 9 would load it: a change that would make `named` refuse
 * the zone (or hide data) is refused on its own, naming the change, and the
 * rest of the batch is written. Checked, in op order, against the zone with
 * the earlier accepted changes applied:
 * - a CNAME beside other data, or with more than one target (RFC 1034 §3.6.2);
 * - a CNAME where an NS record points ("NS '…' is a CNAME (illegal)");
 * - removing the apex NS records ("has no NS records");
 * - data below a DNAME, or a DNAME above existing data (occluded, RFC 6672 §2.4);
 * - TXT data longer than 65535 bytes on the wire.
 */
import { describeEndpoint } from '../../endpoint/endpoint.ts';
import { rrsetKey } from './endpoints.ts';
import type { PlannedOp } from './batch.ts';
import type { FileRecord } from './parse.ts';
import { decodeBytes, nameKey, splitLabels, toByteString } from './text.ts';
import { lex } from './lexer.ts';
import { SliceCounter, type Sliced } from '../../util/sliced.ts';

/** Types that may share a name with a CNAME (RFC 4035 §2.5, RFC 2535). */
const CNAME_COMPANIONS: ReadonlySet<string> = new Set(['CNAME', 'RRSIG', 'NSEC', 'KEY']);
const MAX_RDATA = 65535;

interface ZoneIndex {
  apex: string;
  records: readonly FileRecord[];
  /** Types present at the names the batch can affect. */
  types: Map<string, Set<string>>;
  /** In-zone NS target → NS owners pointing at it (the whole zone). */
  nsTargets: Map<string, Set<string>>;
  /** Owners of DNAME records (the whole zone). */
  dnames: Set<string>;
  /** Data of the record sets at those names, as read. */
  original: Map<string, string[]>;
  /** Record sets changed so far (null: removed). */
  overrides: Map<string, readonly string[] | null>;
}

interface SetChange {
  key: string;
  name: string;
  type: string;
  rdata: readonly string[] | null;
}

/**
 * Returns the ops BIND would accept, and a message for each refused one.
 * `records` is the zone as read; ops are applied in order to an index of it.
 */
export function* checkIntegrity(apex: string, records: readonly FileRecord[], planned: readonly PlannedOp[]): Sliced<{ accepted: PlannedOp[]; refused: string[] }> {
  const index = yield* buildIndex(apex, records, planned);
  const accepted: PlannedOp[] = [];
  const refused: string[] = [];
  const slice = new SliceCounter();
  for (const p of planned) {
    // A DNAME is checked against every record below it: that costs a pass over the zone.
    if (slice.full(p.set?.type === 'DNAME' ? records.length + index.overrides.size : 1)) yield;
    const name = opName(p);
    const type = p.op.endpoint.recordType.toUpperCase();
    const before = rdataOf(index, p.key);
    const change: SetChange = { key: p.key, name, type, rdata: p.set?.rdata ?? null };
    applyToIndex(index, change);
    const problem = problemAt(index, name, type);
    if (problem === undefined) {
      accepted.push(p);
      continue;
    }
    refused.push(`${p.op.kind} of ${describeEndpoint(p.op.endpoint)}: ${problem}`);
    applyToIndex(index, { ...change, rdata: before ?? null });
  }
  return { accepted, refused };
}

function opName(p: PlannedOp): string {
  return p.set?.name ?? nameKey(toByteString(p.op.endpoint.dnsName));
}

/** One pass over the zone: what the checks need about the names the batch touches, NS targets and DNAMEs. */
function* buildIndex(apex: string, records: readonly FileRecord[], planned: readonly PlannedOp[]): Sliced<ZoneIndex> {
  const relevant = new Set<string>();
  const slice = new SliceCounter();
  for (const p of planned) {
    relevant.add(opName(p));
    if (p.set?.type === 'NS') for (const r of p.set.rdata) relevant.add(nameKey(r));
    if (slice.full()) yield;
  }
  const index: ZoneIndex = { apex, records, types: new Map(), nsTargets: new Map(), dnames: new Set(), original: new Map(), overrides: new Map() };
  for (const r of records) {
    if (slice.full()) yield;
    if (r.type === 'NS') addTarget(index.nsTargets, apex, r.name, r.rdata);
    if (r.type === 'DNAME') index.dnames.add(r.name);
    if (!relevant.has(r.name)) continue;
    addType(index.types, r.name, r.type);
    const key = rrsetKey(r.name, r.type);
    const list = index.original.get(key);
    if (list === undefined) index.original.set(key, [r.rdata]);
    else list.push(r.rdata);
  }
  return index;
}

function rdataOf(index: ZoneIndex, key: string): readonly string[] | undefined {
  const o = index.overrides.get(key);
  if (o !== undefined) return o ?? undefined;
  return index.original.get(key);
}

function addType(types: Map<string, Set<string>>, name: string, type: string): void {
  let set = types.get(name);
  if (set === undefined) {
    set = new Set();
    types.set(name, set);
  }
  set.add(type);
}

function addTarget(nsTargets: Map<string, Set<string>>, apex: string, owner: string, rdata: string): void {
  const target = nameKey(rdata);
  if (!inZone(target, apex)) return;
  let owners = nsTargets.get(target);
  if (owners === undefined) {
    owners = new Set();
    nsTargets.set(target, owners);
  }
  owners.add(owner);
}

function applyToIndex(index: ZoneIndex, change: SetChange): void {
  const { key, name, type, rdata } = change;
  if (type === 'NS') {
    for (const old of rdataOf(index, key) ?? []) index.nsTargets.get(nameKey(old))?.delete(name);
    for (const r of rdata ?? []) addTarget(index.nsTargets, index.apex, name, r);
  }
  if (type === 'DNAME') {
    if (rdata === null) index.dnames.delete(name);
    else index.dnames.add(name);
  }
  index.overrides.set(key, rdata);
  if (rdata === null) index.types.get(name)?.delete(type);
  else addType(index.types, name, type);
}

function problemAt(index: ZoneIndex, name: string, type: string): string | undefined {
  const rdata = rdataOf(index, rrsetKey(name, type)) ?? [];
  const cname = cnameProblem(index, name);
  if (cname !== undefined) return cname;
  if (type === 'NS') return nsProblem(index, name, rdata) ?? dnameProblem(index, name, type);
  if ((type === 'A' || type === 'AAAA') && rdata.length === 0 && index.nsTargets.get(name)?.has(index.apex) === true && !hasAddress(index, name)) {
    return `the zone's NS records point at ${name}, which would have no address records ("has no address records (A or AAAA)": BIND refuses the zone)`;
  }
  if (rdata.length > 0) return dnameProblem(index, name, type) ?? sizeProblem(type, rdata);
  return undefined;
}

function nsProblem(index: ZoneIndex, name: string, rdata: readonly string[]): string | undefined {
  const targets = rdata.map((r) => nameKey(r));
  if (name === index.apex) {
    if (rdata.length === 0) return `it removes the NS records of the zone apex ${name} ("has no NS records": BIND refuses the zone)`;
    const bare = targets.find((t) => inZone(t, index.apex) && !hasAddress(index, t));
    if (bare !== undefined) return `the NS target ${bare} is in the zone but has no A or AAAA record ("has no address records": BIND refuses the zone)`;
  }
  const cname = targets.find((t) => index.types.get(t)?.has('CNAME') === true);
  if (cname !== undefined) return `the NS target ${cname} is a CNAME ("is a CNAME (illegal)": BIND refuses the zone)`;
  return undefined;
}

function hasAddress(index: ZoneIndex, name: string): boolean {
  const types = index.types.get(name);
  return types !== undefined && (types.has('A') || types.has('AAAA'));
}

function cnameProblem(index: ZoneIndex, name: string): string | undefined {
  const here = index.types.get(name);
  if (here?.has('CNAME') !== true) return undefined;
  const others = [...here].filter((t) => !CNAME_COMPANIONS.has(t));
  if (others.length > 0) return `a CNAME would share ${name} with ${others.sort().join(', ')} records ("CNAME and other data": BIND refuses the zone)`;
  if ((rdataOf(index, rrsetKey(name, 'CNAME'))?.length ?? 0) > 1) return 'a CNAME has exactly one target';
  const pointing = index.nsTargets.get(name);
  if (pointing !== undefined && pointing.size > 0) {
    return `NS records of ${[...pointing].sort().join(', ')} point at ${name}, which would be a CNAME ("is a CNAME (illegal)": BIND refuses the zone)`;
  }
  return undefined;
}

function dnameProblem(index: ZoneIndex, name: string, type: string): string | undefined {
  const labels = name === '' ? [] : splitLabels(name);
  for (let i = 1; i < labels.length; i++) {
    const ancestor = labels.slice(i).join('.');
    if (!inZone(ancestor, index.apex)) break;
    if (index.dnames.has(ancestor)) return `${name} is below the DNAME at ${ancestor}, which hides it (occluded data is never served)`;
  }
  if (type === 'DNAME') {
    const below = (other: string): boolean => other.endsWith(`.${name}`);
    for (const r of index.records) {
      if (below(r.name) && index.overrides.get(rrsetKey(r.name, r.type)) !== null) return `a DNAME at ${name} would hide the records of ${r.name} below it`;
    }
    for (const [key, rdata] of index.overrides) {
      const other = key.slice(0, key.indexOf('\u0000'));
      if (rdata !== null && below(other)) return `a DNAME at ${name} would hide the records of ${other} below it`;
    }
  }
  return undefined;
}

function sizeProblem(type: string, rdata: readonly string[]): string | undefined {
  if (type !== 'TXT' && type !== 'SPF') return undefined;
  for (const r of rdata) {
    const tokens = lex(r)[0]?.tokens ?? [];
    let wire = 0;
    for (const t of tokens) wire += decodeBytes(t.text).length + 1;
    if (wire > MAX_RDATA) return `the ${type} data would be ${wire} bytes; a record holds at most ${MAX_RDATA} (BIND refuses the zone)`;
  }
  return undefined;
}

function inZone(name: string, apex: string): boolean {
  return apex === '' || name === apex || name.endsWith(`.${apex}`);
}
