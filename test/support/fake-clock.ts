import type { Clock, Random } from '../../src/util/clock.ts';

/** A clock that moves only when a test calls advance(); sleeps resolve in due order. */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: { at: number; resolve: () => void }[] = [];

  constructor(start = Date.UTC(2026, 10, 28, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const entry = { at: this.#now + Math.max(0, ms), resolve };
      this.#sleepers.push(entry);
      signal?.addEventListener('abort', () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== entry);
        reject(signal.reason as Error);
      }, { once: true });
    });
  }

  /** Number of pending sleeps (lets a test wait until code under test is parked). */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Milliseconds until the earliest pending sleep is due; undefined when nothing sleeps (shows what code under test waits for). */
  get nextDueIn(): number | undefined {
    const next = Math.min(...this.#sleepers.map((s) => s.at));
    return Number.isFinite(next) ? next - this.#now : undefined;
  }

  /** Moves time forward, waking every sleeper that is due, in order, letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flush();
      this.#sleepers.sort((a, b) => a.at - b.at);
      const next = this.#sleepers[0];
      if (next === undefined || next.at > target) break;
      this.#sleepers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
    }
    this.#now = target;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}

/** Deterministic random numbers (mulberry32). */
export function seededRandom(seed = 1): Random {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
