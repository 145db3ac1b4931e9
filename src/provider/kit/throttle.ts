/**
 * Waiting out an API's rate limit, once for every provider that speaks HTTP
 * through ./http.ts: a 429, or a 503 that carries Retry-After, is sent again
 * after the wait the server asked for (Retry-After in seconds or as an
 * HTTP-date, RFC 9110 §10.2.3), else after a doubling backoff; a bounded number
 * of times, each wait bounded, on the injected clock. A wait longer than the
 * bound is not made: the answer goes back to the provider, whose error says
 * the sync is retried next run.
 */
import type { Clock } from '../../util/clock.ts';

export interface ThrottlePolicy {
  clock: Clock;
  /** Sends after the first; 0 = never wait. */
  retries: number;
  /** The longest single wait; a server asking for more is not waited for. */
  maxWaitMs: number;
  /** The wait when the server names none (doubled at each retry). */
  baseWaitMs?: number | undefined;
}

const DEFAULT_BASE_WAIT_MS = 1_000;

/** The policy the kit's HTTP providers use: 3 more sends, at most 30 s per wait; none without a clock. */
export function standardThrottle(clock: Clock | undefined): ThrottlePolicy | undefined {
  return clock === undefined ? undefined : { clock, retries: 3, maxWaitMs: 30_000 };
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Whether an answer is the server asking to be called later. */
export function isThrottle(status: number, retryAfter: string | undefined): boolean {
  return status === 429 || (status === 503 && retryAfter !== undefined);
}

/**
 * How long to wait before send number `attempt + 1` (attempt 0 = the first
 * send was throttled), or undefined when the policy says to stop here.
 */
export function throttleWait(policy: ThrottlePolicy, attempt: number, retryAfter: string | undefined): number | undefined {
  if (attempt >= policy.retries) return undefined;
  const asked = retryAfterMs(retryAfter, policy.clock.now());
  const wait = asked ?? (policy.baseWaitMs ?? DEFAULT_BASE_WAIT_MS) * 2 ** attempt;
  return wait > policy.maxWaitMs ? undefined : wait;
}
