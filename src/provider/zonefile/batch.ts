/**
 * Validates a whole change batch against the zones it touches and computes
 * their new contents, before anything is written. Strict like the in-memory
 * provider, and exact (performance.md R8): create of an existing record set,
 * update or delete of a missing one, a delete whose values differ from the
 * file, and a record set named twice in one batch are all rejected, together,
 * in one error that names every offending record. Pure: no I/O.
 */
import { describeEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Changes } from '../../plan/plan.ts';
import { canonicalName, endpointRdata, rrsetKey } from './endpoints.ts';
import { ZonefileErrors } from './errors.ts';
import type { ResourceRecord } from './parse.ts';
import { RdataError } from './text.ts';

export type OpKind = 'create' | 'update' | 'delete';

export interface Op {
  kind: OpKind;
  /** The endpoint to write (create, update) or remove (delete). */
  endpoint: Endpoint;
  /** For updates: the record set as the planner last saw it. */
  old?: Endpoint;
}

/** Record sets of one zone, keyed by rrsetKey(name, type). */
export type ZoneSets = Map<string, ResourceRecord[]>;

export function zoneSets(records: readonly ResourceRecord[]): ZoneSets {
  const sets: ZoneSets = new Map();
  for (const r of records) {
    const key = rrsetKey(r.name, r.type);
    const list = sets.get(key) ?? [];
    if (!list.some((x) => x.rdata === r.rdata)) list.push(r);
    sets.set(key, list);
  }
  return sets;
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

export function isEmpty(changes: Changes): boolean {
  return changes.create.length + changes.updateOld.length + changes.updateNew.length + changes.delete.length === 0;
}

export interface ZoneEdit {
  zone: string;
  file: string;
  sets: ZoneSets;
  ops: Op[];
}

/**
 * Applies every op to its zone's record sets in place, or throws one
 * EXTDNS_ZONEFILE_CHANGE_REJECTED error listing every problem (then nothing
 * may be written).
 */
export function applyOps(edits: readonly ZoneEdit[], defaultTtl: number): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const edit of edits) {
    const planned: { op: Op; key: string; name: string; rdata: string[] }[] = [];
    for (const op of edit.ops) {
      const checked = checkOp(op, edit, seen, problems);
      if (checked !== undefined) planned.push({ op, ...checked });
    }
    for (const p of planned) applyOne(edit, p, defaultTtl);
    problems.push(...cnameProblems(edit, new Set(planned.map((p) => p.name))));
  }
  if (problems.length > 0) throw rejected(problems);
}

function checkOp(op: Op, edit: ZoneEdit, seen: Set<string>, problems: string[]): { key: string; name: string; rdata: string[] } | undefined {
  const ep = op.endpoint;
  const what = `${op.kind} of ${describeEndpoint(ep)}`;
  const name = canonicalName(ep.dnsName);
  const type = ep.recordType.toUpperCase();
  const key = rrsetKey(name, type);
  const invalid = endpointProblem(ep, name, type);
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

function stateProblem(kind: OpKind, existing: ResourceRecord[] | undefined, rdata: string[], file: string): string | undefined {
  if (kind === 'create') return existing === undefined ? undefined : `the record set already exists in ${file}`;
  if (existing === undefined) return `no such record set in ${file}`;
  if (kind === 'delete') {
    const current = existing.map((r) => r.rdata).sort();
    if (current.length !== rdata.length || current.some((v, i) => v !== rdata[i])) {
      return `its values differ from ${file}, which holds [${current.join(', ')}]; nothing is deleted unless it matches exactly`;
    }
  }
  return undefined;
}

function applyOne(edit: ZoneEdit, p: { op: Op; key: string; name: string; rdata: string[] }, defaultTtl: number): void {
  const { op, key, name, rdata } = p;
  if (op.kind === 'delete') {
    edit.sets.delete(key);
    return;
  }
  const type = op.endpoint.recordType.toUpperCase();
  const existing = edit.sets.get(key);
  let ttl = op.endpoint.recordTTL > 0 ? op.endpoint.recordTTL : defaultTtl;
  // An update that leaves the TTL unset keeps the TTL the file has.
  if (op.endpoint.recordTTL <= 0 && existing !== undefined) ttl = Math.min(...existing.map((r) => r.ttl));
  edit.sets.set(key, rdata.map((d) => ({ name, type, ttl, rdata: d })));
}

/** RFC 1034 §3.6.2 / RFC 2181 §10.1: a CNAME is alone at its name and has one target. */
function cnameProblems(edit: ZoneEdit, names: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const typesAt = new Map<string, string[]>();
  for (const set of edit.sets.values()) {
    const first = set[0];
    if (first === undefined || !names.has(first.name) || CNAME_COMPANIONS.has(first.type)) continue;
    typesAt.set(first.name, [...(typesAt.get(first.name) ?? []), first.type]);
  }
  for (const name of names) {
    const cname = edit.sets.get(rrsetKey(name, 'CNAME'));
    if (cname === undefined) continue;
    if (cname.length > 1) problems.push(`CNAME ${name} would have ${cname.length} targets; a CNAME has exactly one`);
    const others = typesAt.get(name) ?? [];
    if (others.length > 0) problems.push(`CNAME ${name} would share its name with ${others.join(', ')} records, which DNS forbids`);
  }
  return problems;
}

const CNAME_COMPANIONS: ReadonlySet<string> = new Set(['CNAME', 'RRSIG', 'NSEC', 'NSEC3', 'KEY']);

function rejected(problems: readonly string[]): ExtdnsError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
  return new ExtdnsError(
    ZonefileErrors.EXTDNS_ZONEFILE_CHANGE_REJECTED,
    `${problems.length} change(s) rejected, nothing was written:\n  ${shown.join('\n  ')}${more}`,
  );
}
