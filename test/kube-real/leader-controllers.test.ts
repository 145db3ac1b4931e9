/**
 * Leader election end to end on the real Lease API (kube-apiserver and etcd,
 * test/support/real-kube): every replica is a full controller (TXT registry,
 * planner, write guard) with its own elector and client, authenticated with
 * the deployed ServiceAccount's token through the ha overlay's Role, and
 * reaching the API server through its own TCP relay (a cut relay is a network
 * partition; a cut relay and a stop is a killed process, which cannot release).
 * All replicas write to one shared in-memory provider whose write log records
 * who wrote, when (fake time) and who held the Lease on the server at that
 * moment. Time is a FakeClock moved in 100 ms ticks; after each tick the test
 * waits (real time) only for the Lease requests in flight.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createController, type Controller } from '../../src/controller/controller.ts';
import { createLeaderElector, guardWrites, type LeaderElector, type LeaseApi } from '../../src/controller/leader.ts';
import { ControllerErrors } from '../../src/controller/errors.ts';
import { newEndpoint } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { KubeApiError } from '../../src/kube/api-error.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { leaseApi, LEASES } from '../../src/kube/lease.ts';
import type { ApiObject } from '../../src/kube/types.ts';
import { calculate } from '../../src/plan/calculate.ts';
import { emptyChanges } from '../../src/plan/plan.ts';
import { createInMemoryProvider, type InMemoryProvider } from '../../src/provider/inmemory/inmemory.ts';
import type { Provider } from '../../src/provider/provider.ts';
import type { Registry } from '../../src/registry/registry.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { eventually } from '../support/eventually.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { deployExtdns, EXTDNS_NAMESPACE, type Deployed } from '../support/real-kube/deployed.ts';
import { clientPool } from '../support/real-kube/forwarding-client.ts';
import { startTcpProxy, type TcpProxy } from '../support/real-kube/tcp-proxy.ts';

const NAMESPACE = EXTDNS_NAMESPACE;
/** The flags' defaults: --leader-election-lease-duration, -renew-deadline, -retry-period. */
const LEASE_MS = 15_000;
const RENEW_DEADLINE_MS = 10_000;
const RETRY_MS = 2_000;
/** client-go's jitter on the retry period. */
const JITTER = 1.2;
const INTERVAL_MS = 5_000;
const TICK_MS = 100;
const skip = realKubeUnavailable();

let kube: RealKube;
let deployed: Deployed;
/** The test's own view of the Lease (admin, no relay). */
let admin: KubeClient;
/** One clock for every client of this file: each test's replicas share it. */
const clock = new FakeClock();
const clients = clientPool(clock);
/** Takeover times measured by the tests, printed at the end (the report quotes them). */
const measured: string[] = [];

before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  deployed = await deployExtdns(kube);
  admin = await clients.open(kube.adminKubeconfig);
});
after(async () => {
  if (measured.length > 0) console.log(`leader election on the real Lease API (fake clock, ${TICK_MS} ms ticks):\n  ${measured.join('\n  ')}`);
  await clients.closeAll();
  await kube?.close();
});

interface Write {
  readonly replica: string;
  readonly at: number;
  /** holderIdentity of the Lease on the API server when the write reached the provider. */
  readonly holder: string;
}

interface Replica {
  readonly name: string;
  readonly identity: string;
  readonly proxy: TcpProxy;
  readonly elector: LeaderElector;
  readonly registry: Registry;
  readonly controller: Controller;
  readonly life: AbortController;
  readonly logs: ReturnType<typeof captureLogger>;
  alive: boolean;
}

interface LeaseState {
  readonly holder: string;
  readonly renewAt: number;
  readonly acquireAt: number;
  readonly transitions: number;
}

interface LeaseObject extends ApiObject {
  spec?: { holderIdentity?: string; renewTime?: string; acquireTime?: string; leaseTransitions?: number };
}

/** A Lease time as the real server stores it (MicroTime). */
function microTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000Z`;
}

/** The replicas of one test, sharing a Lease, a provider and the fake clock. */
class Cluster {
  readonly clock = clock;
  readonly provider: InMemoryProvider = createInMemoryProvider({ zones: ['example.org'] });
  readonly writes: Write[] = [];
  /** When each write batch ended. */
  readonly writesDone: Write[] = [];
  /** While set, write batches wait for it. */
  gate: Promise<void> | undefined;
  readonly replicas: Replica[] = [];
  /** Largest number of replicas that could write at the same tick. */
  maxWriters = 0;
  readonly #lease: string;
  #inflight = 0;

  constructor(lease: string) {
    this.#lease = lease;
  }

  /** The Lease as stored on the API server (read as admin, counted as a request in flight). */
  async lease(): Promise<LeaseState | undefined> {
    const obj = await this.#count(async () => {
      try {
        return await admin.get<LeaseObject>(LEASES, NAMESPACE, this.#lease);
      } catch (err) {
        if (KubeApiError.isKube(err) && err.status === 404) return undefined;
        throw err;
      }
    });
    const spec = obj?.spec;
    if (spec === undefined) return undefined;
    return {
      holder: spec.holderIdentity ?? '',
      renewAt: Date.parse(spec.renewTime ?? ''),
      acquireAt: Date.parse(spec.acquireTime ?? ''),
      transitions: spec.leaseTransitions ?? 0,
    };
  }

  /** Writes the Lease as another party would (a merge patch: no resourceVersion check): `holder` took it just now. */
  async overwriteLease(holder: string): Promise<void> {
    const previous = await this.lease();
    const time = microTime(this.clock.now());
    await this.#count(() => admin.patch(LEASES, { namespace: NAMESPACE, name: this.#lease }, {
      spec: { holderIdentity: holder, leaseDurationSeconds: LEASE_MS / 1000, acquireTime: time, renewTime: time,
        leaseTransitions: (previous?.transitions ?? 0) + 1 },
    }));
  }

  async add(name: string, seed: number): Promise<Replica> {
    const proxy = await startTcpProxy(kube.securePort);
    const client = await clients.open(await kube.tokenKubeconfig(deployed.token, `${this.#lease}-${name}`, `https://127.0.0.1:${proxy.port}`));
    const logs = captureLogger();
    const identity = `${name}_${seed.toString(16).padStart(8, '0')}`;
    const elector = createLeaderElector(
      { identity, leaseName: `${NAMESPACE}/${this.#lease}`, leaseDurationMs: LEASE_MS, renewDeadlineMs: RENEW_DEADLINE_MS, retryPeriodMs: RETRY_MS },
      { leases: this.#counted(leaseApi(client, NAMESPACE, this.#lease)), clock: this.clock, random: seededRandom(seed), logger: logs.logger },
    );
    const registry = guardWrites(createTxtRegistry(this.#logged(name), {
      ownerId: 'extdns', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
      cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [],
    }, { clock: this.clock, logger: logs.logger }), elector);
    const controller = createController({
      policy: 'sync', domainFilters: [], managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [], oldOwnerId: '',
      intervalMs: INTERVAL_MS, minEventSyncIntervalMs: 0, dryRun: false,
      deleteBrake: { allowMassDelete: true, thresholdPercent: 10, minimum: 10, holdMs: 0 },
      backoff: { baseMs: 1_000, maxMs: 5_000 },
    }, {
      registry, sources: { collect: () => Promise.resolve({ endpoints: [this.#desired()], failures: [] }) },
      plan: calculate, clock: this.clock, random: seededRandom(seed + 1), logger: logs.logger, leader: elector,
    });
    // As src/cli/build.ts wires it: a new leader syncs at once.
    elector.onChange((leading) => { if (leading) controller.trigger(); });
    const life = new AbortController();
    const replica: Replica = { name, identity, proxy, elector, registry, controller, life, logs, alive: true };
    void elector.run(life.signal);
    controller.run(life.signal).catch((err: unknown) => { logs.logger.error(`controller stopped: ${String(err)}`); });
    this.replicas.push(replica);
    return replica;
  }

  /** The record every sync wants: its target changes each interval, so every leader sync writes. */
  #desired(): ReturnType<typeof newEndpoint> {
    const bucket = Math.floor(this.clock.now() / INTERVAL_MS);
    return newEndpoint({ dnsName: 'app.example.org', recordType: 'A', targets: [`10.0.${(bucket >> 8) & 255}.${bucket & 255}`], recordTTL: 300 });
  }

  #logged(replica: string): Provider {
    const p = this.provider;
    return {
      records: (signal) => p.records(signal),
      adjustEndpoints: (eps) => p.adjustEndpoints(eps),
      domainFilter: () => p.domainFilter(),
      applyChanges: async (changes, signal) => {
        const at = this.clock.now();
        this.writes.push({ replica, at, holder: (await this.lease())?.holder ?? '' });
        // A slow provider: the batch waits here until the test opens the gate.
        if (this.gate !== undefined) await this.gate;
        await p.applyChanges(changes, signal);
        const doneAt = this.clock.now();
        this.writesDone.push({ replica, at: doneAt, holder: (await this.lease())?.holder ?? '' });
      },
    };
  }

  /** Counts a request in flight, so that a tick can wait for the network before time moves on. */
  async #count<R>(call: () => Promise<R>): Promise<R> {
    this.#inflight++;
    try {
      return await call();
    } finally {
      this.#inflight--;
    }
  }

  /** The elector's Lease calls, counted. The watch is long-lived: not counted (a tick leaves it a moment to deliver). */
  #counted(api: LeaseApi): LeaseApi {
    const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => (...a: A): Promise<R> => this.#count(() => fn(...a));
    return { get: wrap(api.get), create: wrap(api.create), update: wrap(api.update), ...(api.watch === undefined ? {} : { watch: api.watch }) };
  }

  /** Waits (real time) for the requests in flight, gives watch events a moment to arrive (a late one only costs a tick), and waits for what they caused. */
  async #settle(what: string): Promise<void> {
    await eventually(() => this.#inflight === 0, what);
    await new Promise((r) => setTimeout(r, 1));
    await eventually(() => this.#inflight === 0, what);
  }

  /** Moves time one tick, waits for the network, and checks that at most one replica may write. */
  async tick(): Promise<void> {
    await this.clock.advance(TICK_MS);
    await this.#settle('the Lease requests in flight');
    const writers = this.replicas.filter((r) => r.alive && r.elector.canWrite());
    this.maxWriters = Math.max(this.maxWriters, writers.length);
    assert.ok(writers.length <= 1, `two writers at ${this.clock.now()}: ${writers.map((r) => r.name).join(', ')}`);
  }

  async runFor(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += TICK_MS) await this.tick();
  }

  /** Ticks until `check` holds; returns the fake time it took. */
  async until(check: () => boolean, what: string, limitMs = 60_000): Promise<number> {
    const start = this.clock.now();
    while (!check()) {
      if (this.clock.now() - start > limitMs) assert.fail(`${what}: not within ${limitMs} ms of fake time`);
      await this.tick();
    }
    return this.clock.now() - start;
  }

  leader(): Replica | undefined {
    return this.replicas.find((r) => r.alive && r.elector.canWrite());
  }

  byIdentity(identity: string): Replica | undefined {
    return this.replicas.find((r) => r.identity === identity);
  }

  /** Its API credentials stop working (a 401 on every request). */
  /** Its network to the API server goes: open connections drop, new ones are refused. */
  partition(replica: Replica): void {
    replica.proxy.cut();
  }

  heal(replica: Replica): void {
    replica.proxy.heal();
  }

  /** Shuts a replica down (graceful: it releases the Lease if its credentials still work). */
  async stop(replica: Replica): Promise<void> {
    replica.alive = false;
    replica.life.abort();
    await this.clock.advance(0);
    await this.#settle('the release');
  }

  async close(): Promise<void> {
    for (const r of this.replicas.filter((x) => x.alive)) await this.stop(r);
    for (const r of this.replicas) await r.proxy.close();
  }

  /** Every write reached the provider from the replica the API server named as the Lease holder. */
  assertWritesByHolder(from = 0): void {
    for (const w of this.writes.filter((x) => x.at >= from)) {
      assert.equal(this.byIdentity(w.holder)?.name, w.replica, `write by ${w.replica} at +${w.at - from} ms while ${w.holder} held the Lease`);
    }
  }

  /** Consecutive runs of one writer in the log: e.g. ["a", "b"] after one takeover. */
  writerRuns(): string[] {
    const runs: string[] = [];
    for (const w of this.writes) if (runs.at(-1) !== w.replica) runs.push(w.replica);
    return runs;
  }
}

for (const size of [2, 3]) {
  test(`${size} replicas: exactly one writes, every sync interval, and it holds the Lease`, { skip }, async () => {
    const c = new Cluster(`steady-${size}`);
    const names = ['a', 'b', 'c'].slice(0, size);
    for (const [i, n] of names.entries()) await c.add(n, 11 + i * 7);
    const start = c.clock.now();
    await c.runFor(60_000);
    const leader = c.leader();
    assert.ok(leader, 'someone leads');
    assert.equal((await c.lease())?.holder, leader.identity);
    assert.deepEqual(c.writerRuns(), [leader.name], 'one replica did all the writing');
    // A sync per interval (the record changes every interval), the first one within the first retry period.
    assert.ok(c.writes.length >= 60_000 / INTERVAL_MS, `${c.writes.length} writes in 60 s`);
    assert.ok((c.writes[0]?.at ?? Infinity) - start <= RETRY_MS, 'the first leader synced at once');
    c.assertWritesByHolder();
    assert.equal(c.maxWriters, 1);
    for (const r of c.replicas.filter((x) => x !== leader)) {
      assert.equal(r.elector.isLeader(), false);
      await assert.rejects(Promise.resolve().then(() => r.registry.applyChanges(emptyChanges(), new AbortController().signal)),
        (e: unknown) => ExtdnsError.is(e) && e.code === ControllerErrors.EXTDNS_CONTROLLER_NOT_LEADER.code);
    }
    assert.deepEqual(c.provider.zoneRecords('example.org').filter((e) => e.recordType === 'A').map((e) => e.dnsName), ['app.example.org']);
    await c.close();
  });
}

test('leader killed without releasing: a standby takes over within lease duration + jittered retry periods of the last renew', { skip }, async () => {
  const takeovers: number[] = [];
  // Kill at several points of the renew cycle (and with different jitter) to see the spread.
  for (const [round, offsetMs] of [0, 700, 1_300, 1_900].entries()) {
    const c = new Cluster(`killed-${round}`);
    for (const [i, n] of ['a', 'b', 'c'].entries()) await c.add(n, 100 * round + i + 1);
    await c.runFor(10_000 + offsetMs);
    const old = c.leader();
    assert.ok(old);
    const lastRenew = (await c.lease())?.renewAt ?? NaN;
    // The process dies: its network goes first so that the release on the way out fails too.
    c.partition(old);
    await c.stop(old);
    const killedAt = c.clock.now();
    assert.equal((await c.lease())?.holder, old.identity, 'the dead leader did not release the Lease');
    await c.until(() => c.leader() !== undefined, 'a standby takes over');
    const lease = (await c.lease());
    assert.ok(lease);
    assert.notEqual(lease.holder, old.identity);
    const takeover = lease.acquireAt - lastRenew;
    takeovers.push(takeover);
    measured.push(`killed leader (round ${round}): new holder ${lease.acquireAt - killedAt} ms after the kill, ${takeover} ms after the last renew`);
    assert.ok(takeover >= LEASE_MS, `not before the lease expired (${takeover} ms)`);
    assert.ok(takeover <= LEASE_MS + 2 * RETRY_MS * JITTER + TICK_MS, `takeover ${takeover} ms after the last renew`);
    // The new leader syncs at once (its caches are warm) and then every interval.
    const syncedAt = await c.until(() => c.writes.some((w) => w.at >= lease.acquireAt), 'the new leader writes', 1_000);
    assert.ok(syncedAt <= TICK_MS);
    await c.runFor(20_000);
    c.assertWritesByHolder();
    assert.deepEqual(c.writerRuns(), [old.name, c.byIdentity(lease.holder)?.name]);
    assert.equal(c.maxWriters, 1);
    await c.close();
  }
  measured.push(`killed leader: takeover ${Math.min(...takeovers)}–${Math.max(...takeovers)} ms after the last renew (bound ${LEASE_MS + 2 * RETRY_MS * JITTER} ms)`);
});

test('API partitioned from the leader: it stops writing before its Lease can expire, a standby takes over, never two writers', { skip }, async () => {
  const c = new Cluster('partition');
  await c.add('a', 1);
  await c.runFor(3_000);
  await c.add('b', 2);
  await c.add('c', 3);
  await c.runFor(7_000);
  const old = c.leader();
  assert.equal(old?.name, 'a');
  const lastRenew = (await c.lease())?.renewAt ?? NaN;
  c.partition(old);
  const stopped = await c.until(() => !old.elector.canWrite(), 'the cut-off leader stops writing');
  const stoppedAt = c.clock.now();
  measured.push(`partitioned leader: stopped writing ${stoppedAt - lastRenew} ms after its last renew (renew deadline ${RENEW_DEADLINE_MS} ms)`);
  assert.ok(stoppedAt - lastRenew <= RENEW_DEADLINE_MS + TICK_MS, `stopped ${stoppedAt - lastRenew} ms after the last renew`);
  assert.ok(stopped > 0);
  assert.match(old.logs.text(), /lost the lease/);
  // The write guard refuses a batch now, even one the controller would start.
  await assert.rejects(Promise.resolve().then(() => old.registry.applyChanges(emptyChanges(), new AbortController().signal)),
    (e: unknown) => ExtdnsError.is(e) && e.code === ControllerErrors.EXTDNS_CONTROLLER_NOT_LEADER.code && /does not hold the lease/.test(e.message));
  assert.equal((await c.lease())?.holder, old.identity, 'nobody could take the Lease yet');
  await c.until(() => c.leader() !== undefined, 'a standby takes over');
  const lease = (await c.lease());
  assert.ok(lease);
  measured.push(`partitioned leader: standby took over ${lease.acquireAt - lastRenew} ms after the last renew, ${lease.acquireAt - stoppedAt} ms after the old leader stopped`);
  assert.ok(lease.acquireAt - lastRenew >= LEASE_MS);
  assert.ok(c.writes.filter((w) => w.replica === 'a').every((w) => w.at < stoppedAt), 'no write from the cut-off leader after it stopped');
  // The partition heals: the old leader finds the new holder and stays a standby.
  c.heal(old);
  await c.runFor(30_000);
  assert.equal(old.elector.isLeader(), false);
  c.assertWritesByHolder();
  assert.deepEqual(c.writerRuns(), ['a', c.byIdentity(lease.holder)?.name]);
  assert.equal(c.maxWriters, 1);
  await c.close();
});

test('Lease stolen: the old leader notices at its next renew and stops writing', { skip }, async () => {
  const c = new Cluster('stolen');
  await c.add('a', 1);
  await c.runFor(3_000);
  await c.add('b', 2);
  // Mid-way between two renewals, so that noticing takes most of a retry period.
  await c.runFor(7_900);
  const old = c.leader();
  assert.equal(old?.name, 'a');
  await c.overwriteLease('intruder_1');
  const stolenAt = c.clock.now();
  const noticed = await c.until(() => !old.elector.canWrite(), 'the old leader notices');
  measured.push(`stolen Lease: the old leader stopped writing ${noticed} ms after the theft (retry period ${RETRY_MS} ms)`);
  assert.ok(noticed <= RETRY_MS + TICK_MS, `noticed after ${noticed} ms`);
  assert.match(old.logs.text(), /held by another replica/);
  // While the intruder renews, nobody here writes.
  for (let i = 0; i < 10; i++) {
    await c.runFor(RETRY_MS);
    await c.overwriteLease('intruder_1');
  }
  assert.equal(c.leader(), undefined);
  assert.ok(c.writes.filter((w) => w.at > stolenAt + noticed).length === 0, 'no writes while the intruder holds the Lease');
  // The intruder goes away: one of ours takes over once its lease expires.
  const gone = c.clock.now();
  await c.until(() => c.leader() !== undefined, 'a replica takes over from the intruder');
  assert.ok(c.clock.now() - gone >= LEASE_MS);
  const after = c.clock.now();
  await c.runFor(10_000);
  c.assertWritesByHolder(after);
  assert.equal(c.maxWriters, 1);
  await c.close();
});

test('graceful shutdown releases the Lease: a standby leads at its next retry, not a lease duration later', { skip }, async () => {
  const c = new Cluster('graceful');
  await c.add('a', 1);
  await c.runFor(3_000);
  await c.add('b', 2);
  await c.runFor(7_000);
  const old = c.leader();
  assert.equal(old?.name, 'a');
  await c.stop(old);
  const lease = (await c.lease());
  assert.equal(lease?.holder, '', 'released');
  assert.match(old.logs.text(), /released the lease/);
  const took = await c.until(() => c.leader() !== undefined, 'the standby takes over');
  measured.push(`graceful shutdown: the standby led ${took} ms after the release (retry period ${RETRY_MS} ms, jitter ${JITTER})`);
  assert.ok(took <= RETRY_MS * JITTER + TICK_MS, `took ${took} ms`);
  assert.equal((await c.lease())?.holder, c.replicas[1]?.identity);
  await c.runFor(10_000);
  c.assertWritesByHolder();
  assert.deepEqual(c.writerRuns(), ['a', 'b']);
  await c.close();
});

test('shutdown in the middle of a write batch: the Lease is released only after the batch ends', { skip }, async () => {
  const c = new Cluster('in-flight');
  await c.add('a', 1);
  await c.runFor(3_000);
  await c.add('b', 2);
  await c.runFor(6_000);
  const old = c.leader();
  assert.equal(old?.name, 'a');
  let open = (): void => undefined;
  c.gate = new Promise((resolve) => { open = resolve; });
  const before = c.writes.length;
  await c.until(() => c.writes.length > before, 'the next sync starts a write batch', INTERVAL_MS + TICK_MS);
  await c.stop(old);
  // The batch is still running: the Lease stays with the old leader and nobody else may write.
  await c.runFor(8_000);
  assert.equal((await c.lease())?.holder, old.identity);
  assert.equal(c.leader(), undefined);
  assert.match(old.logs.text(), /waiting for the write batch in flight/);
  c.gate = undefined;
  open();
  const finished = c.clock.now();
  await c.runFor(TICK_MS);
  assert.equal(c.writesDone.at(-1)?.replica, 'a');
  assert.match(old.logs.text(), /released the lease/);
  const took = await c.until(() => c.leader() !== undefined, 'the standby takes over');
  assert.ok(took <= RETRY_MS * JITTER + TICK_MS);
  await c.runFor(INTERVAL_MS);
  const firstByB = c.writes.find((w) => w.replica === 'b');
  assert.ok(firstByB !== undefined && firstByB.at > finished, 'the standby wrote only after the old batch ended');
  c.assertWritesByHolder();
  await c.close();
});
