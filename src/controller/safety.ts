/**
 * The controller's two guards against mass deletion (docs/safety.md, rules
 * 2 and 3):
 *
 * - Source fence: a sync in which any source failed knows only part of what
 *   is wanted, so it deletes nothing. Creates and updates still go out.
 * - Delete brake: a plan that deletes more than max(minimum, threshold% of the
 *   records we own) is held. The deletes go out only when the very same set
 *   has been planned continuously for the hold-down period, or when mass
 *   deletion is allowed.
 */
import { endpointKey, type Endpoint } from '../endpoint/endpoint.ts';
import type { Changes } from '../plan/plan.ts';

/** Returns the changes without their deletes and how many were dropped. */
export function fenceDeletes(changes: Changes): { changes: Changes; fenced: number } {
  return { changes: { ...changes, delete: [] }, fenced: changes.delete.length };
}

/** Records that count as ours for the brake: all of them for the noop registry (owner id ""). */
export function countOwned(current: readonly Endpoint[], ownerId: string): number {
  if (ownerId === '') return current.length;
  let owned = 0;
  for (const ep of current) if (ep.labels['owner'] === ownerId) owned++;
  return owned;
}

export interface DeleteBrakeOptions {
  /** --allow-mass-delete: never hold. */
  allowMassDelete: boolean;
  /** Percentage of owned records a sync may delete without being held. */
  thresholdPercent: number;
  /** A sync may always delete this many. */
  minimum: number;
  /** How long the same deletes must be planned before they are released. */
  holdMs: number;
}

/** What a held sync reports (SyncResult.held, logs, metrics). */
export interface HeldDeletes {
  count: number;
  /** max(minimum, threshold% of owned). */
  limit: number;
  owned: number;
  /** A few of the names, sorted, for the log line. */
  sample: string[];
  /** When this same set was first held. */
  since: number;
  /** When it will be released if it is still planned. */
  releaseAt: number;
}

export type BrakeDecision =
  | { kind: 'pass' }
  /** Over the limit but --allow-mass-delete is set. */
  | { kind: 'allowed'; count: number; limit: number }
  | { kind: 'hold'; held: HeldDeletes }
  /** The same set was held for holdMs: let it go. */
  | { kind: 'release'; count: number; heldForMs: number };

const SAMPLE_SIZE = 10;

export class DeleteBrake {
  readonly #options: DeleteBrakeOptions;
  #held: { keys: Set<string>; since: number } | undefined;
  /** Deletes released earlier, kept until a sync plans few enough deletes to pass on its own. */
  #released: Set<string> | undefined;

  constructor(options: DeleteBrakeOptions) {
    this.#options = options;
  }

  limit(owned: number): number {
    return Math.max(this.#options.minimum, Math.floor((owned * this.#options.thresholdPercent) / 100));
  }

  /** Decides for one sync whose source data was complete. */
  check(deletes: readonly Endpoint[], owned: number, now: number): BrakeDecision {
    const limit = this.limit(owned);
    if (deletes.length <= limit) {
      this.#held = undefined;
      this.#released = undefined;
      return { kind: 'pass' };
    }
    if (this.#options.allowMassDelete) return { kind: 'allowed', count: deletes.length, limit };
    const keys = new Set(deletes.map(endpointKey));
    // Already approved: a retry after a failed or partial apply is not held again.
    if (this.#released !== undefined && isSubset(keys, this.#released)) return { kind: 'pass' };
    if (this.#held === undefined || !sameSet(keys, this.#held.keys)) {
      this.#held = { keys, since: now };
      this.#released = undefined;
    }
    const heldForMs = now - this.#held.since;
    if (heldForMs >= this.#options.holdMs) {
      this.#released = this.#held.keys;
      this.#held = undefined;
      return { kind: 'release', count: keys.size, heldForMs };
    }
    return { kind: 'hold', held: this.#describe(deletes, limit, owned) };
  }

  #describe(deletes: readonly Endpoint[], limit: number, owned: number): HeldDeletes {
    const since = this.#held?.since ?? 0;
    const names = [...new Set(deletes.map((d) => d.dnsName))].sort();
    return {
      count: deletes.length,
      limit,
      owned,
      sample: names.slice(0, SAMPLE_SIZE),
      since,
      releaseAt: since + this.#options.holdMs,
    };
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && isSubset(a, b);
}

function isSubset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const k of a) if (!b.has(k)) return false;
  return true;
}
