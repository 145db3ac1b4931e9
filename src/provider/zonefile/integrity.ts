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
import type { PlannedOp, ZoneSets } from './batch.ts';
import { decodeBytes, nameKey, splitLabels } from './text.ts';
import { lex } from './lexer.ts';

/** Types that may share a name with a CNAME (RFC 4035 §2.5, RFC 2535). */
const CNAME_COMPANIONS: ReadonlySet<string> = new Set(['CNAME', 'RRSIG', 'NSEC', 'KEY']);
const MAX_RDATA = 65535;

interface ZoneIndex {
  apex: string;
  /** name → types present. */
  types: Map<string, Set<string>>;
  /** In-zone NS target → NS owners pointing at it. */
  nsTargets: Map<string, Set<string>>;
  /** Record sets changed so far (null: removed). */
  overrides: Map<string, readonly string[] | null>;
  /** rdata of each set, as currently planned. */
  rdata: (key: string) => readonly string[] | undefined;
}

interface SetChange {
  key: string;
  name: string;
  type: string;
  rdata: readonly string[] | null;
}

/**
 * Returns the ops BIND would accept, and a message for each refused one.
 * `sets` is the zone as read; ops are applied in order to an index of it.
 */
export function checkIntegrity(apex: string, sets: ZoneSets, planned: readonly PlannedOp[]): { accepted: PlannedOp[]; refused: string[] } {
  const index = buildIndex(apex, sets);
  const accepted: PlannedOp[] = [];
  const refused: string[] = [];
  for (const p of planned) {
    const name = p.set?.name ?? p.op.endpoint.dnsName;
    const type = p.op.endpoint.recordType.toUpperCase();
    const before = index.rdata(p.key);
    const change: SetChange = { key: p.key, name: nameKey(name), type, rdata: p.set?.rdata ?? null };
    applyToIndex(index, change);
    const problem = problemAt(index, nameKey(name), type);
    if (problem === undefined) {
      accepted.push(p);
      continue;
    }
    refused.push(`${p.op.kind} of ${describeEndpoint(p.op.endpoint)}: ${problem}`);
    applyToIndex(index, { ...change, rdata: before ?? null });
  }
  return { accepted, refused };
}

function buildIndex(apex: string, sets: ZoneSets): ZoneIndex {
  const overrides = new Map<string, readonly string[] | null>();
  const types = new Map<string, Set<string>>();
  const nsTargets = new Map<string, Set<string>>();
  for (const records of sets.values()) {
    const first = records[0];
    if (first === undefined) continue;
    addType(types, first.name, first.type);
    if (first.type === 'NS') for (const r of records) addTarget(nsTargets, apex, first.name, r.rdata);
  }
  const rdata = (key: string): readonly string[] | undefined => {
    const o = overrides.get(key);
    if (o !== undefined) return o ?? undefined;
    return sets.get(key)?.map((r) => r.rdata);
  };
  return { apex, types, nsTargets, overrides, rdata };
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
    for (const old of index.rdata(key) ?? []) index.nsTargets.get(nameKey(old))?.delete(name);
    for (const r of rdata ?? []) addTarget(index.nsTargets, index.apex, name, r);
  }
  index.overrides.set(key, rdata);
  if (rdata === null) index.types.get(name)?.delete(type);
  else addType(index.types, name, type);
}

function problemAt(index: ZoneIndex, name: string, type: string): string | undefined {
  const rdata = index.rdata(rrsetKey(name, type)) ?? [];
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
  if ((index.rdata(rrsetKey(name, 'CNAME'))?.length ?? 0) > 1) return 'a CNAME has exactly one target';
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
    if (index.types.get(ancestor)?.has('DNAME') === true) return `${name} is below the DNAME at ${ancestor}, which hides it (occluded data is never served)`;
  }
  if (type === 'DNAME') {
    for (const [other, types] of index.types) {
      if (types.size > 0 && other.endsWith(`.${name}`)) return `a DNAME at ${name} would hide the records of ${other} below it`;
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
