/**
 * Long computations over big inputs (a 200,000-record change set, a zone of
 * millions of lines) are written as generators that `yield` after each
 * bounded slice of work. drain() runs one to the end at once (tests,
 * one-shot commands); paced() gives the event loop a turn at every yield, so
 * a server stays responsive (/healthz, other requests) while it works.
 */
import { setImmediate as immediate } from 'node:timers/promises';

/** A computation that yields between slices of work and returns T. */
export type Sliced<T> = Generator<void, T, undefined>;

/** Gives the event loop a turn (timers, I/O) before going on. */
export type Pause = () => Promise<void>;

/** Items (records, changes, comparisons) per slice: a few milliseconds of work. */
export const SLICE = 1000;

export async function yieldToLoop(): Promise<void> {
  await immediate();
}

/** Runs `work` to the end without pausing. */
export function drain<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
  }
}

/** Runs `work`, pausing between its slices. */
export async function paced<T>(work: Sliced<T>, pause: Pause = yieldToLoop): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
    await pause();
  }
}

/** Counts items; full() is true once every `size` items (then the caller yields). */
export class SliceCounter {
  #count = 0;
  readonly #size: number;

  constructor(size = SLICE) {
    this.#size = size;
  }

  full(items = 1): boolean {
    this.#count += items;
    if (this.#count < this.#size) return false;
    this.#count = 0;
    return true;
  }
}

/** Calls `each` on every item, a slice at a time. */
export function* eachSliced<T>(items: readonly T[], each: (item: T) => void): Sliced<void> {
  const slice = new SliceCounter();
  for (const item of items) {
    each(item);
    if (slice.full()) yield;
  }
}

/** `items.filter(keep)`, a slice at a time. */
export function* filterSliced<T>(items: readonly T[], keep: (item: T) => boolean): Sliced<T[]> {
  const out: T[] = [];
  const slice = new SliceCounter();
  for (const item of items) {
    if (keep(item)) out.push(item);
    if (slice.full()) yield;
  }
  return out;
}

/**
 * A stable merge sort of `items` in place, a slice of comparisons at a time
 * (Array.prototype.sort of 200,000 objects holds the loop for a fifth of a second).
 */
export function* sortSliced<T>(items: T[], compare: (a: T, b: T) => number): Sliced<T[]> {
  const slice = new SliceCounter();
  let from = items;
  let to = new Array<T>(items.length);
  for (let width = 1; width < items.length; width *= 2) {
    for (let lo = 0; lo < items.length; lo += 2 * width) {
      const mid = Math.min(lo + width, items.length);
      const hi = Math.min(lo + 2 * width, items.length);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        const a = from[i] as T;
        const b = from[j] as T;
        if (i < mid && (j >= hi || compare(a, b) <= 0)) {
          to[k] = a;
          i++;
        } else {
          to[k] = b;
          j++;
        }
        if (slice.full()) yield;
      }
    }
    [from, to] = [to, from];
  }
  if (from !== items) for (let k = 0; k < items.length; k++) items[k] = from[k] as T;
  return items;
}
