import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneEndpoint, endpointKey, newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import { MATCH_ALL, type DomainFilter } from '../endpoint/domain-filter.ts';
import { ExtdnsError, type ErrorSpec } from '../errors/errors.ts';
import type { Changes, PlanInput, PlanResult } from '../plan/plan.ts';
import type { Registry, Screened } from '../registry/registry.ts';
import { DNS_SERVER_CAPABILITIES } from '../provider/capabilities.ts';
import type { Random } from '../util/clock.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { FakeClock, seededRandom } from '../../test/support/fake-clock.ts';
import { createController, type ControllerOptions, type SyncObserver } from './controller.ts';
import type { SourceFailure } from '../source/source.ts';
import { ControllerErrors } from './errors.ts';

const OWNER = 'cluster-a';
const T0 = Date.UTC(2026, 0, 1);

const FLAKY: ErrorSpec = { code: 'EXTDNS_TEST_FLAKY', transient: true, summary: 'test' };
const BROKEN: ErrorSpec = { code: 'EXTDNS_TEST_BROKEN', transient: false, summary: 'test' };

/**
 * Stand-in for src/plan/calculate.ts until it lands (written concurrently):
 * sync/upsert-only/create-only over (name, type, set id), ownership by the
 * owner label, domain filters on names. Swap for the real `calculate`.
 */
function PLANNER(input: PlanInput): PlanResult {
  const inScope = (ep: Endpoint): boolean =>
    input.domainFilters.every((f) => f.match(ep.dnsName)) && input.managedRecordTypes.includes(ep.recordType) && !input.excludeRecordTypes.includes(ep.recordType);
  const mine = (ep: Endpoint): boolean => input.ownerId === '' || ep.labels['owner'] === input.ownerId;
  const current = new Map(input.current.filter(inScope).map((ep) => [endpointKey(ep), ep]));
  const desired = new Map(input.desired.filter(inScope).map((ep) => [endpointKey(ep), ep]));
  const result: PlanResult = { changes: { create: [], updateOld: [], updateNew: [], delete: [] }, skippedOwnerMismatch: [] };
  for (const [key, want] of desired) {
    const have = current.get(key);
    if (have === undefined) result.changes.create.push(want);
    else if (!mine(have)) result.skippedOwnerMismatch.push({ dnsName: want.dnsName, recordType: want.recordType, foreignOwner: have.labels['owner'] ?? '' });
    else if (input.policy !== 'create-only' && have.targets.join() !== want.targets.join()) {
      result.changes.updateOld.push(have);
      result.changes.updateNew.push(want);
    }
  }
  if (input.policy === 'sync') for (const [key, have] of current) if (!desired.has(key) && mine(have)) result.changes.delete.push(have);
  return result;
}

/** A record the registry reports as ours. */
function owned(name: string, target = '10.0.0.1', owner = OWNER): Endpoint {
  return newEndpoint({ dnsName: name, recordType: 'A', targets: [target], recordTTL: 300, labels: { owner } });
}

/** What a source wants. */
function wanted(name: string, target = '10.0.0.1'): Endpoint {
  return newEndpoint({ dnsName: name, recordType: 'A', targets: [target], recordTTL: 300, labels: { resource: `service/default/${name}` } });
}

function names(n: number, zone = 'example.com'): string[] {
  return Array.from({ length: n }, (_, i) => `r${String(i).padStart(3, '0')}.${zone}`);
}

/** An in-memory registry: applyChanges really changes what records() returns next. */
class FakeRegistry implements Registry {
  state: Endpoint[];
  readonly owner: string;
  applied: Changes[] = [];
  applySignals: AbortSignal[] = [];
  /** Thrown by the next records() calls, one per call. */
  recordsErrors: unknown[] = [];
  /** When set, applyChanges waits for it (an apply in flight). */
  applyGate: Promise<void> | undefined;
  filter: DomainFilter = MATCH_ALL;

  constructor(state: Endpoint[], owner = OWNER) {
    this.state = state;
    this.owner = owner;
  }

  records(signal: AbortSignal): Promise<Endpoint[]> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const err = this.recordsErrors.shift();
    if (err !== undefined) return Promise.reject(err);
    return Promise.resolve(this.state.map(cloneEndpoint));
  }

  async applyChanges(changes: Changes, signal: AbortSignal): Promise<void> {
    this.applySignals.push(signal);
    if (this.applyGate !== undefined) await this.applyGate;
    this.applied.push(changes);
    const gone = new Set([...changes.delete, ...changes.updateOld].map(endpointKey));
    this.state = this.state.filter((ep) => !gone.has(endpointKey(ep)));
    for (const ep of [...changes.create, ...changes.updateNew]) this.state.push({ ...cloneEndpoint(ep), labels: { ...ep.labels, owner: this.owner } });
  }

  adjustEndpoints(endpoints: Endpoint[]): Promise<Endpoint[]> {
    return Promise.resolve(endpoints);
  }

  domainFilter(): DomainFilter {
    return this.filter;
  }

  ownerId(): string {
    return this.owner;
  }

  capabilities = DNS_SERVER_CAPABILITIES;

  screen(desired: readonly Endpoint[]): Screened {
    return { admitted: [...desired], refused: [] };
  }
}

class FakeSources {
  endpoints: Endpoint[];
  failures: SourceFailure[] = [];
  error: unknown;
  calls = 0;
  /** When set, collect() waits for it, then honours the signal (a slow source). */
  gate: Promise<void> | undefined;

  constructor(endpoints: Endpoint[]) {
    this.endpoints = endpoints;
  }

  async collect(signal: AbortSignal): Promise<{ endpoints: Endpoint[]; failures: SourceFailure[] }> {
    this.calls++;
    if (this.gate !== undefined) await this.gate;
    signal.throwIfAborted();
    if (this.error !== undefined) throw this.error;
    return { endpoints: this.endpoints.map(cloneEndpoint), failures: [...this.failures] };
  }
}

function baseOptions(): ControllerOptions {
  return {
    policy: 'sync',
    domainFilters: [],
    managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    excludeRecordTypes: [],
    oldOwnerId: '',
    intervalMs: 60_000,
    minEventSyncIntervalMs: 5_000,
    dryRun: false,
    deleteBrake: { allowMassDelete: false, thresholdPercent: 10, minimum: 10, holdMs: 300_000 },
    backoff: { baseMs: 1_000, maxMs: 5_000 },
  };
}

interface HarnessInit {
  current?: Endpoint[];
  desired?: Endpoint[];
  options?: Partial<ControllerOptions>;
  owner?: string;
  random?: Random;
}

function harness(init: HarnessInit = {}) {
  const clock = new FakeClock(T0);
  const registry = new FakeRegistry(init.current ?? [], init.owner ?? OWNER);
  const sources = new FakeSources(init.desired ?? []);
  const log = captureLogger();
  const starts: number[] = [];
  const events: string[] = [];
  const softErrors: number[] = [];
  const planInputs: PlanInput[] = [];
  const observer: SyncObserver = {
    syncStarted: () => starts.push(clock.now()),
    syncSucceeded: (r) => events.push(`ok noop=${r.noop}`),
    syncFailed: (f) => events.push(`failed ${f.stage} transient=${f.transient}`),
    sourcesFailed: (fs) => events.push(`sources failed ${fs.map((f) => f.source).join(',')}`),
    deletesHeld: (h) => events.push(`held ${h.count}`),
    consecutiveSoftErrors: (n) => softErrors.push(n),
  };
  const plan = (input: PlanInput): PlanResult => {
    planInputs.push(input);
    return PLANNER(input);
  };
  const controller = createController(
    { ...baseOptions(), ...init.options },
    { registry, sources, plan, clock, random: init.random ?? seededRandom(3), logger: log.logger, observer },
  );
  return { clock, registry, sources, log, starts, events, softErrors, planInputs, controller };
}

const signal = (): AbortSignal => new AbortController().signal;

function totals(changes: Changes): string {
  return `+${changes.create.length} ~${changes.updateNew.length} -${changes.delete.length}`;
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(p: Promise<T>): { done: () => boolean; error: () => unknown } {
  let done = false;
  let error: unknown;
  p.then(() => (done = true), (e: unknown) => {
    done = true;
    error = e;
  });
  return { done: () => done, error: () => error };
}

// ---------------------------------------------------------------- runOnce

test('a sync with nothing to change applies nothing and says so', async () => {
  const h = harness({ current: [owned('a.example.com')], desired: [wanted('a.example.com')] });
  const result = await h.controller.runOnce(signal());
  assert.equal(result.noop, true);
  assert.equal(result.applied, false);
  assert.equal(totals(result.changes), '+0 ~0 -0');
  assert.deepEqual(h.registry.applied, []);
  assert.match(h.log.text(), /info All records are already up to date/);
  assert.deepEqual(h.events, ['ok noop=true']);
});

test('a sync applies creates, updates and deletes and logs one summary line per sync', async () => {
  const h = harness({
    current: [owned('a.example.com'), owned('b.example.com'), owned('old.example.org')],
    desired: [wanted('a.example.com'), wanted('b.example.com', '10.0.0.2'), wanted('new.example.com')],
  });
  const result = await h.controller.runOnce(signal());
  assert.equal(result.applied, true);
  assert.equal(result.noop, false);
  assert.equal(totals(result.changes), '+1 ~1 -1');
  assert.equal(h.registry.applied.length, 1);
  assert.deepEqual(h.registry.applied[0], result.changes);
  const infos = h.log.entries.filter((e) => e.level === 'info');
  assert.equal(infos.length, 1);
  assert.equal(infos[0]?.msg, 'Applied changes: example.com: 1 created, 1 updated; example.org: 1 deleted');
  // Converged: the next sync is a no-op.
  assert.equal((await h.controller.runOnce(signal())).noop, true);
});

test('the planner gets the options, the registry owner and the registry filter after the configured ones', async () => {
  const mine: DomainFilter = { match: (n) => n.endsWith('example.com'), isConfigured: () => true, toWire: () => ({ include: ['example.com'] }) };
  const h = harness({ options: { domainFilters: [mine], policy: 'upsert-only', oldOwnerId: 'previous' } });
  const theirs: DomainFilter = { ...MATCH_ALL, isConfigured: () => true };
  h.registry.filter = theirs;
  await h.controller.runOnce(signal());
  const input = h.planInputs[0];
  assert.ok(input);
  assert.deepEqual(input.domainFilters, [mine, theirs]);
  assert.equal(input.ownerId, OWNER);
  assert.equal(input.oldOwnerId, 'previous');
  assert.equal(input.policy, 'upsert-only');
  assert.deepEqual(input.managedRecordTypes, ['A', 'AAAA', 'CNAME']);
});

test('source fence: a failed source drops every delete but creates and updates still go out', async () => {
  const h = harness({
    current: [owned('keep.example.com'), owned('move.example.com'), owned('gone1.example.com'), owned('gone2.example.com')],
    desired: [wanted('keep.example.com'), wanted('move.example.com', '10.9.9.9'), wanted('fresh.example.com')],
  });
  h.sources.failures = [{ source: 'ingress', error: new ExtdnsError(FLAKY, 'ingress informer not synced') }];
  const result = await h.controller.runOnce(signal());
  assert.equal(result.fencedDeletes, 2);
  assert.deepEqual(result.failedSources, ['ingress']);
  assert.equal(totals(result.changes), '+1 ~1 -0');
  assert.equal(totals(h.registry.applied[0]!), '+1 ~1 -0');
  assert.equal(h.registry.state.length, 5, 'nothing was deleted');
  const warning = h.log.entries.find((e) => e.level === 'warning');
  assert.ok(warning);
  assert.match(warning.msg, /Sources failed \(ingress\): holding back 2 deletes/);
  assert.match(JSON.stringify(warning.fields), /ingress informer not synced/);
  assert.ok(h.events.includes('sources failed ingress'));

  // Once the source recovers, the deletes go out.
  h.sources.failures = [];
  const next = await h.controller.runOnce(signal());
  assert.equal(totals(next.changes), '+0 ~0 -2');
  assert.equal(next.fencedDeletes, 0);
});

test('delete brake: holds all deletes, applies the rest, releases the same set after holdMs', async () => {
  const doomed = names(12);
  const h = harness({ current: doomed.map((n) => owned(n)), desired: [wanted('new.example.com')] });
  const first = await h.controller.runOnce(signal());
  assert.equal(totals(first.changes), '+1 ~0 -0');
  assert.equal(first.held?.count, 12);
  assert.equal(first.held?.limit, 10);
  assert.equal(first.held?.since, T0);
  assert.equal(first.held?.releaseAt, T0 + 300_000);
  const error = h.log.entries.find((e) => e.level === 'error');
  assert.ok(error);
  assert.match(error.msg, /Delete brake: holding 12 deletes, more than the limit of 10/);
  assert.match(error.msg, /r000\.example\.com, r001\.example\.com/);
  assert.match(error.msg, /--allow-mass-delete/);
  assert.ok(h.events.includes('held 12'));

  await h.clock.advance(299_999);
  const second = await h.controller.runOnce(signal());
  assert.equal(second.held?.count, 12, 'still held just before holdMs');
  assert.equal(second.held?.since, T0);
  assert.equal(second.applied, false, 'nothing else to apply');
  assert.match(h.log.text(), /every planned change is held back/);

  await h.clock.advance(1);
  const third = await h.controller.runOnce(signal());
  assert.equal(third.held, undefined);
  assert.equal(totals(third.changes), '+0 ~0 -12');
  assert.match(h.log.text(), /Delete brake released: the same 12 deletes have been planned for 300s/);
  assert.deepEqual(h.registry.state.map((e) => e.dnsName), ['new.example.com']);
});

test('delete brake: a change in the set of deletes restarts the hold-down period', async () => {
  const h = harness({ current: names(30).map((n) => owned(n)), desired: [] });
  assert.equal((await h.controller.runOnce(signal())).held?.count, 30);
  await h.clock.advance(200_000);
  h.sources.endpoints = [wanted('r000.example.com')];
  const changed = await h.controller.runOnce(signal());
  assert.equal(changed.held?.count, 29);
  assert.equal(changed.held?.since, T0 + 200_000);
  await h.clock.advance(150_000);
  assert.equal((await h.controller.runOnce(signal())).held?.count, 29, 'the first set would have been released by now');
  await h.clock.advance(150_000);
  const released = await h.controller.runOnce(signal());
  assert.equal(totals(released.changes), '+0 ~0 -29');
});

test('delete brake: the limit grows with the number of owned records; foreign records do not count', async () => {
  const ours = names(200).map((n) => owned(n));
  const foreign = names(500, 'other.com').map((n) => owned(n, '10.0.0.1', 'someone-else'));
  const h = harness({ current: [...ours, ...foreign], desired: ours.slice(20).map((e) => wanted(e.dnsName)) });
  const result = await h.controller.runOnce(signal());
  assert.equal(result.held, undefined, '20 deletes is within 10% of 200');
  assert.equal(result.changes.delete.length, 20);
  h.sources.endpoints = ours.slice(41).map((e) => wanted(e.dnsName));
  const over = await h.controller.runOnce(signal());
  assert.equal(over.held?.count, 21);
  assert.equal(over.held?.limit, 18, '10% of the 180 records still owned');
});

test('delete brake: allowMassDelete applies every delete at once, with a warning', async () => {
  const options = { deleteBrake: { ...baseOptions().deleteBrake, allowMassDelete: true } };
  const h = harness({ current: names(50).map((n) => owned(n)), desired: [], options });
  const result = await h.controller.runOnce(signal());
  assert.equal(result.held, undefined);
  assert.equal(result.changes.delete.length, 50);
  assert.equal(h.registry.state.length, 0);
  assert.match(h.log.text(), /warning Deleting 50 records, more than the delete limit of 10, because mass deletion is allowed/);
});

test('delete brake: a fenced sync neither restarts nor completes the hold-down period', async () => {
  const h = harness({ current: names(20).map((n) => owned(n)), desired: [] });
  await h.controller.runOnce(signal());
  await h.clock.advance(200_000);
  h.sources.failures = [{ source: 'service', error: new ExtdnsError(FLAKY, 'timeout') }];
  assert.equal((await h.controller.runOnce(signal())).fencedDeletes, 20);
  await h.clock.advance(100_000);
  h.sources.failures = [];
  const released = await h.controller.runOnce(signal());
  assert.equal(released.changes.delete.length, 20);
});

test('dry run plans and reports but applies nothing', async () => {
  const h = harness({
    current: [owned('gone.example.com')],
    desired: [wanted('new.example.com')],
    options: { dryRun: true },
  });
  const result = await h.controller.runOnce(signal());
  assert.equal(result.applied, false);
  assert.equal(result.noop, false);
  assert.equal(totals(result.changes), '+1 ~0 -1');
  assert.deepEqual(h.registry.applied, []);
  assert.match(h.log.text(), /info Dry run, would apply: example\.com: 1 created, 1 deleted/);
});

test('a source failing for good (bad input) stops the sync: nothing is applied', async () => {
  const h = harness();
  h.sources.endpoints = [wanted('new.example.org', '192.0.2.7')];
  const bad = new Error('manifest broken.yaml is not valid YAML');
  h.sources.failures = [{ source: 'manifest', error: bad }];
  await assert.rejects(h.controller.runOnce(signal()), (e) => e === bad);
  assert.equal(h.registry.applied.length, 0);
});

test('errors say which step failed and pass through unchanged', async () => {
  const h = harness();
  const registryError = new ExtdnsError(FLAKY, 'zone list timed out');
  h.registry.recordsErrors = [registryError];
  await assert.rejects(h.controller.runOnce(signal()), (e) => e === registryError);
  const sourceError = new Error('kube client broken');
  h.sources.error = sourceError;
  await assert.rejects(h.controller.runOnce(signal()), (e) => e === sourceError);
  assert.deepEqual(h.events, ['failed registry transient=true', 'failed source transient=false']);
});

test('owner-id hygiene: --policy=sync with owner "default" warns loudly unless allowed', () => {
  const warned = (init: HarnessInit) => harness(init).log.entries.filter((e) => e.level === 'warning' && e.msg.includes('--txt-owner-id')).length;
  assert.equal(warned({ owner: 'default' }), 1);
  assert.equal(warned({ owner: 'default', options: { allowDefaultOwnerSync: true } }), 0);
  assert.equal(warned({ owner: 'default', options: { policy: 'upsert-only' } }), 0);
  assert.equal(warned({ owner: 'cluster-a' }), 0);
});

test('invalid options are refused with every problem named', () => {
  assert.throws(
    () => harness({ options: { intervalMs: 0, backoff: { baseMs: 10, maxMs: 5 } } }),
    (e) =>
      ExtdnsError.is(e) &&
      e.code === ControllerErrors.EXTDNS_CONTROLLER_OPTIONS.code &&
      /--interval must be positive/.test(e.message) &&
      /base <= max/.test(e.message),
  );
});

// ---------------------------------------------------------------- run loop

test('run: first sync at once, then one every interval', async () => {
  const h = harness({ desired: [wanted('a.example.com')] });
  const ac = new AbortController();
  const run = track(h.controller.run(ac.signal));
  await h.clock.advance(0);
  assert.deepEqual(h.starts, [T0]);
  await h.clock.advance(59_999);
  assert.equal(h.starts.length, 1);
  await h.clock.advance(1);
  await h.clock.advance(120_000);
  assert.deepEqual(h.starts, [T0, T0 + 60_000, T0 + 120_000, T0 + 180_000]);
  ac.abort();
  await h.clock.advance(0);
  assert.ok(run.done());
  assert.equal(run.error(), undefined);
});

test('run: a burst of triggers becomes one sync, no sooner than min-event-sync-interval after the last start', async () => {
  const h = harness();
  const ac = new AbortController();
  const run = track(h.controller.run(ac.signal));
  await h.clock.advance(1_000);
  const trigger = h.controller.trigger; // handlers receive it unbound
  for (let i = 0; i < 10; i++) {
    trigger();
    await h.clock.advance(100);
  }
  assert.deepEqual(h.starts, [T0]);
  await h.clock.advance(10_000);
  assert.deepEqual(h.starts, [T0, T0 + 5_000], 'ten triggers, one sync');

  // Later, a burst in one tick runs at once; the interval then counts from that sync.
  await h.clock.advance(T0 + 30_000 - h.clock.now());
  for (let i = 0; i < 10; i++) h.controller.trigger();
  await h.clock.advance(0);
  assert.deepEqual(h.starts, [T0, T0 + 5_000, T0 + 30_000]);
  await h.clock.advance(60_000);
  assert.deepEqual(h.starts, [T0, T0 + 5_000, T0 + 30_000, T0 + 90_000]);
  ac.abort();
  await h.clock.advance(0);
  assert.ok(run.done());
});

test('run: a trigger during a sync schedules one follow-up sync', async () => {
  const h = harness();
  let open = (): void => undefined;
  h.sources.gate = new Promise((r) => (open = r));
  const ac = new AbortController();
  track(h.controller.run(ac.signal));
  await h.clock.advance(0);
  h.controller.trigger();
  h.controller.trigger();
  await h.clock.advance(2_000);
  h.sources.gate = undefined;
  open();
  await h.clock.advance(10_000);
  assert.deepEqual(h.starts, [T0, T0 + 5_000]);
  ac.abort();
  await h.clock.advance(0);
});

test('run: transient errors back off exponentially with jitter up to the cap, then the interval resumes', async () => {
  const h = harness({ random: { next: () => 0.999 } });
  h.registry.recordsErrors = Array.from({ length: 6 }, (_, i) => new ExtdnsError(FLAKY, `throttled ${i + 1}`));
  const ac = new AbortController();
  const run = track(h.controller.run(ac.signal));
  await h.clock.advance(0);
  assert.equal(h.controller.consecutiveSoftErrors, 1);
  await h.clock.advance(2_000);
  assert.equal(h.controller.consecutiveSoftErrors, 2);
  await h.clock.advance(100_000);
  const gaps = h.starts.slice(1).map((t, i) => t - h.starts[i]!);
  assert.deepEqual(gaps, [999, 1998, 3996, 4995, 4995, 4995, 60_000], 'doubling up to the cap, then the interval after a success');
  assert.deepEqual(h.softErrors, [1, 2, 3, 4, 5, 6, 0, 0]);
  assert.equal(h.controller.consecutiveSoftErrors, 0);
  assert.match(h.log.text(), /warning Sync failed \(attempt 3\), retrying in 4s: EXTDNS_TEST_FLAKY: throttled 3/);
  assert.equal(run.done(), false);
  ac.abort();
  await h.clock.advance(0);
  assert.ok(run.done());
});

test('run: with random jitter every retry waits less than its ceiling', async () => {
  const h = harness({ random: seededRandom(11) });
  h.registry.recordsErrors = Array.from({ length: 8 }, () => new ExtdnsError(FLAKY, 'throttled'));
  const ac = new AbortController();
  track(h.controller.run(ac.signal));
  await h.clock.advance(60_000);
  const gaps = h.starts.slice(1, 9).map((t, i) => t - h.starts[i]!);
  assert.equal(gaps.length, 8);
  gaps.forEach((gap, i) => { assert.ok(gap >= 0 && gap < Math.min(5_000, 1_000 * 2 ** i), `retry ${i + 1} waited ${gap} ms`); });
  assert.ok(new Set(gaps).size > 4, 'jittered, not fixed');
  ac.abort();
  await h.clock.advance(0);
});

test('run: triggers cannot cut a backoff short', async () => {
  const h = harness({ random: { next: () => 0.999 } });
  h.registry.recordsErrors = [new ExtdnsError(FLAKY, 'throttled')];
  const ac = new AbortController();
  track(h.controller.run(ac.signal));
  await h.clock.advance(0);
  h.controller.trigger();
  await h.clock.advance(998);
  assert.equal(h.starts.length, 1);
  await h.clock.advance(1);
  assert.deepEqual(h.starts, [T0, T0 + 999]);
  ac.abort();
  await h.clock.advance(0);
});

test('run: a non-transient error ends the loop by rejecting with it', async () => {
  const h = harness();
  const fatal = new ExtdnsError(BROKEN, 'credentials rejected');
  h.registry.recordsErrors = [new ExtdnsError(FLAKY, 'throttled'), fatal];
  const run = track(h.controller.run(new AbortController().signal));
  await h.clock.advance(10_000);
  assert.ok(run.done());
  assert.equal(run.error(), fatal);
  assert.equal(h.starts.length, 2);
  assert.equal(h.controller.consecutiveSoftErrors, 1);

  // A plain Error (a bug, not an ExtdnsError) is fatal too; the loop can be started again afterwards.
  const bug = new TypeError('undefined is not a function');
  h.registry.recordsErrors = [bug];
  await assert.rejects(h.controller.run(new AbortController().signal), (e) => e === bug);
});

test('run: a data error (bad input, not configuration) never ends the loop; the next sync runs at the usual interval', async () => {
  const h = harness({ desired: [wanted('a.example.com')] });
  const BAD_DATA: ErrorSpec = { code: 'EXTDNS_TEST_BAD_DATA', transient: false, kind: 'data', summary: 'test' };
  h.registry.recordsErrors = [new ExtdnsError(BAD_DATA, 'a manifest does not parse'), new ExtdnsError(BAD_DATA, 'still')];
  const ac = new AbortController();
  const run = track(h.controller.run(ac.signal));
  await h.clock.advance(0);
  assert.ok(!run.done(), 'still running after a data error');
  assert.match(h.log.text(), /Sync failed on bad data; the next sync runs as scheduled: EXTDNS_TEST_BAD_DATA: a manifest does not parse/);
  await h.clock.advance(120_000);
  assert.deepEqual(h.starts, [T0, T0 + 60_000, T0 + 120_000], 'at the interval, not in a tight loop');
  assert.equal(h.registry.applied.length, 1, 'the third sync went through');
  ac.abort();
  await h.clock.advance(0);
  assert.equal(run.error(), undefined);
});

test('run: abort while waiting ends the loop cleanly', async () => {
  const h = harness();
  const ac = new AbortController();
  const run = track(h.controller.run(ac.signal));
  await h.clock.advance(30_000);
  ac.abort();
  await h.clock.advance(0);
  assert.ok(run.done());
  assert.equal(run.error(), undefined);
  assert.equal(h.clock.pending, 0, 'no sleep left behind');
  await h.clock.advance(120_000);
  assert.equal(h.starts.length, 1);
  assert.match(h.log.text(), /Terminating main controller loop/);
});

test('run: abort during an apply lets the apply finish, with a signal that was never aborted', async () => {
  const h = harness({ desired: [wanted('a.example.com')] });
  let open = (): void => undefined;
  h.registry.applyGate = new Promise((r) => (open = r));
  const ac = new AbortController();
  const run = track(h.controller.run(ac.signal));
  await h.clock.advance(0);
  assert.equal(h.registry.applySignals.length, 1, 'apply started');
  ac.abort();
  await h.clock.advance(1_000);
  assert.equal(run.done(), false, 'waits for the apply in flight');
  open();
  await h.clock.advance(0);
  assert.ok(run.done());
  assert.equal(run.error(), undefined);
  assert.equal(h.registry.applied.length, 1);
  assert.equal(h.registry.applySignals[0]?.aborted, false);
});

test('run: abort while planning skips the apply and ends cleanly without reporting a failure', async () => {
  const h = harness({ desired: [wanted('a.example.com')] });
  let open = (): void => undefined;
  h.sources.gate = new Promise((r) => (open = r));
  const ac = new AbortController();
  const run = track(h.controller.run(ac.signal));
  await h.clock.advance(0);
  ac.abort();
  open();
  await h.clock.advance(0);
  assert.ok(run.done());
  assert.equal(run.error(), undefined);
  assert.deepEqual(h.registry.applySignals, []);
  assert.deepEqual(h.events, []);
});

test('run: starting the loop twice is refused', async () => {
  const h = harness();
  const ac = new AbortController();
  track(h.controller.run(ac.signal));
  await assert.rejects(h.controller.run(ac.signal), (e) => ExtdnsError.is(e) && e.code === 'EXTDNS_CONTROLLER_ALREADY_RUNNING');
  ac.abort();
  await h.clock.advance(0);
});
