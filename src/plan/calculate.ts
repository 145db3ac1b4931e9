/**
 * The planner (ExternalDNS `plan.Calculate`): current records + desired
 * endpoints → Changes. Pure and synchronous; never mutates its input (every
 * endpoint in the result is a copy).
 *
 * 1. Both lists are filtered: the name must match every domain filter and the
 *    type must be managed and not excluded. TXT is therefore invisible unless
 *    managed (the TXT registry handles ownership records itself).
 * 2. Records are grouped into rows keyed by (normalised name, set identifier),
 *    each row split by record type:
 *
 *    +---------------+--------------------+-------------------------+---------------------------------------+
 *    | row key       | current            | candidates (desired)    | result                                |
 *    +---------------+--------------------+-------------------------+---------------------------------------+
 *    | foo.com, ""   | A 1.1.1.1          | A 1.1.1.1               | nothing                               |
 *    | bar.com, ""   |                    | A 191.1.1.1, A 190.1.1.1| create A 190.1.1.1 (resolver)         |
 *    | dog.com, ""   | A 1.1.1.2          |                         | delete A 1.1.1.2                      |
 *    | cat.com, ""   | A 1.1.1.3 1.1.1.9  | A 1.1.1.3 ttl=60        | update A (targets, TTL)               |
 *    | big.com, ""   | A 1.1.1.4          | CNAME ing.elb.com       | delete A, create CNAME (if all owned) |
 *    | web.com, "eu" | A 1.1.1.5 (other)  | A 1.1.1.6               | update dropped: owned by another      |
 *    | api.com, ""   | A 1.1.1.7 (other)  | A 1.1.1.7, AAAA ::7     | create AAAA skipped: row not all ours |
 *    +---------------+--------------------+-------------------------+---------------------------------------+
 *
 * 3. Per row: no current → create each type's winning candidate; no
 *    candidates → delete every current record; both → per type delete,
 *    update or create. An update is planned only when the desired TTL is set
 *    (> 0) and differs, the targets differ (sameTargets), the provider-specific
 *    properties differ, or --migrate-from-txt-owner is set and the record is
 *    not yet marked with the old owner. Creates in a row that already holds
 *    records go out only when every record of the row is ours.
 * 4. The policy (sync / upsert-only / create-only) trims the changes.
 * 5. With an owner id (any registry but noop), deletes and updates keep only
 *    records whose `owner` label is ours: a foreign record is never touched.
 *
 * Cost is O(n) in the number of records: one hash map of rows, a short list of
 * type slots per row.
 */
import { cloneEndpoint, endpointKey, LabelKey, type Endpoint } from '../endpoint/endpoint.ts';
import { matchAll } from '../endpoint/domain-filter.ts';
import { normalizeDnsName } from '../endpoint/idna.ts';
import { sameTargets } from '../endpoint/targets.ts';
import { countCandidates, resolveRecordTypes, resolveSlot, withCandidate, type TypeSlot } from './conflict.ts';
import { applyPolicy } from './policy.ts';
import { emptyChanges, type Changes, type PlanInput, type PlanResult } from './plan.ts';

/**
 * A row is its first record type's slot, with any other types in `more`:
 * nearly every name holds one type and one candidate, and at 1M names each
 * object per row is a million objects to allocate and to promote past the
 * young generation (hence one object per row, and no candidate array for one).
 */
interface Row extends TypeSlot {
  /** The slots of the row's other record types, in the order first seen. */
  more: TypeSlot[] | undefined;
  /** Current records displaced from their slot by another of the same type (names differing only in case). */
  shadowed: Endpoint[] | undefined;
}

/** The row's slots, first type first (a new array only for rows of several types). */
function slotsOf(row: Row): readonly TypeSlot[] {
  return row.more === undefined ? [row] : [row, ...row.more];
}

/** Every current record of a row (slots first, then displaced ones). */
function currentOf(row: Row): Endpoint[] {
  const out: Endpoint[] = [];
  for (const slot of slotsOf(row)) if (slot.current !== undefined) out.push(slot.current);
  if (row.shadowed !== undefined) out.push(...row.shadowed);
  return out;
}

/** Whether the row holds a current record (a displaced one implies one in its slot). */
function hasCurrent(row: Row): boolean {
  if (row.current !== undefined) return true;
  return row.more !== undefined && row.more.some((slot) => slot.current !== undefined);
}

/** The row's candidates over all its types. Counted when asked rather than kept: a field less on a million rows. */
function candidateCount(row: Row): number {
  let n = countCandidates(row.candidates);
  if (row.more !== undefined) for (const slot of row.more) n += countCandidates(slot.candidates);
  return n;
}

type Skipped = PlanResult['skippedOwnerMismatch'];

function slotFor(row: Row, recordType: string): TypeSlot {
  if (row.recordType === recordType) return row;
  if (row.more !== undefined) {
    for (const slot of row.more) if (slot.recordType === recordType) return slot;
  }
  const slot: TypeSlot = { recordType, current: undefined, candidates: undefined };
  // Arrays built by literal, not grown by push from empty (which reserves 17 slots).
  if (row.more === undefined) row.more = [slot];
  else row.more.push(slot);
  return slot;
}

class PlanTable {
  readonly rows = new Map<string, Row>();

  #row(ep: Endpoint): Row {
    // Most records have no set identifier: key on the bare name then, which saves a string per record.
    const name = normalizeDnsName(ep.dnsName);
    const key = ep.setIdentifier === '' ? name : `${name}\u0000${ep.setIdentifier}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      // Every field set here, in one order: one object shape for all rows.
      row = { recordType: ep.recordType, current: undefined, candidates: undefined, more: undefined, shadowed: undefined };
      this.rows.set(key, row);
    }
    return row;
  }

  addCurrent(ep: Endpoint): void {
    const row = this.#row(ep);
    // Two current records of one type in a row (names differing only in case): the last one is compared, as in
    // ExternalDNS; the others still count for ownership and go when the row is no longer wanted.
    const slot = slotFor(row, ep.recordType);
    if (slot.current !== undefined) (row.shadowed ??= []).push(slot.current);
    slot.current = ep;
  }

  addCandidate(ep: Endpoint): void {
    const row = this.#row(ep);
    const slot = slotFor(row, ep.recordType);
    slot.candidates = withCandidate(slot.candidates, ep);
  }
}

function inScope(input: PlanInput): (ep: Endpoint) => boolean {
  const managed = new Set(input.managedRecordTypes);
  for (const type of input.excludeRecordTypes) managed.delete(type);
  return (ep) => managed.has(ep.recordType) && matchAll(input.domainFilters, ep.dnsName);
}

function ownerOf(ep: Endpoint): string | undefined {
  return ep.labels[LabelKey.owner];
}

function providerSpecificChanged(desired: Endpoint, current: Endpoint): boolean {
  if (desired.providerSpecific.length === 0 && current.providerSpecific.length === 0) return false;
  const wanted = new Map<string, string>();
  for (const p of desired.providerSpecific) wanted.set(p.name, p.value);
  for (const p of current.providerSpecific) {
    const value = wanted.get(p.name);
    if (value === undefined || value !== p.value) return true;
    wanted.delete(p.name);
  }
  return wanted.size > 0;
}

/**
 * The new form of an updated record: the desired endpoint carrying the current
 * record's owner, plus any label the current record has and the desired one
 * lacks (e.g. the TXT encryption nonce, so the ownership TXT stays stable).
 */
function updatedRecord(desired: Endpoint, current: Endpoint): Endpoint {
  const next = cloneEndpoint(desired);
  next.labels = { ...current.labels, ...desired.labels, [LabelKey.owner]: ownerOf(current) ?? '' };
  return next;
}

interface RowContext {
  input: PlanInput;
  changes: Changes;
  skipped: Skipped;
}

function needsUpdate(desired: Endpoint, current: Endpoint, oldOwnerId: string): boolean {
  if (desired.recordTTL > 0 && desired.recordTTL !== current.recordTTL) return true;
  if (!sameTargets(desired.targets, current.targets)) return true;
  if (providerSpecificChanged(desired, current)) return true;
  return oldOwnerId !== '' && ownerOf(current) !== oldOwnerId;
}

function planNewRow(row: Row, ctx: RowContext): void {
  for (const slot of resolveRecordTypes(slotsOf(row), candidateCount(row))) {
    const winner = resolveSlot(undefined, slot.candidates);
    if (winner !== undefined) ctx.changes.create.push(cloneEndpoint(winner));
  }
}

/** The slots to act on: the row itself when it holds one type (no array), else after the CNAME rule. */
function actionableSlots(row: Row): readonly TypeSlot[] | undefined {
  return row.more === undefined ? undefined : resolveRecordTypes(slotsOf(row), candidateCount(row));
}

/** Plans a delete or an update of the slot's current record; returns the candidate to create when it has none. */
function planTakenSlot(slot: TypeSlot, ctx: RowContext): Endpoint | undefined {
  const { changes, input } = ctx;
  const current = slot.current;
  const desired = resolveSlot(current, slot.candidates);
  if (current === undefined) return desired;
  if (desired === undefined) {
    changes.delete.push(cloneEndpoint(current));
    return undefined;
  }
  if (needsUpdate(desired, current, input.oldOwnerId)) {
    changes.updateOld.push(cloneEndpoint(current));
    changes.updateNew.push(updatedRecord(desired, current));
  }
  return undefined;
}

/** A row holding both current records and candidates. */
function planTakenRow(row: Row, ctx: RowContext): void {
  const { changes, input } = ctx;
  const slots = actionableSlots(row);
  let creates: Endpoint[] | undefined;
  if (slots === undefined) {
    const create = planTakenSlot(row, ctx);
    if (create !== undefined) creates = [create];
  } else {
    for (const slot of slots) {
      const create = planTakenSlot(slot, ctx);
      if (create !== undefined) (creates ??= []).push(create);
    }
  }
  if (creates === undefined) return;
  // Adding a type next to someone else's records would take over the name (docs/safety.md, rule 1): only when the whole row is ours.
  const foreign = input.ownerId === '' ? [] : currentOf(row).filter((ep) => ownerOf(ep) !== input.ownerId);
  if (foreign.length === 0) {
    for (const ep of creates) changes.create.push(cloneEndpoint(ep));
    return;
  }
  for (const ep of foreign) ctx.skipped.push({ dnsName: ep.dnsName, recordType: ep.recordType, foreignOwner: ownerOf(ep) ?? '' });
}

function ownedOnly(endpoints: readonly Endpoint[], ownerId: string): Endpoint[] {
  return endpoints.filter((ep) => ownerOf(ep) === ownerId);
}

function dedupe(endpoints: readonly Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  return endpoints.filter((ep) => {
    const key = endpointKey(ep);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Computes the changes that move `input.current` towards `input.desired` (see the module comment). */
export function calculate(input: PlanInput): PlanResult {
  const table = new PlanTable();
  const keep = inScope(input);
  for (const ep of input.current) if (keep(ep)) table.addCurrent(ep);
  for (const ep of input.desired) if (keep(ep)) table.addCandidate(ep);

  const ctx: RowContext = { input, changes: emptyChanges(), skipped: [] };
  for (const row of table.rows.values()) {
    if (!hasCurrent(row)) planNewRow(row, ctx);
    else if (candidateCount(row) === 0) for (const ep of currentOf(row)) ctx.changes.delete.push(cloneEndpoint(ep));
    else planTakenRow(row, ctx);
  }

  let changes = applyPolicy(input.policy, ctx.changes);
  if (input.ownerId !== '') {
    changes = {
      create: changes.create,
      updateOld: ownedOnly(changes.updateOld, input.ownerId),
      updateNew: ownedOnly(changes.updateNew, input.ownerId),
      delete: dedupe(ownedOnly(changes.delete, input.ownerId)),
    };
  }
  return { changes, skippedOwnerMismatch: ctx.skipped };
}

function sameRecord(a: Endpoint, b: Endpoint): boolean {
  if (a.dnsName !== b.dnsName || a.recordType !== b.recordType || a.setIdentifier !== b.setIdentifier) return false;
  if (a.recordTTL !== b.recordTTL || a.targets.length !== b.targets.length) return false;
  if (a.targets.some((t, i) => t !== b.targets[i])) return false;
  const aKeys = Object.keys(a.labels);
  if (aKeys.length !== Object.keys(b.labels).length || aKeys.some((k) => a.labels[k] !== b.labels[k])) return false;
  if (a.providerSpecific.length !== b.providerSpecific.length) return false;
  return a.providerSpecific.every((p, i) => p.name === b.providerSpecific[i]?.name && p.value === b.providerSpecific[i]?.value);
}

/** True when there is no change at all to send (a provider's early return; see hasChanges for "would change anything"). */
export function isEmpty(changes: Changes): boolean {
  return changes.create.length === 0 && changes.updateNew.length === 0 && changes.updateOld.length === 0 && changes.delete.length === 0;
}

/** True when applying `changes` would change anything (ExternalDNS `Changes.HasChanges`). */
export function hasChanges(changes: Changes): boolean {
  if (changes.create.length > 0 || changes.delete.length > 0) return true;
  if (changes.updateOld.length !== changes.updateNew.length) return true;
  return changes.updateNew.some((ep, i) => {
    const old = changes.updateOld[i];
    return old === undefined || !sameRecord(ep, old);
  });
}
