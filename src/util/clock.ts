/**
 * Time and randomness are injected everywhere, so tests drive them by hand and
 * need no sleeps. Only this file touches the real clock.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

/**
 * The longest delay one Node timer holds (2^31-1 ms, about 24.8 days). A longer
 * one fires after 1 ms with a TimeoutOverflowWarning, so `--interval=720h`
 * would spin; longer sleeps are chained from timers of at most this length.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer calls a sleep needs (the real ones, or a test's). */
export interface Timers {
  set(fire: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Sleeps `ms` (Infinity: until aborted) on `timers`, never arming one for more than MAX_TIMER_MS. */
export function chainedSleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    let remaining = Number.isNaN(ms) ? 0 : Math.max(0, ms);
    let handle: unknown;
    const onAbort = (): void => {
      timers.clear(handle);
      reject(signal?.reason as Error);
    };
    const arm = (): void => {
      const part = Math.min(remaining, MAX_TIMER_MS);
      remaining -= part;
      handle = timers.set(() => {
        if (remaining > 0) {
          arm();
          return;
        }
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, part);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}

const realTimers: Timers = {
  set: (fire, ms) => setTimeout(fire, ms),
  clear: (handle) => { clearTimeout(handle as ReturnType<typeof setTimeout> | undefined); },
};

export const systemClock: Clock = {
  // eslint-disable-next-line no-restricted-syntax -- the one real clock
  now: () => Date.now(),
  sleep: (ms, signal) => chainedSleep(realTimers, ms, signal),
};

// eslint-disable-next-line no-restricted-syntax -- the one real source of randomness
export const systemRandom: Random = { next: () => Math.random() };
