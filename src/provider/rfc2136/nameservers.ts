/**
 * Which --rfc2136-host an operation goes to (--rfc2136-load-balancing-strategy,
 * as v0.22): listing (AXFR) and sending (UPDATE) rotate independently.
 * - disabled: stay on one host; move to the next only after it failed;
 * - round-robin: the next host each time;
 * - random: any host but the one used last.
 * An operation tries each host at most once before giving up.
 */
import type { Random } from '../../util/clock.ts';

export const LOAD_BALANCING_STRATEGIES = ['disabled', 'round-robin', 'random'] as const;
export type LoadBalancingStrategy = (typeof LOAD_BALANCING_STRATEGIES)[number];

export class NameserverRotation<T> {
  private counter = 0;
  private lastFailed = false;
  private readonly hosts: readonly T[];
  private readonly strategy: LoadBalancingStrategy;
  private readonly random: Random;

  constructor(hosts: readonly T[], strategy: LoadBalancingStrategy, random: Random) {
    if (hosts.length === 0) throw new Error('NameserverRotation needs at least one host');
    this.hosts = hosts;
    this.strategy = strategy;
    this.random = random;
  }

  /** The host for the next attempt. */
  next(): T {
    const n = this.hosts.length;
    const failed = this.lastFailed;
    this.lastFailed = false;
    if (n === 1) return this.at(0);
    switch (this.strategy) {
      case 'random': {
        const last = this.counter;
        // Any index but the last one used, uniformly.
        const pick = Math.floor(this.random.next() * (n - 1));
        this.counter = pick >= last ? pick + 1 : pick;
        return this.at(this.counter);
      }
      case 'round-robin': {
        const host = this.at(this.counter);
        this.counter = (this.counter + 1) % n;
        return host;
      }
      case 'disabled':
        if (failed) this.counter = (this.counter + 1) % n;
        return this.at(this.counter);
    }
  }

  /** The attempt on the host last returned failed. */
  failed(): void {
    this.lastFailed = true;
  }

  get size(): number {
    return this.hosts.length;
  }

  private at(i: number): T {
    const host = this.hosts[i];
    if (host === undefined) throw new Error('unreachable: index within hosts');
    return host;
  }

  /** Runs `attempt` on up to every host in turn until one succeeds; throws the last error. */
  async run<R>(attempt: (host: T) => Promise<R>, retryable: (err: unknown) => boolean): Promise<R> {
    let lastError: unknown;
    for (let i = 0; i < this.hosts.length; i++) {
      const host = this.next();
      try {
        return await attempt(host);
      } catch (err) {
        this.failed();
        lastError = err;
        if (!retryable(err)) throw err;
      }
    }
    throw lastError;
  }
}
