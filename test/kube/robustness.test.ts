/**
 * The controller against a misbehaving Kubernetes API (issue 5): a watch that
 * drops, a 410 Gone, an API that is down at start or goes down mid-run. In
 * each case the controller keeps running, says what happened in one clear log
 * line, and deletes no record by mistake: each test starts from a zone that
 * already holds records extdns owns, so a sync that wrongly saw no objects
 * would delete them.
 *
 * extdns runs in-process on a FakeClock (--interval=1m): the tests move the
 * clock to let backoffs and periodic syncs happen, and poll for real I/O.
 *
 * Why the test API server: it makes these faults on demand, at the moment the
 * test picks (dropWatches, compact, setDown), which the real one cannot. Their
 * real-server forms run in test/kube-real/: an etcd compaction under a
 * cut-off extdns (watch), a kube-apiserver restart (restart); a real 403 and
 * a bad annotation (robustness).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { ALLOW_ALL } from '../support/kube-api/auth.ts';
import { kubeFixture, type KubeFixture } from '../support/kube-api/setup.ts';
import type { ZoneDir } from '../support/zonefile.ts';
import { ingress, lbService, pump, recordLine, startExtdns, zoneAndFlags, zoneEventually, zoneText, ZONE, type ExtdnsRun } from './extdns-run.ts';

const LOOP = ['--source=service', '--source=ingress', '--events', '--interval=1m', '--min-event-sync-interval=0s'];

let fx: KubeFixture;
const cleanups: (() => Promise<unknown>)[] = [];
let running: ExtdnsRun | undefined;
before(async () => {
  fx = await kubeFixture({ users: [{ name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL }] });
});
afterEach(async () => {
  await fx.api.setDown(false);
  await running?.stop();
  running = undefined;
  for (const name of ['web', 'api', 'bad']) fx.api.delete('v1', 'Service', 'default', name);
  fx.api.delete('networking.k8s.io/v1', 'Ingress', 'default', 'shop');
});
after(async () => {
  for (const c of cleanups) await c();
  await fx.close();
});

/** A zone already synced (by a --once run) from a Service `web` and an Ingress `shop`; returns its text too. */
async function syncedZone(): Promise<{ zones: ZoneDir; flags: string[]; synced: string }> {
  const z = await zoneAndFlags(fx);
  cleanups.push(z.zones.cleanup);
  fx.api.create(lbService('web', '192.0.2.10'));
  fx.api.create(ingress('shop', `shop.${ZONE}`, '192.0.2.20'));
  const once = startExtdns([...z.flags, '--source=service', '--source=ingress', '--once']);
  assert.equal(await once.done, 0, once.log.text());
  const synced = await zoneText(z.zones);
  assert.match(synced, recordLine('web', 'A', '192.0.2.10'));
  assert.match(synced, recordLine('shop', 'A', '192.0.2.20'));
  return { ...z, synced };
}

function start(args: readonly string[]): ExtdnsRun {
  running = startExtdns(args);
  return running;
}

/** Neither the Service's nor the Ingress's records have gone. */
async function assertKept(zones: ZoneDir): Promise<void> {
  const text = await zoneText(zones);
  for (const name of ['web', 'shop']) {
    assert.match(text, new RegExp(`^${name}\\s.*IN A`, 'm'), `${name}'s record was deleted:\n${text}`);
    assert.match(text, new RegExp(`^a-${name}\\s.*IN TXT`, 'm'), `${name}'s TXT record was deleted:\n${text}`);
  }
}

const deletes = (run: ExtdnsRun): string[] => run.log.lines(/msg="Applied changes/).filter((l) => !/deletes=0/.test(l));

test('a watch that drops: the caches reconnect, log it, and the next change still arrives', async () => {
  const { zones, flags } = await syncedZone();
  const run = start([...flags, ...LOOP]);
  await run.log.waitFor(/All records are already up to date/);
  const watches = fx.api.watchCount;
  fx.api.dropWatches();
  await pump(run, () => fx.api.watchCount >= watches && run.log.lines(/Reconnecting to the Kubernetes API/).length > 0, 'the watches to come back');
  assert.match(run.log.lines(/Reconnecting to the Kubernetes API/)[0] ?? '', /reason="the watch stream ended early"/);

  fx.api.create(lbService('api', '192.0.2.11'));
  await zoneEventually(zones, (t) => recordLine('api', 'A', '192.0.2.11').test(t), 'the record of a Service created after the drop');
  await assertKept(zones);
  assert.deepEqual(deletes(run), []);
});

test('a 410 Gone: the cache lists again, picks up what changed meanwhile, and deletes nothing it should keep', async () => {
  const { zones, flags } = await syncedZone();
  const run = start([...flags, ...LOOP]);
  await run.log.waitFor(/All records are already up to date/);
  // The watches end; before they come back the history they would resume from is compacted away.
  await fx.api.setDown('unavailable');
  fx.api.dropWatches();
  fx.api.create(lbService('api', '192.0.2.11'));
  fx.api.compact();
  await fx.api.setDown(false);
  await pump(run, () => run.log.lines(/410 Gone\); listing again/).length > 0, 'the relist after 410');
  await zoneEventually(zones, (t) => recordLine('api', 'A', '192.0.2.11').test(t), 'the Service created during the gap');
  await assertKept(zones);
  assert.deepEqual(deletes(run), []);
});

test('the API down at start: no sync until the caches fill, nothing deleted meanwhile, then a normal sync', async () => {
  const { zones, flags, synced } = await syncedZone();
  await fx.api.setDown(true);
  const run = start([...flags, ...LOOP]);
  // Two minutes on the clock: two intervals, many reconnect attempts.
  await pump(run, () => run.clock.now() - Date.UTC(2026, 10, 28, 12, 0, 0) >= 120_000, 'two minutes of fake time');
  assert.equal(run.log.lines(/msg="(Applied changes|All records are already up to date)/).length, 0, 'no sync before the caches fill');
  assert.ok(run.log.lines(/msg="Waiting for the Kubernetes caches"/).length > 0, run.log.text());
  assert.match(run.log.lines(/Reconnecting to the Kubernetes API/)[0] ?? '', /127\.0\.0\.1/);
  assert.equal(await zoneText(zones), synced, 'the zone is untouched while the API is down');

  fx.api.create(lbService('api', '192.0.2.11'));
  await fx.api.setDown(false);
  await pump(run, () => run.log.lines(/msg="Applied changes/).length > 0, 'the first sync');
  await zoneEventually(zones, (t) => recordLine('api', 'A', '192.0.2.11').test(t), 'the first sync');
  await assertKept(zones);
  assert.deepEqual(deletes(run), []);
});

test('the API going down mid-run: syncs keep working from the caches, records stay, changes resume when it is back', async () => {
  const { zones, flags, synced } = await syncedZone();
  const run = start([...flags, ...LOOP]);
  await run.log.waitFor(/All records are already up to date/);
  await fx.api.setDown(true);
  // Three periodic syncs while the API is down.
  await pump(run, () => run.log.lines(/All records are already up to date/).length >= 4, 'three syncs with the API down');
  assert.ok(run.log.lines(/Reconnecting to the Kubernetes API/).length > 0);
  assert.equal(await zoneText(zones), synced);

  await fx.api.setDown(false);
  await pump(run, () => fx.api.watchCount >= 4, 'the watches to come back');
  fx.api.update(lbService('web', '192.0.2.12'));
  await zoneEventually(zones, (t) => recordLine('web', 'A', '192.0.2.12').test(t), 'the change made after the API came back');
  await assertKept(zones);
});
