/** client-go's client-side limiter: a token bucket of `burst` tokens refilled at `qps` per second, on the injected clock. */
import type { Clock } from '../util/clock.ts';

export interface RateLimiter {
  /** Waits for a token (or rejects when the signal aborts). */
  acquire(signal?: AbortSignal): Promise<void>;
}

export function tokenBucket(options: { qps: number; burst: number; clock: Clock }): RateLimiter {
  const { qps, clock } = options;
  const burst = Math.max(1, options.burst);
  let tokens = burst;
  let last = clock.now();
  // Callers queue in order: each reserves a token (possibly going negative) and sleeps until it is due.
  return {
    async acquire(signal): Promise<void> {
      if (qps <= 0) return;
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
      last = now;
      tokens -= 1;
      if (tokens >= 0) return;
      const waitMs = Math.ceil((-tokens / qps) * 1000);
      try {
        await clock.sleep(waitMs, signal);
      } catch (err) {
        tokens += 1; // give the reservation back
        throw err;
      }
    },
  };
}
