/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules:
 * a candidate takes the lease when it is free or its holder has not renewed
 * it for a whole lease duration *as observed locally* (no trust in the other
 * replica's clock); updates carry the resourceVersion, so two candidates can
 * never both win. The leader renews every retry period and, when it cannot
 * renew for the renew deadline (shorter than the lease duration), stops
 * writing before anyone else may take the lease over. `canWrite()` is what
 * the registry guard checks before every write batch.
 */
import { errorMessage, ExtdnsError } from '../errors/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../registry/registry.ts';
import type { Clock, Random } from '../util/clock.ts';
import { ControllerErrors } from './errors.ts';

/** The Lease spec fields election reads and writes. */
export interface LeaseRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: string;
  readonly renewTime: string;
  readonly leaseTransitions: number;
}

export interface StoredLease {
  readonly record: LeaseRecord;
  /** metadata.resourceVersion, for optimistic concurrency. */
  readonly resourceVersion: string;
}

/** The three Lease calls election needs (implemented over the Kubernetes client in src/kube). */
export interface LeaseApi {
  /** The lease, or undefined when it does not exist. */
  get(signal: AbortSignal): Promise<StoredLease | undefined>;
  /** Creates it; false when someone else created it first (409 AlreadyExists). */
  create(record: LeaseRecord, signal: AbortSignal): Promise<boolean>;
  /** Replaces it if still at `resourceVersion`; false on a conflict (someone else wrote first). */
  update(record: LeaseRecord, resourceVersion: string, signal: AbortSignal): Promise<boolean>;
  /**
   * Streams the lease as it changes until the stream ends or `signal` aborts (optional). A
   * standby that sees each renewal when it happens, rather than at its next read, can take over
   * one lease duration after the holder's last renewal.
   */
  watch?(onChange: (lease: StoredLease) => void, signal: AbortSignal): Promise<void>;
}

export interface LeaderElectionOptions {
  /** This replica's name in holderIdentity (pod name + a random suffix, as client-go does). */
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  /** Shown in logs: `namespace/name`. */
  readonly leaseName: string;
}

export interface LeaderElectionDeps {
  readonly leases: LeaseApi;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

export interface LeaderElector {
  /** Campaigns, leads and renews until the signal aborts; then releases the lease if held. */
  run(signal: AbortSignal): Promise<void>;
  /** Holds the lease now (from this replica's point of view). */
  isLeader(): boolean;
  /** Holds the lease and renewed it within the renew deadline: safe to write. */
  canWrite(): boolean;
  /** Called with true on becoming leader and false on losing the lease. */
  onChange(handler: (leading: boolean) => void): void;
  /** Throws a transient error unless canWrite(): the check before each write batch. */
  assertCanWrite(what: string): void;
  /** Registers a write batch in flight: on shutdown the lease is released only after it ends. */
  trackWrite<T>(write: Promise<T>): Promise<T>;
}

/** client-go's jitter factor for the retry period. */
const JITTER = 1.2;

export function validateLeaderElection(o: Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>): void {
  const problems: string[] = [];
  if (!(o.retryPeriodMs > 0)) problems.push('--leader-election-retry-period must be positive');
  if (!(o.renewDeadlineMs > o.retryPeriodMs * JITTER)) problems.push(`--leader-election-renew-deadline must be more than ${JITTER} x the retry period`);
  if (!(o.leaseDurationMs > o.renewDeadlineMs)) problems.push('--leader-election-lease-duration must be longer than --leader-election-renew-deadline');
  if (problems.length > 0) throw new ExtdnsError(ControllerErrors.EXTDNS_CONTROLLER_OPTIONS, `Leader election settings are inconsistent: ${problems.join('; ')}.`);
}

export function createLeaderElector(options: LeaderElectionOptions, deps: LeaderElectionDeps): LeaderElector {
  validateLeaderElection(options);
  return new Elector(options, deps);
}

class Elector implements LeaderElector {
  readonly #o: LeaderElectionOptions;
  readonly #d: LeaderElectionDeps;
  readonly #handlers: ((leading: boolean) => void)[] = [];
  #leading = false;
  /** Local time just *before* the last successful renew was sent (conservative). */
  #renewedAt = -Infinity;
  /** The last record seen, and the local time it was first seen in that state. */
  #observed: LeaseRecord | undefined;
  #observedAt = -Infinity;
  /** Cuts the run loop's current sleep short. */
  #wake: AbortController | undefined;
  /** The last attempt found the lease held (and not expired) by someone else. */
  #heldByOther = false;
  /** Write batches in flight (see trackWrite). */
  readonly #writes = new Set<Promise<unknown>>();

  constructor(options: LeaderElectionOptions, deps: LeaderElectionDeps) {
    this.#o = options;
    this.#d = deps;
  }

  isLeader(): boolean {
    return this.#leading;
  }

  canWrite(): boolean {
    return this.#leading && this.#d.clock.now() - this.#renewedAt < this.#o.renewDeadlineMs;
  }

  assertCanWrite(what: string): void {
    if (this.canWrite()) return;
    throw new ExtdnsError(ControllerErrors.EXTDNS_CONTROLLER_NOT_LEADER,
      `${what} skipped: this replica (${this.#o.identity}) does not hold the lease ${this.#o.leaseName} or could not renew it in time; the leader writes`);
  }

  trackWrite<T>(write: Promise<T>): Promise<T> {
    const settled = write.then(() => undefined, () => undefined);
    this.#writes.add(settled);
    void settled.then(() => this.#writes.delete(settled));
    return write;
  }

  onChange(handler: (leading: boolean) => void): void {
    this.#handlers.push(handler);
  }

  async run(signal: AbortSignal): Promise<void> {
    const log = this.#d.logger;
    log.info('Leader election: campaigning', { lease: this.#o.leaseName, identity: this.#o.identity });
    void this.#watchLease(signal);
    while (!signal.aborted) {
      const attemptAt = this.#d.clock.now();
      const held = await this.#attempt(signal);
      if (held) this.#renewedAt = attemptAt;
      this.#update(signal);
      if (!(await this.#sleep(this.#leading ? this.#o.retryPeriodMs : this.#untilNextTry(), signal))) break;
    }
    await this.#release();
  }

  /** Notes every change of the lease as it happens (when the API supports watching it); reconnects after a retry period. */
  async #watchLease(signal: AbortSignal): Promise<void> {
    const watch = this.#d.leases.watch?.bind(this.#d.leases);
    if (watch === undefined) return;
    while (!signal.aborted) {
      try {
        await watch((lease) => {
          this.#observe(lease.record, this.#d.clock.now());
          // Someone else wrote the lease (stolen, or taken over after a partition): check at once, not at the next
          // renew. The check reads the lease, so a late event about an older state cannot end a valid leadership.
          if (this.#leading && lease.record.holderIdentity !== this.#o.identity) this.#wake?.abort();
        }, signal);
      } catch (err) {
        if (!signal.aborted) this.#d.logger.debug('Leader election: lease watch ended', { lease: this.#o.leaseName, error: errorMessage(err) });
      }
      if (!(await this.#sleep(this.#jittered(), signal))) return;
    }
  }

  /** One try, given up after the renew deadline so a hung request cannot keep a stale leader waiting. */
  async #attempt(signal: AbortSignal): Promise<boolean> {
    const deadline = new AbortController();
    const onAbort = (): void => { deadline.abort(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
    this.#d.clock.sleep(this.#o.renewDeadlineMs, deadline.signal).then(() => { deadline.abort(new Error('lease request timed out')); }, () => undefined);
    try {
      return await this.#tryAcquireOrRenew(deadline.signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      deadline.abort();
    }
  }

  /** Moves between leader and candidate after each attempt. */
  #update(signal: AbortSignal): void {
    if (signal.aborted) return;
    const now = this.#d.clock.now();
    if (this.#heldByOther) {
      // The lease names another holder (stolen, or taken over while this replica was cut off): stop writing at once,
      // as client-go's IsLeader() does, instead of waiting out the renew deadline.
      this.#renewedAt = -Infinity;
      if (this.#leading) {
        this.#set(false);
        this.#d.logger.error('Leader election: the lease is held by another replica; writes stop until it is won again', {
          lease: this.#o.leaseName, identity: this.#o.identity, holder: this.#observed?.holderIdentity ?? '',
        });
        return;
      }
    }
    const fresh = now - this.#renewedAt < this.#o.renewDeadlineMs;
    if (!this.#leading && fresh) {
      this.#set(true);
      this.#d.logger.info('Leader election: became the leader', { lease: this.#o.leaseName, identity: this.#o.identity });
    } else if (this.#leading && !fresh) {
      this.#set(false);
      this.#d.logger.error('Leader election: lost the lease (could not renew within the renew deadline); writes stop until it is won again', {
        lease: this.#o.leaseName, identity: this.#o.identity,
      });
    }
  }

  #set(leading: boolean): void {
    this.#leading = leading;
    for (const h of this.#handlers) h(leading);
  }

  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.#d.clock.now();
    const me = this.#o.identity;
    this.#heldByOther = false;
    try {
      const current = await this.#d.leases.get(signal);
      if (current === undefined) {
        return await this.#d.leases.create(this.#record(now, undefined), signal);
      }
      this.#observe(current.record, this.#d.clock.now());
      const held = current.record.holderIdentity;
      if (held !== '' && held !== me && !this.#expired(current.record, now)) {
        this.#heldByOther = true;
        return false;
      }
      return await this.#d.leases.update(this.#record(now, current.record), current.resourceVersion, signal);
    } catch (err) {
      this.#d.logger.warn('Leader election: lease request failed', { lease: this.#o.leaseName, error: errorMessage(err) });
      return false;
    }
  }

  /**
   * Notes when the record changed, dated (as client-go does) when the read that first shows it
   * returned: the holder renewed before that, so the lease is never taken before it ran out.
   */
  #observe(record: LeaseRecord, readEnd: number): void {
    const seen = this.#observed;
    if (seen !== undefined && seen.holderIdentity === record.holderIdentity && seen.renewTime === record.renewTime &&
      seen.leaseTransitions === record.leaseTransitions) return;
    this.#observed = record;
    this.#observedAt = readEnd;
  }

  /**
   * A candidate retries after the jittered retry period, or right when the observed lease runs out
   * if that is sooner: a dead leader is replaced one lease duration after its last renew was seen,
   * not up to a retry period later.
   */
  #untilNextTry(): number {
    const retry = this.#jittered();
    const record = this.#observed;
    if (!this.#heldByOther || record === undefined) return retry;
    const expiresIn = this.#observedAt + Math.max(1, record.leaseDurationSeconds) * 1000 - this.#d.clock.now();
    return Math.max(0, Math.min(retry, expiresIn));
  }

  /** Expired as seen from here: no change for a whole lease duration since we first saw this state. */
  #expired(record: LeaseRecord, now: number): boolean {
    const durationMs = Math.max(1, record.leaseDurationSeconds) * 1000;
    return this.#observedAt + durationMs <= now;
  }

  #record(now: number, previous: LeaseRecord | undefined): LeaseRecord {
    const time = microTime(now);
    const mine = previous?.holderIdentity === this.#o.identity;
    return {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: Math.ceil(this.#o.leaseDurationMs / 1000),
      acquireTime: mine ? previous.acquireTime : time,
      renewTime: time,
      leaseTransitions: previous === undefined ? 0 : previous.leaseTransitions + (mine ? 0 : 1),
    };
  }

  /** On shutdown the leader hands the lease back, so a standby takes over at its next retry, not a lease duration later. */
  async #release(): Promise<void> {
    if (!this.#leading) return;
    this.#set(false);
    await this.#writesDone();
    const signal = AbortSignal.timeout(2_000);
    try {
      const current = await this.#d.leases.get(signal);
      if (current?.record.holderIdentity !== this.#o.identity) return;
      const time = microTime(this.#d.clock.now());
      await this.#d.leases.update({ ...current.record, holderIdentity: '', leaseDurationSeconds: 1, renewTime: time }, current.resourceVersion, signal);
      this.#d.logger.info('Leader election: released the lease', { lease: this.#o.leaseName });
    } catch (err) {
      this.#d.logger.warn('Leader election: could not release the lease; a standby takes over when it expires', { error: errorMessage(err) });
    }
  }

  /**
   * Waits for the write batch in flight (shutdown lets it finish, so no record is left without its TXT):
   * releasing before it ends would let a standby write at the same time. Bounded by the renew deadline,
   * after which the lease is not renewed any more and a standby may take over anyway.
   */
  async #writesDone(): Promise<void> {
    if (this.#writes.size === 0) return;
    this.#d.logger.info('Leader election: waiting for the write batch in flight before releasing the lease', { lease: this.#o.leaseName });
    const timer = new AbortController();
    const deadline = this.#d.clock.sleep(this.#o.renewDeadlineMs, timer.signal).catch(() => undefined);
    await Promise.race([Promise.all([...this.#writes]), deadline]);
    timer.abort();
  }

  #jittered(): number {
    return this.#o.retryPeriodMs * (1 + this.#d.random.next() * (JITTER - 1));
  }

  /** Sleeps `ms`; false when `signal` aborted. The lease watch may cut the sleep short (#wake). */
  async #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    const wake = new AbortController();
    this.#wake = wake;
    try {
      await this.#d.clock.sleep(ms, AbortSignal.any([signal, wake.signal]));
    } catch {
      // woken early or shutting down
    } finally {
      this.#wake = undefined;
    }
    return !signal.aborted;
  }
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A registry whose writes first check that this replica may write (the check before each write batch). */
export function guardWrites(registry: Registry, elector: Pick<LeaderElector, 'assertCanWrite' | 'trackWrite'>): Registry {
  return {
    ownerId: () => registry.ownerId(),
    records: (signal) => registry.records(signal),
    adjustEndpoints: (endpoints) => registry.adjustEndpoints(endpoints),
    domainFilter: () => registry.domainFilter(),
    capabilities: registry.capabilities,
    screen: (desired) => registry.screen(desired),
    unreadableOwnership: () => registry.unreadableOwnership?.() ?? 0,
    applyChanges: (changes, signal, progress) => {
      elector.assertCanWrite('applying changes');
      return elector.trackWrite(registry.applyChanges(changes, signal, progress));
    },
  };
}
