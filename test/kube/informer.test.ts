/**
 * src/kube/informer.ts against the test API server, for the faults it makes
 * at a moment the test picks (a watch dropped mid-stream, a 410 at an exact
 * point, an API down at start, a watch that never ends) and for its request
 * log (pages, reconnects); retries run on a FakeClock (no real sleeps). Real
 * bookmarks, a real 403 and label selectors (informer), 410 after an etcd
 * compaction (watch, client): test/kube-real/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createInformer, type Informer, type InformerEvent } from '../../src/kube/informer.ts';
import type { ApiObject } from '../../src/kube/types.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { ALLOW_ALL } from '../support/kube-api-server.ts';
import { eventually, kubeFixture, SERVICES, service, type KubeFixture } from '../support/kube-api/setup.ts';

let fx: KubeFixture;
before(async () => {
  fx = await kubeFixture({
    users: [
      { name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL },
    ],
  });
});
after(() => fx.close());

interface Pruned {
  name: string;
  ns: string;
  host: string | undefined;
}
const prune = (o: ApiObject): Pruned => ({ name: o.metadata.name, ns: o.metadata.namespace ?? '', host: o.metadata.annotations?.host });

async function startInformer(namespace: string, extra: { pageSize?: number; transform?: (o: ApiObject) => Pruned } = {}) {
  const clock = new FakeClock();
  const log = captureLogger();
  const client = await fx.client({ clock });
  const informer: Informer<Pruned> = createInformer({
    client, resource: SERVICES, namespace, transform: extra.transform ?? prune, clock, random: seededRandom(7), logger: log.logger,
    ...(extra.pageSize === undefined ? {} : { pageSize: extra.pageSize }),
  });
  const events: string[] = [];
  informer.onChange((e: InformerEvent<Pruned>) => {
    // Handlers run after the store changed.
    const stored = informer.get(e.object.ns, e.object.name);
    assert.equal(e.type === 'DELETED' ? stored === undefined : stored === e.object, true);
    events.push(`${e.type} ${e.object.name}${e.object.host === undefined ? '' : ` ${e.object.host}`}`);
  });
  const ac = new AbortController();
  const running = informer.start(ac.signal);
  const stop = async () => {
    ac.abort();
    await running;
  };
  return { clock, log, informer, events, stop, ac };
}

/** Lets real I/O and fake time alternate until `done` (the informer may be parked in a backoff sleep). */
async function pump(clock: FakeClock, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    await new Promise((r) => setTimeout(r, 5));
    if (clock.pending > 0) await clock.advance(1000);
  }
  assert.ok(done(), 'condition not reached');
}

const ns = (name: string) => { fx.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }); return name; };
const annotated = (name: string, namespace: string, host: string) => service(name, { metadata: { name, namespace, annotations: { host } } });

test('lists in pages, syncs, then follows watch events; the transform decides what is stored', async () => {
  const n = ns('inf-paging');
  for (let i = 0; i < 5; i++) fx.api.create(annotated(`s${i}`, n, `h${i}.example.com`));
  const before = fx.api.requests.length;
  const { informer, events, stop } = await startInformer(n, { pageSize: 2 });
  await informer.waitForSync();
  assert.equal(informer.hasSynced(), true);
  const lists = fx.api.requests.slice(before).filter((r) => r.query.watch === undefined);
  assert.equal(lists.length, 3, 'three pages of two');
  // As client-go's reflector: the first page is read from the watch cache, later pages follow the continue token alone.
  assert.deepEqual(lists.map((r) => r.query.resourceVersion), ['0', undefined, undefined]);
  assert.equal(lists[1]?.query.continue !== undefined, true);
  assert.deepEqual(informer.list(n).map((s) => s.name).sort(), ['s0', 's1', 's2', 's3', 's4']);
  assert.deepEqual(informer.get(n, 's1'), { name: 's1', ns: n, host: 'h1.example.com' });
  assert.equal(events.length, 5);

  await eventually(() => fx.api.requests.some((r) => r.query.watch === '1' && r.path.includes(n)), 'the watch');
  const watch = fx.api.requests.find((r) => r.query.watch === '1' && r.path.includes(n));
  assert.equal(watch?.query.allowWatchBookmarks, 'true');
  assert.ok(Number(watch?.query.timeoutSeconds) >= 300 && Number(watch?.query.timeoutSeconds) < 600);

  fx.api.create(annotated('s5', n, 'new.example.com'));
  fx.api.update(annotated('s0', n, 'moved.example.com'));
  fx.api.delete('v1', 'Service', n, 's1');
  await eventually(() => events.length === 8, 'three watch events');
  assert.deepEqual(events.slice(5), ['ADDED s5 new.example.com', 'MODIFIED s0 moved.example.com', 'DELETED s1 h1.example.com']);
  fx.api.create(annotated('elsewhere', 'default', 'x.example.com'));
  fx.api.bookmark();
  await eventually(() => informer.resourceVersion() === String(fx.api.resourceVersion), 'the bookmark');
  assert.equal(informer.get('default', 'elsewhere'), undefined, 'another namespace is not watched');
  await stop();
});

test('a dropped watch reconnects from the last resourceVersion without missing changes', async () => {
  const n = ns('inf-drop');
  fx.api.create(annotated('a', n, 'a.example.com'));
  const { informer, events, stop, log, clock } = await startInformer(n);
  await informer.waitForSync();
  await eventually(() => fx.api.watchCount > 0, 'the watch');
  const rv = informer.resourceVersion();
  fx.api.dropWatches();
  fx.api.create(annotated('b', n, 'b.example.com')); // made while no watch is open
  await pump(clock, () => events.includes('ADDED b b.example.com'));
  const rewatch = fx.api.requests.filter((r) => r.query.watch === '1' && r.path.includes(n)).at(-1);
  assert.equal(rewatch?.query.resourceVersion, String(Number(rv)), 'resumed from the last version, not a relist');
  assert.equal(fx.api.requests.filter((r) => r.query.watch === undefined && r.path.includes(n)).length, 1, 'listed once');
  assert.match(log.text(), /warning Reconnecting to the Kubernetes API .*the watch stream ended early/);
  await stop();
});

/** A transform that keeps the resourceVersion in the stored object (as the pruners do): no second map of versions. */
const pruneKeepingVersion = (o: ApiObject): Pruned & { metadata: { resourceVersion: string | undefined } } =>
  ({ ...prune(o), metadata: { resourceVersion: o.metadata.resourceVersion } });

for (const [label, transform] of [['a transform that drops metadata', prune], ['a transform that keeps resourceVersion', pruneKeepingVersion]] as const) {
test(`410 Gone relists and reports what appeared, changed and vanished meanwhile (${label})`, async () => {
  const n = ns(transform === prune ? 'inf-gone' : 'inf-gone-rv');
  fx.api.create(annotated('stay', n, 'stay.example.com'));
  fx.api.create(annotated('change', n, 'old.example.com'));
  fx.api.create(annotated('vanish', n, 'vanish.example.com'));
  const { informer, events, stop, log, clock } = await startInformer(n, { transform });
  await informer.waitForSync();
  await eventually(() => fx.api.watchCount > 0, 'the watch');
  const mark = fx.api.requests.length;
  await fx.api.setDown(true); // connections refused: the watch breaks
  // While away: changes, then the history is compacted so the old resourceVersion is gone.
  fx.api.create(annotated('appear', n, 'appear.example.com'));
  fx.api.update(annotated('change', n, 'new.example.com'));
  fx.api.delete('v1', 'Service', n, 'vanish');
  fx.api.compact();
  events.length = 0;
  await fx.api.setDown(false);
  // The informer is backing off after the failed reconnect: let the fake time pass.
  await pump(clock, () => events.length >= 3);
  assert.deepEqual(events.sort(), ['ADDED appear appear.example.com', 'DELETED vanish vanish.example.com', 'MODIFIED change new.example.com']);
  assert.match(log.text(), /410 Gone\); listing again/);
  // The list after 410 is a consistent one (no resourceVersion): the watch cache is what was too far behind.
  const relists = fx.api.requests.slice(mark).filter((r) => r.query.watch === undefined && r.path.includes(n));
  assert.equal(relists.length, 1);
  assert.equal(relists[0]?.query.resourceVersion, undefined);
  assert.deepEqual(informer.list(n).map((s) => s.name).sort(), ['appear', 'change', 'stay']);
  await stop();
});
}

test('an API down at start: not synced, retried with growing backoff, synced once it is up', async () => {
  const n = ns('inf-down');
  fx.api.create(annotated('x', n, 'x.example.com'));
  await fx.api.setDown(true);
  const { informer, clock, stop, log } = await startInformer(n);
  await eventually(() => clock.pending > 0, 'the first backoff');
  assert.equal(informer.hasSynced(), false);
  assert.equal(informer.lastError()?.message.includes('cannot reach the Kubernetes API'), true);
  await clock.advance(2_000);
  await eventually(() => log.entries.filter((e) => e.msg === 'Reconnecting to the Kubernetes API').length >= 2, 'a second retry');
  const delays = log.entries.filter((e) => e.msg === 'Reconnecting to the Kubernetes API').map((e) => Number(e.fields.retryInMs));
  assert.ok(delays[0]! >= 800 && delays[0]! < 1600, `first delay ${delays[0]} within 800 ms + jitter`);
  assert.ok(delays[1]! >= 1600 && delays[1]! < 3200, `second delay ${delays[1]} doubled`);
  assert.equal(informer.hasSynced(), false);
  const waiting = informer.waitForSync();
  await fx.api.setDown(false);
  await clock.advance(30_000);
  await waiting;
  assert.equal(informer.get(n, 'x')?.host, 'x.example.com');
  assert.equal(informer.lastError(), undefined);
  await stop();
});

test('a silent watch is replaced after its timeout plus a minute; an object the transform rejects is skipped', async () => {
  const n = ns('inf-silent');
  fx.api.create(annotated('good', n, 'good.example.com'));
  fx.api.create(annotated('bad', n, 'bad.example.com'));
  const clock = new FakeClock();
  const log = captureLogger();
  const client = await fx.client({ clock });
  const informer = createInformer({
    client, resource: SERVICES, namespace: n, clock, random: seededRandom(3), logger: log.logger,
    transform: (o: ApiObject) => {
      if (o.metadata.name === 'bad') throw new Error('cannot read this one');
      return prune(o);
    },
  });
  const ac = new AbortController();
  const running = informer.start(ac.signal);
  await informer.waitForSync();
  assert.deepEqual(informer.list().map((s) => s.name), ['good']);
  assert.match(log.text(), /Skipping an object the cache cannot store .*inf-silent\/bad.*cannot read this one/);
  const watches = () => fx.api.requests.filter((r) => r.query.watch === '1' && r.path.includes(n));
  await eventually(() => watches().length === 1, 'the watch');
  const timeoutSeconds = Number(watches()[0]?.query.timeoutSeconds);
  await clock.advance((timeoutSeconds + 59) * 1000);
  assert.equal(clock.nextDueIn, 1000, 'the informer waits for the watch\'s deadline, 60 s past its timeout');
  assert.equal(watches().length, 1, 'not before the deadline');
  await clock.advance(1000);
  await eventually(() => watches().length === 2, 'a new watch');
  assert.match(log.text(), /A watch outlived its timeout/);
  ac.abort();
  await running;
});
