/**
 * Leader election of whole extdns processes (the real CLI, in-process) on the
 * real Lease API, with the deployed ServiceAccount's token and the ha
 * overlay's Role: 2 and 3 replicas share a FakeClock, each reaches the API
 * server through its own TCP relay so that one can be cut off (a partition).
 * Fake time moves in 100 ms ticks with a short real pause for the requests
 * in flight; after every tick at most one replica may consider itself leader.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeClock } from '../support/fake-clock.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { deployExtdns, EXTDNS_NAMESPACE, type Deployed } from '../support/real-kube/deployed.ts';
import { dnsEndpoint } from '../support/real-kube/objects.ts';
import { startTcpProxy, type TcpProxy } from '../support/real-kube/tcp-proxy.ts';
import { makeZoneDir, type ZoneDir } from '../support/zonefile.ts';
import { recordLine, startExtdns, zoneText, ZONE, type ExtdnsRun } from '../kube/extdns-run.ts';

const LEASE_MS = 15_000;
const RENEW_DEADLINE_MS = 10_000;
const RETRY_MS = 2_000;
const JITTER = 1.2;
const TICK_MS = 100;
const skip = realKubeUnavailable();

let kube: RealKube;
let deployed: Deployed;
const measured: string[] = [];
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  deployed = await deployExtdns(kube);
});
after(async () => {
  if (measured.length > 0) console.log(`leader election on the real Lease API (fake clock, ${TICK_MS} ms ticks):\n  ${measured.join('\n  ')}`);
  await kube?.close();
});

interface Replica {
  readonly name: string;
  readonly proxy: TcpProxy;
  readonly run: ExtdnsRun;
}

const LEADER_STATE = /Leader election: (became the leader|lost the lease|the lease is held by another replica)/;

function leading(r: Replica): boolean {
  return r.run.log.lines(LEADER_STATE).at(-1)?.includes('became the leader') === true;
}

function identityOf(r: Replica): string | undefined {
  return /identity=(\S+)/.exec(r.run.log.lines(/became the leader/).at(-1) ?? '')?.[1]?.replace(/"/g, '');
}

function zoneWrites(r: Replica): number {
  return r.run.log.lines(/Zone file updated/).length;
}

class Replicas {
  readonly clock = new FakeClock();
  readonly all: Replica[] = [];
  readonly #lease: string;
  readonly #zones: ZoneDir;

  private constructor(lease: string, zones: ZoneDir) {
    this.#lease = lease;
    this.#zones = zones;
  }

  static async start(lease: string, names: readonly string[]): Promise<Replicas> {
    const r = new Replicas(lease, await makeZoneDir([ZONE]));
    for (const [i, name] of names.entries()) await r.#add(name, 101 + i * 17);
    return r;
  }

  async #add(name: string, seed: number): Promise<void> {
    const proxy = await startTcpProxy(kube.securePort);
    const kubeconfig = await kube.tokenKubeconfig(deployed.token, `${this.#lease}-${name}`, `https://127.0.0.1:${proxy.port}`);
    const run = startExtdns([
      `--kubeconfig=${kubeconfig}`, '--provider=zonefile', `--zonefile-dir=${this.#zones.dir}`, `--domain-filter=${ZONE}`,
      '--txt-owner-id=e2e', '--policy=sync', '--metrics-address=127.0.0.1:0', '--kube-api-qps=1000', '--kube-api-burst=1000',
      '--source=crd', `--label-filter=lease=${this.#lease}`, '--events', '--interval=5s', '--min-event-sync-interval=0s',
      '--leader-elect', `--leader-election-namespace=${EXTDNS_NAMESPACE}`, `--leader-election-id=${this.#lease}`,
    ], this.clock, seed);
    this.all.push({ name, proxy, run });
  }

  zone(): Promise<string> {
    return zoneText(this.#zones);
  }

  /** One tick: fake time moves, real time lets the requests it caused happen; never two leaders. */
  async tick(): Promise<void> {
    await this.clock.advance(TICK_MS);
    await new Promise((r) => setTimeout(r, 25));
    const leaders = this.all.filter(leading);
    assert.ok(leaders.length <= 1, `two leaders at +${this.clock.now()}: ${leaders.map((l) => l.name).join(', ')}`);
  }

  async runFor(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += TICK_MS) await this.tick();
  }

  /** Ticks until `check` holds; returns the fake time it took. */
  async until(check: () => boolean | Promise<boolean>, what: string, limitMs = 60_000): Promise<number> {
    const start = this.clock.now();
    while (!(await check())) {
      if (this.clock.now() - start > limitMs) assert.fail(`${what}: not within ${limitMs} ms of fake time\n${this.all.map((r) => `--- ${r.name}\n${r.run.log.text()}`).join('\n')}`);
      await this.tick();
    }
    return this.clock.now() - start;
  }

  leader(): Replica | undefined {
    return this.all.find(leading);
  }

  holder(): Promise<string> {
    return kube.kubectl(['get', 'lease', this.#lease, '-n', EXTDNS_NAMESPACE, '-o', 'jsonpath={.spec.holderIdentity}']);
  }

  /** Writes the Lease as another party would: `holder` renewed it just now (fake time). */
  async steal(holder: string): Promise<void> {
    const now = `${new Date(this.clock.now()).toISOString().slice(0, -1)}000Z`;
    await kube.kubectl(['patch', 'lease', this.#lease, '-n', EXTDNS_NAMESPACE, '--type=merge', '-p',
      JSON.stringify({ spec: { holderIdentity: holder, renewTime: now, acquireTime: now, leaseDurationSeconds: LEASE_MS / 1000 } })]);
  }

  async record(name: string, ip: string): Promise<void> {
    const ep = dnsEndpoint(name, `${name}.${ZONE}`, [ip]).object;
    await kube.kubectl(['apply', '-f', '-'], JSON.stringify({ ...ep, metadata: { ...ep.metadata, labels: { lease: this.#lease } } }));
  }

  async close(): Promise<void> {
    for (const r of this.all) {
      r.proxy.heal();
      assert.equal(await r.run.stop(), 0, r.run.log.text());
      await r.proxy.close();
    }
    await this.#zones.cleanup();
  }
}

for (const size of [2, 3]) {
  test(`${size} replicas on the real Lease API: one leader, only it writes; cut off, it stops before a standby takes over`, { skip }, async () => {
    const lease = `failover-${size}`;
    const c = await Replicas.start(lease, ['a', 'b', 'c'].slice(0, size));
    try {
      await c.until(() => c.leader() !== undefined, 'a leader');
      await c.runFor(10_000);
      const first = c.leader()!;
      assert.equal(await c.holder(), identityOf(first), 'the Lease names the replica that leads');
      await c.record(`app-${size}`, '192.0.2.1');
      await c.until(async () => recordLine(`app-${size}`, 'A', '192.0.2.1').test(await c.zone()), 'the record from the leader');
      for (const r of c.all) if (r !== first) assert.equal(zoneWrites(r), 0, `${r.name} wrote while ${first.name} led`);

      // The leader's network goes: it stops writing within its renew deadline, a standby leads once the Lease runs out.
      first.proxy.cut();
      const stopped = await c.until(() => !leading(first), 'the cut-off leader steps down');
      const takeover = stopped + await c.until(() => c.leader() !== undefined, 'a standby takes over');
      measured.push(`${size} replicas: the cut-off leader stopped ${stopped} ms after the cut, a standby led ${takeover} ms after the cut`);
      assert.ok(stopped <= RENEW_DEADLINE_MS + RETRY_MS * JITTER + TICK_MS, `stopped after ${stopped} ms`);
      assert.ok(takeover >= LEASE_MS - RETRY_MS * JITTER, `took over after ${takeover} ms`);
      assert.ok(takeover <= LEASE_MS + 2 * RETRY_MS * JITTER + TICK_MS, `took over after ${takeover} ms`);
      const second = c.leader()!;
      assert.notEqual(second, first);
      assert.equal(await c.holder(), identityOf(second));
      const writesOfFirst = zoneWrites(first);
      await c.record(`app-${size}`, '192.0.2.2');
      await c.until(async () => recordLine(`app-${size}`, 'A', '192.0.2.2').test(await c.zone()), 'the change from the new leader');
      // The old leader's network comes back: it finds the new holder and stays a standby.
      first.proxy.heal();
      await c.runFor(20_000);
      assert.equal(c.leader(), second);
      assert.equal(zoneWrites(first), writesOfFirst, 'the old leader wrote nothing after the cut');
    } finally {
      await c.close();
    }
  });
}

test('a stolen Lease stops writes: the leader notices within a retry period and nobody writes while the intruder renews', { skip }, async () => {
  const c = await Replicas.start('stolen', ['a', 'b']);
  try {
    await c.until(() => c.leader() !== undefined, 'a leader');
    await c.runFor(5_000);
    const old = c.leader()!;
    await c.steal('intruder_1');
    const noticed = await c.until(() => c.leader() === undefined, 'the leader notices the theft');
    measured.push(`stolen Lease: the leader stopped writing ${noticed} ms (fake) after the theft`);
    assert.ok(noticed <= RETRY_MS * JITTER + TICK_MS, `noticed after ${noticed} ms`);
    assert.match(old.run.log.text(), /held by another replica/);
    const writes = c.all.map(zoneWrites);
    await c.record('stolen', '192.0.2.9');
    for (let i = 0; i < 10; i++) {
      await c.runFor(RETRY_MS);
      await c.steal('intruder_1');
    }
    assert.equal(c.leader(), undefined, 'nobody leads while the intruder renews');
    assert.deepEqual(c.all.map(zoneWrites), writes, 'no zone write while the intruder holds the Lease');
    assert.doesNotMatch(await c.zone(), /^stolen\s/m);
    // The intruder stops renewing: one of ours takes over once the Lease runs out, and the waiting change lands.
    const gone = await c.until(() => c.leader() !== undefined, 'a replica takes over from the intruder');
    assert.ok(gone >= LEASE_MS - RETRY_MS * JITTER, `took over after ${gone} ms`);
    await c.until(async () => recordLine('stolen', 'A', '192.0.2.9').test(await c.zone()), 'the waiting change');
  } finally {
    await c.close();
  }
});
