/**
 * The optional progress hook of Provider.applyChanges. A provider that applies
 * a call's changes in parts (per zone, per API batch, per UPDATE message)
 * reports after each part how many of the call's changes have landed, so a
 * long first sync can log "N of M applied" while it runs. One change is one
 * entry of create, updateNew or delete: an update pair counts once.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Changes } from '../plan/plan.ts';

/**
 * `applied` of the call's `total` changes have landed: cumulative, rising, at most `total`. A provider
 * whose parts do not map one to one onto changes (merged record sets) may stop short; the caller counts
 * the call whole once it returns.
 */
export type ApplyProgress = (applied: number, total: number) => void;

export function changeCount(changes: Changes): number {
  return changes.create.length + changes.updateNew.length + changes.delete.length;
}

/** Tells an ApplyProgress what landed, in either of the two ways a provider knows it. */
export interface LandedCounter {
  /** `count` more changes landed. */
  add(count: number): void;
  /** These endpoints landed; only the call's create, updateNew and delete entries count (an update's old side does not). */
  endpoints(landed: Iterable<Endpoint>): void;
}

/** A counter for one applyChanges call; does nothing when the caller passed no hook. */
export function landedCounter(changes: Changes, progress: ApplyProgress | undefined): LandedCounter {
  if (progress === undefined) return { add: () => undefined, endpoints: () => undefined };
  const total = changeCount(changes);
  const counted = new Set<Endpoint>([...changes.create, ...changes.updateNew, ...changes.delete]);
  let applied = 0;
  const add = (count: number): void => {
    const next = Math.min(total, applied + count);
    if (next <= applied) return;
    applied = next;
    progress(applied, total);
  };
  return {
    add,
    endpoints: (landed) => {
      let n = 0;
      for (const ep of landed) if (counted.delete(ep)) n++;
      add(n);
    },
  };
}

/**
 * A hook for a wrapper whose provider sees other changes than the wrapper's
 * caller (the TXT registry adds ownership records): the inner call's fraction
 * in the caller's units, rounded down, exactly `total` when the inner call has
 * landed everything.
 */
export function scaledProgress(progress: ApplyProgress | undefined, total: number): ApplyProgress | undefined {
  if (progress === undefined) return undefined;
  let last = 0;
  return (applied, innerTotal) => {
    const scaled = applied >= innerTotal ? total : Math.floor((applied * total) / Math.max(1, innerTotal));
    if (scaled <= last) return;
    last = scaled;
    progress(scaled, total);
  };
}
