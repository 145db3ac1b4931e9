/**
 * The planner's conflict resolver (ExternalDNS `PerResource`): when several
 * desired endpoints claim one record set, exactly one wins, and the choice
 * must not depend on the order sources listed them in, or the plan would flip
 * between syncs.
 *
 * - create: the candidate with the "least" targets (shorter list, then IPs
 *   before hostnames, IPs numerically; ../endpoint/targets.ts); the first of
 *   equals.
 * - update: the candidate from the resource that already holds the record
 *   (same `resource` label as the current record), so a second Ingress
 *   claiming a name cannot take it over; otherwise as for create.
 * - record types: a name may not hold a CNAME beside any other data
 *   (RFC 1034 §3.6.2), so when the candidates of one name mix CNAME with other
 *   types the CNAME candidates are dropped and A/AAAA win. A current CNAME is
 *   kept in its slot so that the plan deletes it.
 */
import { LabelKey, type Endpoint } from '../endpoint/endpoint.ts';
import { compareTargetLists } from '../endpoint/targets.ts';

/**
 * The desired endpoints claiming one record set: none, one (no array: the
 * common case, and at 1M names an array each is a million live objects) or
 * several.
 */
export type Candidates = Endpoint | Endpoint[] | undefined;

/** The endpoints of one record type within a plan row. */
export interface TypeSlot {
  recordType: string;
  current: Endpoint | undefined;
  candidates: Candidates;
}

function isList(candidates: Endpoint | Endpoint[]): candidates is Endpoint[] {
  return Array.isArray(candidates);
}

export function countCandidates(candidates: Candidates): number {
  if (candidates === undefined) return 0;
  return isList(candidates) ? candidates.length : 1;
}

/** The candidates plus one more (a list grows in place). */
export function withCandidate(candidates: Candidates, ep: Endpoint): Candidates {
  if (candidates === undefined) return ep;
  if (!isList(candidates)) return [candidates, ep];
  candidates.push(ep);
  return candidates;
}

/** The winner among a slot's candidates: for create without a current record, else for update; undefined when none. */
export function resolveSlot(current: Endpoint | undefined, candidates: Candidates): Endpoint | undefined {
  if (candidates === undefined) return undefined;
  if (!isList(candidates)) return candidates;
  if (candidates.length === 0) return undefined;
  return current === undefined ? resolveCreate(candidates) : resolveUpdate(current, candidates);
}

function byTargets(a: Endpoint, b: Endpoint): number {
  return compareTargetLists(a.targets, b.targets);
}

/** The winning candidate for a record set that does not exist yet. `candidates` must not be empty. */
export function resolveCreate(candidates: readonly Endpoint[]): Endpoint {
  let best = candidates[0];
  if (best === undefined) throw new Error('resolveCreate needs at least one candidate');
  for (let i = 1; i < candidates.length; i++) {
    const candidate = candidates[i];
    if (candidate !== undefined && byTargets(candidate, best) < 0) best = candidate;
  }
  return best;
}

/** The winning candidate for an existing record set: the current holder's resource if it still wants it. */
export function resolveUpdate(current: Endpoint, candidates: readonly Endpoint[]): Endpoint {
  if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0];
  const holder = current.labels[LabelKey.resource] ?? '';
  let best: Endpoint | undefined;
  for (const candidate of candidates) {
    if ((candidate.labels[LabelKey.resource] ?? '') !== holder) continue;
    if (best === undefined || byTargets(candidate, best) < 0) best = candidate;
  }
  return best ?? resolveCreate(candidates);
}

/**
 * The type slots the planner should act on: `slots` unchanged, or, when the
 * row's candidates mix CNAME with other types, a copy whose CNAME slot has no
 * candidates.
 */
export function resolveRecordTypes(slots: readonly TypeSlot[], candidateCount: number): readonly TypeSlot[] {
  if (candidateCount <= 1) return slots;
  let cname = false;
  let other = false;
  for (const slot of slots) {
    if (countCandidates(slot.candidates) === 0) continue;
    if (slot.recordType === 'CNAME') cname = true;
    else other = true;
  }
  if (!cname || !other) return slots;
  return slots.map((slot) => (slot.recordType === 'CNAME' ? { ...slot, candidates: undefined } : slot));
}
