/**
 * A plan's Changes as etcd operations. Per name, the keys already there are
 * kept when their value stays (no churn), rewritten when only TTL or group
 * moved, and deleted one by one, by their exact key, when their target goes
 * (ExternalDNS deletes by key prefix, which can take keys that merely start
 * alike). New targets get a key of their own under a random 8-hex-digit id,
 * as ExternalDNS writes them. Every key touched is guarded by the revision it
 * was read at, so a transaction that races another writer writes nothing.
 */
import { describeEndpoint, getProperty, LabelKey, trimTrailingDot, type Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import { ownedName } from '../kit/records.ts';
import type { EtcdGuard, EtcdOp } from './etcd.ts';
import { endpointsOf, GROUP_PROPERTY, hostType, setKey, type Entry } from './model.ts';
import { encodeService, isPtrName, keyFor, newService, type SkyService } from './service.ts';
import { eachSliced, SliceCounter, sortSliced, type Sliced } from '../../util/sliced.ts';

/** What one record set should hold after the batch; null when it goes. */
interface Wanted {
  targets: string[];
  ttl: number;
  group: string;
}

export interface WriteGroup {
  /** The owned name: the record's own, or the one its TXT ownership record owns. */
  readonly name: string;
  readonly ops: EtcdOp[];
  readonly guards: EtcdGuard[];
  readonly descriptions: string[];
}

export interface WriteContext {
  prefix: string;
  byName: ReadonlyMap<string, readonly Entry[]>;
  /** --coredns-strictly-owned: the owner written into each key. */
  owner: string | undefined;
  newId: () => string;
}

/** Strictness (docs/safety.md, rule 8), checked before anything is written: one message per violation. */
export function* planProblems(changes: Changes, byName: ReadonlyMap<string, readonly Entry[]>): Sliced<string[]> {
  const slice = new SliceCounter();
  const current = new Map<string, Endpoint>();
  const lookup = (ep: Endpoint): Endpoint | undefined => {
    if (!current.has(setKey(ep.dnsName, ep.recordType))) {
      for (const e of endpointsOf(ep.dnsName, byName.get(ep.dnsName) ?? [])) current.set(setKey(e.dnsName, e.recordType), e);
    }
    return current.get(setKey(ep.dnsName, ep.recordType));
  };
  const out: string[] = [];
  for (const ep of changes.create) {
    if (slice.full()) yield;
    const there = lookup(ep);
    if (there !== undefined) out.push(`cannot create ${describeEndpoint(ep)}: etcd already holds [${there.targets.join(' ')}] there`);
  }
  // The verb comes with the list (looking each endpoint up in the delete list was quadratic).
  for (const [verb, eps] of [['update', changes.updateOld], ['delete', changes.delete]] as const) {
    for (const ep of eps) {
      if (slice.full()) yield;
      const problem = heldProblem(verb, ep, lookup(ep));
      if (problem !== undefined) out.push(problem);
    }
  }
  for (const ep of [...changes.create, ...changes.updateNew]) {
    if (slice.full()) yield;
    if (ep.recordType === 'PTR' && ep.targets.length > 1) out.push(`cannot write ${describeEndpoint(ep)}: the CoreDNS etcd backend holds one PTR target per reverse name`);
  }
  return out;
}

function heldProblem(verb: 'update' | 'delete', ep: Endpoint, there: Endpoint | undefined): string | undefined {
  const ownershipTxt = ep.recordType === 'TXT' && (ep.labels[LabelKey.ownedRecord] ?? '') !== '';
  if (there === undefined) return `cannot ${verb} ${describeEndpoint(ep)}: no such record set in etcd`;
  if (ownershipTxt || sameTargets(there.targets, ep.targets)) return undefined;
  return `cannot ${verb} ${describeEndpoint(ep)}: etcd holds [${there.targets.join(' ')}] there, not the planned [${ep.targets.join(' ')}]`;
}

function sameTargets(a: readonly string[], b: readonly string[]): boolean {
  const norm = (t: readonly string[]): string => [...t].map((x) => trimTrailingDot(x).toLowerCase()).sort().join('\n');
  return norm(a) === norm(b);
}

/** Per owned name, the operations and guards of the batch. */
export function* buildWrites(changes: Changes, ctx: WriteContext): Sliced<WriteGroup[]> {
  const wanted = yield* wantedSets(changes);
  const owners = new Map<string, string>();
  yield* eachSliced([...changes.create, ...changes.updateNew, ...changes.delete, ...changes.updateOld], (ep) => owners.set(ep.dnsName, ownedName(ep)));
  const descriptions = new Map<string, string[]>();
  yield* eachSliced([...changes.create, ...changes.updateNew, ...changes.delete], (ep) => {
    const list = descriptions.get(ep.dnsName) ?? [];
    list.push(describeEndpoint(ep));
    descriptions.set(ep.dnsName, list);
  });
  const groups = new Map<string, WriteGroup>();
  const sorted = yield* sortSliced([...wanted], ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  yield* eachSliced(sorted, ([name, byType]) => {
    const owned = owners.get(name) ?? name;
    const group = groups.get(owned) ?? { name: owned, ops: [], guards: [], descriptions: [] };
    nameWrites(name, byType, ctx, group);
    for (const d of descriptions.get(name) ?? []) group.descriptions.push(d);
    groups.set(owned, group);
  });
  return [...groups.values()].filter((g) => g.ops.length > 0);
}

/** What each record set should hold after the batch, by name and type. */
function* wantedSets(changes: Changes): Sliced<Map<string, Map<string, Wanted | null>>> {
  const wanted = new Map<string, Map<string, Wanted | null>>();
  // Targets already merged into a wanted set: merging appends, never copies (many changes may name one set).
  const merged = new Map<Wanted, Set<string>>();
  const want = (ep: Endpoint, w: Wanted | null): void => {
    const byType = wanted.get(ep.dnsName) ?? new Map<string, Wanted | null>();
    const prev = byType.get(ep.recordType);
    if (w !== null && prev !== undefined && prev !== null) {
      let seen = merged.get(prev);
      let targets = prev.targets;
      if (seen === undefined) {
        seen = new Set(targets);
        targets = [...seen];
      }
      for (const t of w.targets) {
        if (seen.has(t)) continue;
        seen.add(t);
        targets.push(t);
      }
      w = { ...w, targets };
      merged.set(w, seen);
    }
    if (w !== null || prev === undefined) byType.set(ep.recordType, w);
    wanted.set(ep.dnsName, byType);
  };
  yield* eachSliced([...changes.delete, ...changes.updateOld], (ep) => {
    want(ep, null);
  });
  yield* eachSliced([...changes.create, ...changes.updateNew], (ep) => {
    want(ep, { targets: ep.targets.map((t) => (ep.recordType === 'TXT' ? t : trimTrailingDot(t))), ttl: ep.recordTTL, group: getProperty(ep, GROUP_PROPERTY) ?? '' });
  });
  return wanted;
}

/**
 * Targets of one type still to place, in their order, taken case-insensitively.
 * Each take is one Map lookup (a name may hold thousands of targets; scanning a
 * list per existing key was quadratic).
 */
class TargetQueue {
  private readonly slots: { target: string; taken: boolean }[] = [];
  private readonly waiting = new Map<string, number[]>();

  constructor(targets: readonly string[]) {
    for (const t of targets) this.push(t);
  }

  push(target: string): void {
    const key = target.toLowerCase();
    const list = this.waiting.get(key) ?? [];
    list.push(this.slots.length);
    this.waiting.set(key, list);
    this.slots.push({ target, taken: false });
  }

  take(target: string): boolean {
    const list = this.waiting.get(target.toLowerCase());
    const slot = list?.shift();
    if (slot === undefined) return false;
    const entry = this.slots[slot];
    if (entry !== undefined) entry.taken = true;
    return true;
  }

  *untaken(): Generator<string> {
    for (const s of this.slots) if (!s.taken) yield s.target;
  }
}

/** The targets of one name still to place, by type; taken as existing keys are kept. */
class Remaining {
  readonly byType: Map<string, TargetQueue>;
  readonly wanted: ReadonlyMap<string, Wanted | null>;
  constructor(byType: ReadonlyMap<string, Wanted | null>) {
    this.wanted = byType;
    this.byType = new Map([...byType].map(([type, w]) => [type, new TargetQueue(w?.targets ?? [])]));
  }

  take(type: string, target: string): boolean {
    return this.byType.get(type)?.take(target) ?? false;
  }
}

/** The keys of one name after the batch. */
function nameWrites(name: string, byType: ReadonlyMap<string, Wanted | null>, ctx: WriteContext, out: WriteGroup): void {
  const remaining = new Remaining(byType);
  for (const e of ctx.byName.get(name) ?? []) {
    const next = rewritten(name, e, byType, remaining);
    if (next.host === '' && next.text === '') {
      out.ops.push({ del: e.key });
      out.guards.push({ key: e.key, modRevision: e.modRevision });
      continue;
    }
    if (ctx.owner !== undefined) next.owner = ctx.owner;
    const value = encodeService(next);
    if (value === e.value) continue;
    out.ops.push({ put: e.key, value });
    out.guards.push({ key: e.key, modRevision: e.modRevision });
  }
  newKeys(name, remaining, ctx, out);
}

/** An existing key as the batch leaves it: its host and text kept, cleared, or given the new TTL and group. */
function rewritten(name: string, e: Entry, byType: ReadonlyMap<string, Wanted | null>, remaining: Remaining): SkyService {
  const next: SkyService = { ...e.service };
  const type = e.service.host === '' ? undefined : hostType(name, e.service.host);
  const hostWant = type === undefined ? undefined : byType.get(type);
  if (type !== undefined && hostWant !== undefined) {
    if (hostWant !== null && remaining.take(type, trimTrailingDot(e.service.host))) Object.assign(next, { ttl: hostWant.ttl, group: hostWant.group });
    else next.host = '';
  }
  const txtWant = e.service.text === '' ? undefined : byType.get('TXT');
  if (txtWant === undefined) return next;
  // A value kept in a key shared with a host keeps that key only when the TTLs agree; else it moves to a key of its own.
  const kept = txtWant !== null && remaining.take('TXT', e.service.text);
  if (kept && (next.host === '' || next.ttl === txtWant.ttl)) {
    next.ttl = txtWant.ttl;
    return next;
  }
  if (kept) remaining.byType.get('TXT')?.push(e.service.text);
  next.text = '';
  return next;
}

/** Keys for the targets no existing key holds: `<id>.<name>`, or the name itself for a PTR. */
function newKeys(name: string, remaining: Remaining, ctx: WriteContext, out: WriteGroup): void {
  const taken = new Set((ctx.byName.get(name) ?? []).map((e) => e.key));
  for (const [type, targets] of remaining.byType) {
    const w = remaining.wanted.get(type);
    if (w === null || w === undefined) continue;
    for (const target of targets.untaken()) {
      const exact = type === 'PTR' || (type === 'TXT' && isPtrName(name) && !taken.has(keyFor(ctx.prefix, name)));
      let key = keyFor(ctx.prefix, name);
      if (!exact) {
        do key = keyFor(ctx.prefix, `${ctx.newId()}.${name}`); while (taken.has(key));
      }
      taken.add(key);
      const service = newService({
        ...(type === 'TXT' ? { text: target } : { host: target, group: w.group }),
        ttl: w.ttl, targetstrip: exact ? 0 : 1, ...(ctx.owner === undefined ? {} : { owner: ctx.owner }),
      });
      putNewKey(key, encodeService(service), exact, out);
    }
  }
}

function putNewKey(key: string, value: string, exact: boolean, out: WriteGroup): void {
  // An exact key deleted above and written again: one put, under the guard of the read. (A new
  // random key is never one deleted above: those are all in `taken`.)
  const deleted = exact ? out.ops.findIndex((op) => 'del' in op && op.del === key) : -1;
  if (deleted >= 0) out.ops.splice(deleted, 1);
  else out.guards.push({ key, modRevision: 0 });
  out.ops.push({ put: key, value });
}
