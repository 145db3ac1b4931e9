/**
 * When the next sync runs: the regular interval, events that pull it earlier
 * (never sooner than --min-event-sync-interval after the previous start) and
 * backoff after a transient failure. Pure bookkeeping over injected times, in
 * the spirit of ExternalDNS's ShouldRunOnce/ScheduleRunOnce.
 */
import type { Random } from '../util/clock.ts';

export interface ScheduleOptions {
  intervalMs: number;
  minEventSyncIntervalMs: number;
}

export class RunSchedule {
  readonly #options: ScheduleOptions;
  #nextRunAt = Number.NEGATIVE_INFINITY;
  #lastStartedAt = Number.NEGATIVE_INFINITY;
  /** While backing off, events may not pull the next run before this time. */
  #notBefore = Number.NEGATIVE_INFINITY;

  constructor(options: ScheduleOptions) {
    this.#options = options;
  }

  /** The time the next sync is due; -Infinity means "now" (the first sync runs at once). */
  get nextRunAt(): number {
    return this.#nextRunAt;
  }

  isDue(now: number): boolean {
    return now >= this.#nextRunAt;
  }

  /** The loop (re)starts: its first sync runs at once. */
  runNow(now: number): void {
    this.#nextRunAt = now;
    this.#notBefore = Number.NEGATIVE_INFINITY;
  }

  /** A sync starts now: the next regular one is one interval later. */
  started(now: number): void {
    this.#lastStartedAt = now;
    this.#nextRunAt = now + this.#options.intervalMs;
    this.#notBefore = Number.NEGATIVE_INFINITY;
  }

  /** The sync failed transiently: retry after `delayMs`, and let no event pull the retry earlier. */
  backOff(now: number, delayMs: number): void {
    this.#nextRunAt = now + delayMs;
    this.#notBefore = this.#nextRunAt;
  }

  /**
   * A source reported a change. Moves the next run earlier, to now at the
   * soonest and never sooner than min-event-sync-interval after the last
   * start; a burst of events therefore lands in one sync. Returns true when
   * the due time moved (the loop should wake up and look again).
   */
  event(now: number): boolean {
    const earliest = Math.max(now, this.#lastStartedAt + this.#options.minEventSyncIntervalMs, this.#notBefore);
    if (earliest >= this.#nextRunAt) return false;
    this.#nextRunAt = earliest;
    return true;
  }
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: a uniform draw from
 * [0, min(maxMs, baseMs * 2^(attempt-1))). Full jitter spreads the retries of
 * many replicas hitting one throttled API.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: Random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random.next() * ceiling);
}
