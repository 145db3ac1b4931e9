/**
 * Validates a whole change batch against the zones it touches and computes
 * the record sets to write, before anything is written. Strict like the
 * in-memory provider, and exact (performance.md R8): create of an existing
 * record set, update or delete of a missing one, a delete whose values differ
 * from the file, and a record set named twice in one batch are all rejected,
 * together, in one error that names every offending record. Changes that are
 * exact but would make BIND refuse the zone are sorted out afterwards, one by
 * one (./integrity.ts). Pure: no I/O.
 */
import { describeEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Changes } from '../../plan/plan.ts';
import { canonicalName, endpointRdata, rrsetKey } from './endpoints.ts';
import { ZonefileErrors } from './errors.ts';
import type { FileRecord } from './parse.ts';
import { isModelledType } from './rdata.ts';
import { RdataError } from './text.ts';
import { SliceCounter, type Sliced } from '../../util/sliced.ts';

export type OpKind = 'create' | 'update' | 'delete';

export interface Op {
  kind: OpKind;
  /** The endpoint to write (create, update) or remove (delete). */
  endpoint: Endpoint;
  /** For updates: the record set as the planner last saw it. */
  old?: Endpoint;
}

/** Record sets of one zone as found in the file (duplicates kept), keyed by rrsetKey(name, type). */
export type ZoneSets = Map<string, FileRecord[]>;

/** The record sets of `keys` (all of them without `keys`; a zone may hold millions, a batch names few). */
export function* zoneSets(records: readonly FileRecord[], keys?: ReadonlySet<string>): Sliced<ZoneSets> {
  const sets: ZoneSets = new Map();
  const slice = new SliceCounter();
  for (const r of records) {
    if (slice.full()) yield;
    const key = rrsetKey(r.name, r.type);
    if (keys !== undefined && !keys.has(key)) continue;
    const list = sets.get(key);
    if (list === undefined) sets.set(key, [r]);
    else list.push(r);
  }
  return sets;
}

/** The record sets the ops name. */
export function* opKeys(ops: readonly Op[]): Sliced<Set<string>> {
  const keys = new Set<string>();
  const slice = new SliceCounter();
  for (const op of ops) {
    keys.add(opKey(op));
    if (slice.full()) yield;
  }
  return keys;
}

/** A record set as it is to be written; null: removed. */
export interface PlannedSet {
  name: string;
  type: string;
  ttl: number;
  rdata: string[];
}

/** The distinct data of a file record set, sorted. */
export function distinctRdata(records: readonly FileRecord[]): string[] {
  return [...new Set(records.map((r) => r.rdata))].sort();
}

/** The batch as a list of operations; rejects unpaired updates. */
export function toOps(changes: Changes): Op[] {
  if (changes.updateOld.length !== changes.updateNew.length) {
    throw rejected([`updateOld has ${changes.updateOld.length} entries but updateNew has ${changes.updateNew.length}; they must pair up`]);
  }
  const ops: Op[] = [];
  for (const ep of changes.create) ops.push({ kind: 'create', endpoint: ep });
  changes.updateNew.forEach((ep, i) => {
    const old = changes.updateOld[i];
    ops.push(old === undefined ? { kind: 'update', endpoint: ep } : { kind: 'update', endpoint: ep, old });
  });
  for (const ep of changes.delete) ops.push({ kind: 'delete', endpoint: ep });
  return ops;
}

/** The record set an op names. */
export function opKey(op: Op): string {
  return rrsetKey(canonicalName(op.endpoint.dnsName), op.endpoint.recordType.toUpperCase());
}

export function isEmpty(changes: Changes): boolean {
  return changes.create.length + changes.updateOld.length + changes.updateNew.length + changes.delete.length === 0;
}

export interface ZoneEdit {
  zone: string;
  file: string;
  sets: ZoneSets;
  ops: Op[];
}

/** One op, checked: the record set it writes (null: removes). */
export interface PlannedOp {
  op: Op;
  key: string;
  set: PlannedSet | null;
}

/**
 * Checks every op of every zone, or throws one EXTDNS_ZONEFILE_CHANGE_REJECTED
 * error listing every problem (then nothing may be written). Returns each
 * zone's planned record sets, in op order.
 */
export function* planOps(edits: readonly ZoneEdit[], defaultTtl: number): Sliced<PlannedOp[][]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: PlannedOp[][] = [];
  const slice = new SliceCounter();
  for (const edit of edits) {
    const planned: PlannedOp[] = [];
    for (const op of edit.ops) {
      const checked = checkOp(op, edit, seen, problems);
      if (checked !== undefined) planned.push({ op, key: checked.key, set: plannedSet(edit, op, checked, defaultTtl) });
      if (slice.full()) yield;
    }
    out.push(planned);
  }
  if (problems.length > 0) throw rejected(problems);
  return out;
}

function checkOp(op: Op, edit: ZoneEdit, seen: Set<string>, problems: string[]): { key: string; name: string; rdata: string[] } | undefined {
  const ep = op.endpoint;
  const what = `${op.kind} of ${describeEndpoint(ep)}`;
  const name = canonicalName(ep.dnsName);
  const type = ep.recordType.toUpperCase();
  const key = rrsetKey(name, type);
  const invalid = endpointProblem(ep, name, type) ??
    (isModelledType(type) || op.kind === 'delete' ? undefined : `extdns does not write ${type} records (it only deletes them); it does not interpret their data`);
  if (invalid !== undefined) {
    problems.push(`${what}: ${invalid}`);
    return undefined;
  }
  if (op.old !== undefined && rrsetKey(canonicalName(op.old.dnsName), op.old.recordType.toUpperCase()) !== key) {
    problems.push(`${what}: its updateOld is ${describeEndpoint(op.old)}, a different record set`);
    return undefined;
  }
  if (seen.has(`${edit.zone}\u0000${key}`)) {
    problems.push(`${what}: the record set appears more than once in one batch`);
    return undefined;
  }
  seen.add(`${edit.zone}\u0000${key}`);
  let rdata: string[];
  try {
    rdata = endpointRdata(ep);
  } catch (err) {
    if (!(err instanceof RdataError)) throw err;
    problems.push(`${what}: ${err.message}`);
    return undefined;
  }
  const existing = edit.sets.get(key);
  const problem = stateProblem(op.kind, existing, rdata, edit.file);
  if (problem !== undefined) {
    problems.push(`${what}: ${problem}`);
    return undefined;
  }
  return { key, name, rdata };
}

const NAME_LABEL = /^(\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)$/;

function endpointProblem(ep: Endpoint, name: string, type: string): string | undefined {
  if (ep.setIdentifier !== '') return 'set identifiers (routing policies) cannot be expressed in a zone file';
  if (type === 'SOA') return 'the SOA record is maintained by the provider and cannot be changed';
  if (name.length > 253 || !name.split('.').every((l, i) => NAME_LABEL.test(l) && (l !== '*' || i === 0))) {
    return `"${ep.dnsName}" is not a valid host name`;
  }
  if (ep.targets.length === 0) return 'it has no targets';
  return undefined;
}

function stateProblem(kind: OpKind, existing: FileRecord[] | undefined, rdata: string[], file: string): string | undefined {
  if (kind === 'create') return existing === undefined ? undefined : `the record set already exists in ${file}`;
  if (existing === undefined) return `no such record set in ${file}`;
  if (kind === 'delete') {
    const current = distinctRdata(existing);
    if (current.length !== rdata.length || current.some((v, i) => v !== rdata[i])) {
      return `its values differ from ${file}, which holds [${current.join(', ')}]; nothing is deleted unless it matches exactly`;
    }
  }
  return undefined;
}

function plannedSet(edit: ZoneEdit, op: Op, checked: { name: string; rdata: string[] }, defaultTtl: number): PlannedSet | null {
  if (op.kind === 'delete') return null;
  const type = op.endpoint.recordType.toUpperCase();
  const existing = edit.sets.get(rrsetKey(checked.name, type))?.[0];
  // An update that leaves the TTL unset keeps the TTL the file has (the set's first, as BIND loads it).
  const ttl = op.endpoint.recordTTL > 0 ? op.endpoint.recordTTL : (existing?.ttl ?? defaultTtl);
  return { name: checked.name, type, ttl, rdata: checked.rdata };
}

function rejected(problems: readonly string[]): ExtdnsError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
  return new ExtdnsError(
    ZonefileErrors.EXTDNS_ZONEFILE_CHANGE_REJECTED,
    `${problems.length} change(s) rejected, nothing was written:\n  ${shown.join('\n  ')}${more}`,
  );
}
