/**
 * The two caches a provider keeps between syncs, written once:
 * - `ListCache`: a list read at most once per duration (the zone list;
 *   --aws-zones-cache-duration), the last one kept for domainFilter();
 * - `ZoneCache`: one entry per zone, fresh while the zone's version (a
 *   PowerDNS serial) is what it was when read and a maximum age has not
 *   passed; the provider marks an entry stale after its own write.
 * Both run on the injected clock.
 */
import type { Clock } from '../../util/clock.ts';

export class ListCache<T> {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #held: { at: number; value: T } | undefined;

  /** ttlMs 0: read every time (the last value is still kept for last()). */
  constructor(clock: Clock, ttlMs: number) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** The held value while it is younger than the duration, else what load() reads (then held). */
  async get(load: () => Promise<T>): Promise<T> {
    const now = this.#clock.now();
    if (this.#held !== undefined && this.#ttlMs > 0 && now - this.#held.at < this.#ttlMs) return this.#held.value;
    const value = await load();
    this.#held = { at: now, value };
    return value;
  }

  /** The last value read, fresh or not; undefined before the first read. */
  last(): T | undefined {
    return this.#held?.value;
  }
}

interface Held<V> {
  version: string | undefined;
  at: number;
  value: V;
}

export class ZoneCache<V> {
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  readonly #entries = new Map<string, Held<V>>();

  constructor(clock: Clock, maxAgeMs: number) {
    this.#clock = clock;
    this.#maxAgeMs = maxAgeMs;
  }

  /**
   * The entry while fresh: `version` equals the one it was read at (undefined
   * = the zone says no version: never fresh) and it is younger than the
   * maximum age; else what load() reads, held at this version.
   */
  async get(key: string, version: string | undefined, load: () => Promise<V>): Promise<V> {
    const held = this.#entries.get(key);
    const now = this.#clock.now();
    if (held !== undefined && version !== undefined && held.version === version && now - held.at < this.#maxAgeMs) return held.value;
    const value = await load();
    this.#entries.set(key, { version, at: now, value });
    return value;
  }

  /** The held value, fresh or not (kept in step by the provider's own writes). */
  peek(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** After our own write: the value is kept, the next get() reads the zone again. */
  markStale(key: string): void {
    const held = this.#entries.get(key);
    if (held !== undefined) held.version = undefined;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops the zones no longer managed. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.#entries.keys()]) if (!keys.has(key)) this.#entries.delete(key);
  }
}
