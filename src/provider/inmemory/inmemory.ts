/**
 * The in-memory provider: record sets held in a map per zone, like
 * ExternalDNS's reference `inmemory` provider, and just as strict. A batch is
 * validated as a whole before anything changes (create of an existing record
 * set, update or delete of a missing one, update or delete whose targets
 * differ from what is held, a record set named twice, a record in no zone),
 * and every offending record is named in one ExtdnsError; otherwise the whole
 * batch is applied. All state lives in the instance.
 */
import { cloneEndpoint, describeEndpoint, trimTrailingDot, type Endpoint } from '../../endpoint/endpoint.ts';
import { MATCH_ALL, type DomainFilter } from '../../endpoint/domain-filter.ts';
import { ExtdnsError, type ErrorSpec } from '../../errors/errors.ts';
import type { Changes } from '../../plan/plan.ts';
import { DNS_SERVER_CAPABILITIES } from '../capabilities.ts';
import type { Provider } from '../provider.ts';
import { InMemoryErrors } from './errors.ts';
import { drain, eachSliced, paced, SliceCounter, sortSliced, type Sliced } from '../../util/sliced.ts';

export interface InMemoryOptions {
  /** Zones the provider starts with (--inmemory-zone). */
  zones: readonly string[];
  /** Returned by domainFilter() so the planner keeps to it. */
  domainFilter?: DomainFilter;
}

export interface InMemoryProvider extends Provider {
  /** Adds an empty zone; an existing zone is an error. */
  createZone(name: string): void;
  /** Copies of the record sets of one zone, sorted by name, type and set identifier. */
  zoneRecords(zone: string): Endpoint[];
  /** How many applyChanges calls changed something (empty batches are not counted). */
  readonly applyCount: number;
}

/** Record sets of one zone by recordKey(). */
type Zone = Map<string, Endpoint>;

interface Issue {
  spec: ErrorSpec;
  text: string;
}

/** One validated step of a batch (`put` is already a copy: the apply itself is one short step). */
type Step = { zone: Zone; put: Endpoint; key: string } | { zone: Zone; remove: string };

export function createInMemoryProvider(options: InMemoryOptions): InMemoryProvider {
  const zones = new Map<string, Zone>();
  const filter = options.domainFilter ?? MATCH_ALL;
  let applyCount = 0;
  let queue: Promise<void> = Promise.resolve();

  const createZone = (name: string): void => {
    const zone = canonicalName(name);
    if (zones.has(zone)) {
      throw new ExtdnsError(InMemoryErrors.EXTDNS_INMEMORY_ZONE_EXISTS, `zone ${zone} already exists in the in-memory provider`);
    }
    zones.set(zone, new Map());
  };
  for (const z of new Set(options.zones.map(canonicalName))) createZone(z);

  return {
    createZone,
    zoneRecords(name: string): Endpoint[] {
      const zone = zones.get(canonicalName(name));
      if (zone === undefined) {
        throw new ExtdnsError(InMemoryErrors.EXTDNS_INMEMORY_ZONE_NOT_FOUND, `the in-memory provider has no zone ${name}`);
      }
      return drain(sortedCopies(zone));
    },
    get applyCount(): number {
      return applyCount;
    },
    // Promise.resolve().then(): errors surface as rejections, never as synchronous throws.
    // Big zones and batches are read and checked a slice at a time (../../util/sliced.ts); a batch is applied in one step.
    records: async (signal: AbortSignal): Promise<Endpoint[]> => {
      await Promise.resolve();
      signal.throwIfAborted();
      const out: Endpoint[] = [];
      for (const zone of [...zones.values()]) for (const ep of await paced(sortedCopies(zone))) out.push(ep);
      return out;
    },
    applyChanges: (changes: Changes, signal: AbortSignal): Promise<void> => {
      // One batch at a time: the check of one must not interleave with another's write.
      const run = queue.then(async () => {
        signal.throwIfAborted();
        const steps = await paced(validate(zones, changes));
        if (steps.length === 0) return;
        for (const step of steps) {
          if ('put' in step) step.zone.set(step.key, step.put);
          else step.zone.delete(step.remove);
        }
        applyCount++;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    adjustEndpoints: (endpoints) => Promise.resolve(endpoints),
    domainFilter: () => filter,
    capabilities: DNS_SERVER_CAPABILITIES,
  };
}

/** Checks the whole batch against the zones; returns the steps to apply or throws naming every offending record. */
function* validate(zones: ReadonlyMap<string, Zone>, changes: Changes): Sliced<Step[]> {
  const slice = new SliceCounter();
  const issues: Issue[] = [];
  const steps: Step[] = [];
  const seen = new Set<string>();
  const locate = (ep: Endpoint): { zone: Zone; key: string } | undefined => {
    const zone = zoneFor(zones, ep.dnsName);
    if (zone === undefined) {
      issues.push({ spec: InMemoryErrors.EXTDNS_INMEMORY_NO_ZONE, text: `${describeEndpoint(ep)} is in no zone (zones: ${[...zones.keys()].join(', ') || 'none'})` });
      return undefined;
    }
    const key = recordKey(ep);
    if (seen.has(key)) {
      issues.push({ spec: InMemoryErrors.EXTDNS_INMEMORY_DUPLICATE_CHANGE, text: `${describeEndpoint(ep)} appears twice in one batch` });
      return undefined;
    }
    seen.add(key);
    return { zone, key };
  };

  for (const ep of changes.create) {
    if (slice.full()) yield;
    const at = locate(ep);
    if (at === undefined) continue;
    if (at.zone.has(at.key)) issues.push({ spec: InMemoryErrors.EXTDNS_INMEMORY_RECORD_EXISTS, text: `create of ${describeEndpoint(ep)}: the record set already exists` });
    else steps.push({ zone: at.zone, put: cloneEndpoint(ep), key: at.key });
  }
  yield* validateUpdates(changes, { locate, issues, steps });
  for (const ep of changes.delete) {
    if (slice.full()) yield;
    const at = locate(ep);
    if (at === undefined) continue;
    const issue = checkHeld(at.zone.get(at.key), ep, 'delete');
    if (issue !== undefined) issues.push(issue);
    else steps.push({ zone: at.zone, remove: at.key });
  }

  const first = issues[0];
  if (first !== undefined) {
    const more = issues.length > 1 ? ` (${issues.length} problems: ${issues.map((i) => i.text).join('; ')})` : '';
    throw new ExtdnsError(first.spec, `the in-memory provider rejected the batch, nothing was applied: ${first.text}${more}`);
  }
  return steps;
}

interface UpdateContext {
  locate: (ep: Endpoint) => { zone: Zone; key: string } | undefined;
  issues: Issue[];
  steps: Step[];
}

function* validateUpdates(changes: Changes, ctx: UpdateContext): Sliced<void> {
  const { updateOld, updateNew } = changes;
  if (updateOld.length !== updateNew.length) {
    ctx.issues.push({
      spec: InMemoryErrors.EXTDNS_INMEMORY_DUPLICATE_CHANGE,
      text: `updateOld has ${updateOld.length} entries but updateNew has ${updateNew.length}; they must pair up`,
    });
    return;
  }
  const slice = new SliceCounter();
  for (const [i, next] of updateNew.entries()) {
    if (slice.full()) yield;
    const old = updateOld[i];
    if (old !== undefined) validateUpdate(old, next, ctx);
  }
}

function validateUpdate(old: Endpoint, next: Endpoint, ctx: UpdateContext): void {
  if (recordKey(old) !== recordKey(next)) {
    ctx.issues.push({
      spec: InMemoryErrors.EXTDNS_INMEMORY_DUPLICATE_CHANGE,
      text: `update pairs ${describeEndpoint(old)} with ${describeEndpoint(next)}, a different record set`,
    });
    return;
  }
  const at = ctx.locate(next);
  if (at === undefined) return;
  const issue = checkHeld(at.zone.get(at.key), old, 'update');
  if (issue !== undefined) ctx.issues.push(issue);
  else ctx.steps.push({ zone: at.zone, put: cloneEndpoint(next), key: at.key });
}

/** An update or delete must name a held record set, with the targets it holds. */
function checkHeld(held: Endpoint | undefined, ep: Endpoint, what: 'update' | 'delete'): Issue | undefined {
  if (held === undefined) {
    return { spec: InMemoryErrors.EXTDNS_INMEMORY_RECORD_NOT_FOUND, text: `${what} of ${describeEndpoint(ep)}: no such record set` };
  }
  if (!sameTargets(held.targets, ep.targets)) {
    return {
      spec: InMemoryErrors.EXTDNS_INMEMORY_RECORD_MISMATCH,
      text: `${what} of ${describeEndpoint(ep)}: the provider holds [${held.targets.join(' ')}] instead; read the records again`,
    };
  }
  return undefined;
}

/** The zone with the longest name that is `name` or a parent of it. */
function zoneFor(zones: ReadonlyMap<string, Zone>, name: string): Zone | undefined {
  const n = canonicalName(name);
  let best: string | undefined;
  for (const z of zones.keys()) {
    const inside = n === z || n.endsWith(`.${z}`);
    if (inside && (best === undefined || z.length > best.length)) best = z;
  }
  return best === undefined ? undefined : zones.get(best);
}

/** DNS names compare without case and trailing dot. */
function canonicalName(name: string): string {
  return trimTrailingDot(name).toLowerCase();
}

function recordKey(ep: Endpoint): string {
  return `${canonicalName(ep.dnsName)}\u0000${ep.recordType}\u0000${ep.setIdentifier}`;
}

function sameTargets(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((t, i) => t === y[i]);
}

function* sortedCopies(zone: Zone): Sliced<Endpoint[]> {
  const sorted = yield* sortSliced([...zone.entries()], ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Endpoint[] = [];
  yield* eachSliced(sorted, ([, ep]) => out.push(cloneEndpoint(ep)));
  return out;
}
