/**
 * The controller: one sync reads the registry and the sources, plans, passes
 * the plan through the safety guards (./safety.ts) and applies it; run()
 * repeats syncs on the injected clock (interval, events, backoff).
 *
 * Error handling differs from ExternalDNS on purpose: a transient error
 * (ExtdnsError with transient=true: throttling, 5xx, timeouts, unsynced
 * caches) is retried with exponential backoff instead of exiting, so
 * throttling never crash-loops the process (docs/errors.md lists which codes are transient).
 * Any other error ends run() by rejecting with it; the CLI exits non-zero.
 */
import { errorMessage, ExtdnsError, isDataError, isTransient } from '../errors/errors.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Logger } from '../log/logger.ts';
import type { Changes, PlanInput, PlanResult, PolicyName } from '../plan/plan.ts';
import type { Refusal, Registry } from '../registry/registry.ts';
import { admitDesired, RefusalLog, sourceObject } from './admission.ts';
import { PoisonPills, type IsolatedOutcome } from './isolate.ts';
import type { Clock, Random } from '../util/clock.ts';
import { ControllerErrors } from './errors.ts';
import { countOwned, DeleteBrake, fenceDeletes, type BrakeDecision, type DeleteBrakeOptions, type HeldDeletes } from './safety.ts';
import { backoffDelay, RunSchedule, type BackoffOptions } from './schedule.ts';
import { hasChanges } from '../plan/calculate.ts';
import { describeChanges } from './summary.ts';
import { changeCount } from '../provider/progress.ts';
import type { CollectedSources, SourceCollector, SourceFailure } from '../source/source.ts';

export interface ControllerOptions {
  policy: PolicyName;
  /** --domain-filter and friends; the registry's own filter is added to these. */
  domainFilters: readonly DomainFilter[];
  managedRecordTypes: readonly string[];
  excludeRecordTypes: readonly string[];
  /** --migrate-from-txt-owner; "" when unset. */
  oldOwnerId: string;
  intervalMs: number;
  minEventSyncIntervalMs: number;
  dryRun: boolean;
  /** --allow-default-owner-sync: silences the warning about --policy=sync with the owner id "default". */
  allowDefaultOwnerSync?: boolean | undefined;
  deleteBrake: DeleteBrakeOptions;
  backoff: BackoffOptions;
  /** Zone names (the --domain-filter domains) the per-sync summary groups changes by. */
  summaryZones?: readonly string[] | undefined;
}

/** Which step of a sync failed (registry_errors_total vs source_errors_total, …). */
export type SyncStage = 'registry' | 'source' | 'plan' | 'apply';

/** Callbacks for metrics; every one is optional. */
export interface SyncObserver {
  syncStarted?: () => void;
  syncSucceeded?: (result: SyncResult, durationMs: number) => void;
  syncFailed?: (failure: { stage: SyncStage; error: unknown; transient: boolean }) => void;
  /** Some sources failed; the sync went on without their deletes. */
  sourcesFailed?: (failures: readonly SourceFailure[]) => void;
  /** The delete brake held this sync's deletes. */
  deletesHeld?: (held: HeldDeletes) => void;
  consecutiveSoftErrors?: (count: number) => void;
  /** What the registry read this sync (owned and foreign records, ownership TXTs excluded). */
  registryRead?: (records: readonly Endpoint[]) => void;
  /** What the sources produced this sync (after the pipeline's filters). */
  sourcesRead?: (collected: CollectedSources) => void;
  /** The plan, before the safety guards. */
  planned?: (result: PlanResult) => void;
  /** While the guarded plan is applied: `applied` of its `total` changes have landed (0 when the apply starts, as the provider reports parts). */
  applyProgress?: (applied: number, total: number) => void;
  /** The apply step failed: these changes may not have landed (Kubernetes Events report them). */
  applyFailed?: (changes: Changes, error: unknown) => void;
  /** Desired endpoints dropped before the plan that were not dropped the sync before (Kubernetes Events report them). */
  refused?: (fresh: readonly Refusal[]) => void;
  /** Ownership records the registry could not read this sync (a changed TXT encryption key). */
  unreadableOwnership?: (count: number) => void;
}

export interface ControllerDeps {
  registry: Registry;
  sources: SourceCollector;
  plan: (input: PlanInput) => PlanResult;
  clock: Clock;
  random: Random;
  logger: Logger;
  observer?: SyncObserver | undefined;
  /** With --leader-elect: only the replica that may write runs syncs (standbys keep their caches warm). */
  leader?: { canWrite(): boolean } | undefined;
}

export interface SyncResult {
  /** What was applied; in dry-run, what would have been applied. */
  changes: Changes;
  /** True when changes were sent to the registry (false in dry-run or when there was nothing to send). */
  applied: boolean;
  /** Set when the delete brake held this sync's deletes. */
  held: HeldDeletes | undefined;
  /** Deletes dropped because a source failed. */
  fencedDeletes: number;
  failedSources: string[];
  /** Creates the planner skipped because another owner holds the name. */
  ownerMismatches: number;
  /** The plan had nothing to do. */
  noop: boolean;
  /** Desired endpoints dropped before the plan, and changes the provider refused (isolated, not retried). */
  refused: Refusal[];
}

export interface Controller {
  /** One sync (also what --once runs). */
  runOnce(signal: AbortSignal): Promise<SyncResult>;
  /** The loop; resolves when the signal aborts, rejects on a non-transient error. */
  run(signal: AbortSignal): Promise<void>;
  /** Asks for a sync soon (source event handlers call it with --events). Safe to pass around unbound. */
  trigger(): void;
  /** Transient failures since the last successful sync. */
  readonly consecutiveSoftErrors: number;
}

export function createController(options: ControllerOptions, deps: ControllerDeps): Controller {
  validate(options);
  warnAboutDefaultOwner(options, deps);
  return new SyncController(options, deps);
}

function validate(o: ControllerOptions): void {
  const problems: string[] = [];
  if (!(o.intervalMs > 0)) problems.push(`--interval must be positive (got ${o.intervalMs} ms)`);
  if (!(o.minEventSyncIntervalMs >= 0)) problems.push(`--min-event-sync-interval must not be negative (got ${o.minEventSyncIntervalMs} ms)`);
  if (!(o.backoff.baseMs > 0) || !(o.backoff.maxMs >= o.backoff.baseMs)) {
    problems.push(`the retry backoff needs 0 < base <= max (got base ${o.backoff.baseMs} ms, max ${o.backoff.maxMs} ms)`);
  }
  // The delete-brake ranges are the config's to check (src/config/validate.ts), once, with the other flags.
  if (problems.length > 0) throw new ExtdnsError(ControllerErrors.EXTDNS_CONTROLLER_OPTIONS, `Invalid controller options: ${problems.join('; ')}.`);
}

/** Owner-id hygiene (docs/safety.md, rule 10): instances sharing "default" delete each other's records. */
function warnAboutDefaultOwner(options: ControllerOptions, deps: ControllerDeps): void {
  if (options.policy !== 'sync' || deps.registry.ownerId() !== 'default' || options.allowDefaultOwnerSync === true) return;
  deps.logger.warn(
    '!!! --policy=sync with the owner id "default": every ExternalDNS instance that also uses "default" in these zones ' +
      'will delete this instance\'s records and the other way round. Set --txt-owner-id to a name unique to this cluster ' +
        '(or --allow-default-owner-sync if this instance is alone in its zones).',
    { policy: options.policy, ownerId: 'default' },
  );
}

/** Seconds for log lines: 300000 → "300s". */
function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

interface Planned {
  current: Endpoint[];
  result: PlanResult;
  failures: SourceFailure[];
  refused: Refusal[];
}

class SyncController implements Controller {
  readonly #options: ControllerOptions;
  readonly #deps: ControllerDeps;
  readonly #log: Logger;
  readonly #brake: DeleteBrake;
  readonly #schedule: RunSchedule;
  /**
   * applyChanges never sees the shutdown signal. The registry writes a record
   * and its ownership TXT in one call; cutting that call off could leave one
   * without the other (docs/safety.md, rule 5). Shutdown therefore waits for an
   * apply in flight; the provider's own request timeouts bound that wait, and
   * an abort that arrives before the apply starts skips it entirely.
   */
  readonly #applySignal = new AbortController().signal;
  #softErrors = 0;
  #running = false;
  readonly #refusals: RefusalLog;
  readonly #pills = new PoisonPills();
  /** Aborted to wake the loop early (an event moved the next run, or shutdown). */
  #wake: AbortController | undefined;

  constructor(options: ControllerOptions, deps: ControllerDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#log = deps.logger;
    this.#brake = new DeleteBrake(options.deleteBrake);
    this.#schedule = new RunSchedule(options);
    this.#refusals = new RefusalLog(deps.logger);
  }

  get consecutiveSoftErrors(): number {
    return this.#softErrors;
  }

  readonly trigger = (): void => {
    if (this.#schedule.event(this.#deps.clock.now())) this.#wake?.abort();
  };

  async runOnce(signal: AbortSignal): Promise<SyncResult> {
    const { clock, observer } = this.#deps;
    const startedAt = clock.now();
    observer?.syncStarted?.();
    const planned = await this.#plan(signal);
    const result = this.#guard(planned, clock.now());
    // Stop before writing anything if shutdown was asked for while planning.
    signal.throwIfAborted();
    if (hasChanges(result.changes) && !this.#options.dryRun) await this.#apply(result, signal);
    this.#logSummary(result);
    observer?.syncSucceeded?.(result, clock.now() - startedAt);
    return result;
  }

  /** Applies the guarded plan, isolating changes the provider refuses (./isolate.ts). */
  async #apply(result: SyncResult, signal: AbortSignal): Promise<void> {
    const { observer } = this.#deps;
    let outcome: IsolatedOutcome;
    try {
      outcome = await this.#step('apply', signal, () => this.#pills.apply(result.changes, this.#applyWithProgress(result.changes)));
    } catch (error) {
      observer?.applyFailed?.(result.changes, error);
      throw error;
    }
    for (const { changes, error } of outcome.newlyRefused) {
      const refused = [...changes.create, ...changes.updateNew, ...changes.delete];
      this.#log.error(`the provider refused ${refused.map((e) => `${e.dnsName} ${e.recordType} (from ${sourceObject(e)})`).join(', ')}; ` +
        'the other changes were applied, and this change is not sent again until it changes', { error: errorMessage(error) });
      observer?.applyFailed?.(changes, error);
    }
    result.refused.push(...outcome.refused);
    result.changes = outcome.applied;
    result.applied = hasChanges(outcome.applied);
  }

  /** The registry's apply, telling the observer how far the guarded plan is (one call, or several when refused changes are isolated). */
  #applyWithProgress(planned: Changes): (c: Changes) => Promise<void> {
    const { registry, observer } = this.#deps;
    const report = observer?.applyProgress;
    if (report === undefined) return (c) => registry.applyChanges(c, this.#applySignal);
    const total = changeCount(planned);
    let landed = 0;
    report(0, total);
    return async (c) => {
      const before = landed;
      await registry.applyChanges(c, this.#applySignal, (applied) => {
        report(Math.min(total, before + applied), total);
      });
      landed = Math.min(total, landed + changeCount(c));
      report(landed, total);
    };
  }

  async #plan(signal: AbortSignal): Promise<Planned> {
    const { registry, sources, plan } = this.#deps;
    const current = await this.#step('registry', signal, () => registry.records(signal));
    this.#deps.observer?.registryRead?.(current);
    this.#deps.observer?.unreadableOwnership?.(registry.unreadableOwnership?.() ?? 0);
    const collected = await this.#step('source', signal, async () => {
      const c = await sources.collect(signal);
      // A source that can never answer as configured (a malformed manifest, a bad
      // option) stops the sync: bad input gets an error, not a silent partial write.
      // Transient failures (timeouts, unsynced caches) only fence deletes below.
      const fatal = c.failures.find((f) => !isTransient(f.error));
      if (fatal !== undefined) throw fatal.error;
      return c;
    });
    this.#deps.observer?.sourcesRead?.(collected);
    signal.throwIfAborted();
    const o = this.#options;
    const domainFilters = [...o.domainFilters, registry.domainFilter()];
    const admitted = admitDesired(collected.endpoints, registry, { ...o, domainFilters });
    const fresh = this.#refusals.report(admitted.refused);
    if (fresh.length > 0) this.#deps.observer?.refused?.(fresh);
    const desired = await this.#step('registry', signal, () => registry.adjustEndpoints(admitted.admitted));
    const result = await this.#step('plan', signal, () =>
      plan({
        current,
        desired,
        policy: o.policy,
        domainFilters,
        managedRecordTypes: o.managedRecordTypes,
        excludeRecordTypes: o.excludeRecordTypes,
        ownerId: registry.ownerId(),
        oldOwnerId: o.oldOwnerId,
      }),
    );
    this.#deps.observer?.planned?.(result);
    return { current, result, failures: collected.failures, refused: admitted.refused };
  }

  /** Runs one step, telling the observer which step failed (unless the failure is our own shutdown). */
  async #step<T>(stage: SyncStage, signal: AbortSignal, fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!signal.aborted) this.#deps.observer?.syncFailed?.({ stage, error, transient: isTransient(error) });
      throw error;
    }
  }

  /** Applies the source fence, then the delete brake. */
  #guard(planned: Planned, now: number): SyncResult {
    const planChanges = planned.result.changes;
    const result: SyncResult = {
      changes: planChanges,
      applied: false,
      held: undefined,
      fencedDeletes: 0,
      failedSources: planned.failures.map((f) => f.source),
      ownerMismatches: planned.result.skippedOwnerMismatch.length,
      noop: !hasChanges(planChanges),
      refused: [...planned.refused],
    };
    this.#logOwnerMismatches(planned.result);
    if (planned.failures.length > 0) {
      const fenced = fenceDeletes(planChanges);
      result.changes = fenced.changes;
      result.fencedDeletes = fenced.fenced;
      this.#logFence(planned.failures, fenced.fenced);
      this.#deps.observer?.sourcesFailed?.(planned.failures);
      // The brake's hold-down clock is left alone: this sync says nothing about whether the deletes are still wanted.
      return result;
    }
    const owned = countOwned(planned.current, this.#deps.registry.ownerId());
    const decision = this.#brake.check(planChanges.delete, owned, now);
    this.#logBrake(decision);
    if (decision.kind === 'hold') {
      result.changes = { ...planChanges, delete: [] };
      result.held = decision.held;
      this.#deps.observer?.deletesHeld?.(decision.held);
    }
    return result;
  }

  #logFence(failures: readonly SourceFailure[], fenced: number): void {
    this.#log.warn(
      `Sources failed (${failures.map((f) => f.source).join(', ')}): holding back ${fenced} deletes this sync; ` +
        'creates and updates still go out. Deletes resume once every source answers.',
      { failedSources: failures.map((f) => `${f.source}: ${errorMessage(f.error)}`), heldDeletes: fenced },
    );
  }

  #logBrake(decision: BrakeDecision): void {
    switch (decision.kind) {
      case 'pass':
        return;
      case 'allowed':
        this.#log.warn(`Deleting ${decision.count} records, more than the delete limit of ${decision.limit}, because mass deletion is allowed (--allow-mass-delete).`);
        return;
      case 'release':
        this.#log.warn(`Delete brake released: the same ${decision.count} deletes have been planned for ${seconds(decision.heldForMs)}; applying them now.`);
        return;
      case 'hold': {
        const h = decision.held;
        this.#log.error(
          `Delete brake: holding ${h.count} deletes, more than the limit of ${h.limit} (the larger of the minimum and ` +
            `${this.#options.deleteBrake.thresholdPercent}% of ${h.owned} owned records). They are applied if the same deletes are ` +
            `still planned at ${new Date(h.releaseAt).toISOString()}; if they are intended and urgent, restart with --allow-mass-delete. ` +
            `Names: ${h.sample.join(', ')}${h.count > h.sample.length ? ', …' : ''}`,
          { heldDeletes: h.count, limit: h.limit, owned: h.owned, releaseAt: new Date(h.releaseAt).toISOString() },
        );
        return;
      }
    }
  }

  #logOwnerMismatches(result: PlanResult): void {
    const skipped = result.skippedOwnerMismatch;
    if (skipped.length === 0) return;
    const sample = skipped.slice(0, 5).map((s) => `${s.dnsName} ${s.recordType} (owner ${s.foreignOwner})`);
    this.#log.info(`Skipped ${skipped.length} creates for names another owner holds: ${sample.join(', ')}${skipped.length > 5 ? ', …' : ''}`);
  }

  #logSummary(result: SyncResult): void {
    if (!hasChanges(result.changes)) {
      if (result.noop) this.#log.info('All records are already up to date');
      else this.#log.info('Nothing to apply this sync: every planned change is held back', { fencedDeletes: result.fencedDeletes, heldDeletes: result.held?.count ?? 0 });
      return;
    }
    const c = result.changes;
    const verb = this.#options.dryRun ? 'Dry run, would apply' : 'Applied changes';
    this.#log.info(`${verb}: ${describeChanges(c, this.#options.summaryZones)}`, { creates: c.create.length, updates: c.updateNew.length, deletes: c.delete.length });
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new ExtdnsError(ControllerErrors.EXTDNS_CONTROLLER_ALREADY_RUNNING, 'The controller loop is already running; run() was called twice.');
    this.#running = true;
    this.#schedule.runNow(this.#deps.clock.now());
    const onAbort = (): void => this.#wake?.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (await this.#waitUntilDue(signal)) await this.#syncInLoop(signal);
      }
      this.#log.info('Terminating main controller loop');
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#running = false;
    }
  }

  /** Sleeps until the next sync is due; returns false when woken early (re-check) or shutting down. */
  async #waitUntilDue(signal: AbortSignal): Promise<boolean> {
    const { clock } = this.#deps;
    const delay = this.#schedule.nextRunAt - clock.now();
    if (delay > 0) {
      const wake = new AbortController();
      this.#wake = wake;
      try {
        await clock.sleep(delay, wake.signal);
      } catch {
        // Woken by trigger() or by shutdown; the loop looks again.
      } finally {
        this.#wake = undefined;
      }
    }
    return !signal.aborted && this.#schedule.isDue(clock.now());
  }

  /** One sync of the loop: transient errors back off, other errors end the loop, shutdown ends it quietly. */
  async #syncInLoop(signal: AbortSignal): Promise<void> {
    const { clock, observer, leader } = this.#deps;
    this.#schedule.started(clock.now());
    if (leader !== undefined && !leader.canWrite()) {
      this.#log.debug('Not the leader: skipping this sync (a new leader syncs at once)');
      return;
    }
    try {
      await this.runOnce(signal);
      this.#softErrors = 0;
    } catch (error) {
      if (signal.aborted) return;
      if (isDataError(error)) {
        // Bad data, not bad configuration: the loop goes on and tries again at the usual interval.
        this.#log.error(`Sync failed on bad data; the next sync runs as scheduled: ${errorMessage(error)}`);
        return;
      }
      if (!isTransient(error)) throw error;
      this.#softErrors++;
      const delay = backoffDelay(this.#softErrors, this.#options.backoff, this.#deps.random);
      this.#schedule.backOff(clock.now(), delay);
      this.#log.warn(`Sync failed (attempt ${this.#softErrors}), retrying in ${seconds(delay)}: ${errorMessage(error)}`, {
        attempt: this.#softErrors,
        retryInMs: delay,
      });
    }
    observer?.consecutiveSoftErrors?.(this.#softErrors);
  }
}

/** Every hook of SyncObserver: a hook added there and not here fails to compile, so combineObservers never drops one. */
const OBSERVER_HOOKS = {
  syncStarted: true, syncSucceeded: true, syncFailed: true, sourcesFailed: true, deletesHeld: true, consecutiveSoftErrors: true,
  registryRead: true, sourcesRead: true, planned: true, applyProgress: true, applyFailed: true, refused: true, unreadableOwnership: true,
} as const satisfies Record<keyof SyncObserver, true>;

/** One observer calling each of `observers` in turn (metrics, events). */
export function combineObservers(...observers: readonly (SyncObserver | undefined)[]): SyncObserver {
  const present = observers.filter((o): o is SyncObserver => o !== undefined);
  const all = (key: keyof SyncObserver) => (...args: unknown[]): void => {
    for (const o of present) (o[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
  };
  return Object.fromEntries(Object.keys(OBSERVER_HOOKS).map((key) => [key, all(key as keyof SyncObserver)]));
}
