/**
 * src/kube/client.ts against the test API server, for what only it can do on
 * demand: a BOOKMARK and a 410 at a chosen moment, a count of the requests a
 * 401 causes, 503/429 with Retry-After, an API that is not listening, the
 * rate limit and time limit on the injected clock. CRUD, the status
 * subresource, paging and selectors run against the real kube-apiserver:
 * test/kube-real/client.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../../src/errors/errors.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import type { ApiObject, WatchEvent } from '../../src/kube/types.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { rejectsWithKubeError } from '../support/kube-error.ts';
import { ALLOW_ALL } from '../support/kube-api-server.ts';
import { drain, eventually, kubeFixture, NODES, SERVICES, service, type KubeFixture } from '../support/kube-api/setup.ts';

let fx: KubeFixture;
let client: KubeClient;
const clock = new FakeClock();

before(async () => {
  fx = await kubeFixture({ users: [{ name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL }] });
  client = await fx.client({ clock });
  // The later tests read an existing Service.
  fx.api.create(service('dup'));
});
after(() => fx.close());

test('watch streams ADDED, MODIFIED, DELETED and BOOKMARK from a resourceVersion; ERROR 410 after compaction', async () => {
  const list = await client.list(NODES, {});
  const ac = new AbortController();
  const seen: WatchEvent[] = [];
  const done = (async () => {
    for await (const e of client.watch(NODES, { resourceVersion: list.resourceVersion, allowWatchBookmarks: true }, ac.signal)) seen.push(e);
  })().catch((err: unknown) => err);
  await eventually(() => fx.api.watchCount > 0, 'the watch to open');
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'ExternalIP', address: '203.0.113.1' }] } };
  fx.api.create(node);
  fx.api.update({ ...node, metadata: { name: 'n1', labels: { a: 'b' } } });
  fx.api.bookmark();
  fx.api.delete('v1', 'Node', undefined, 'n1');
  await eventually(() => seen.length === 4, 'four events');
  assert.deepEqual(seen.map((e) => e.type), ['ADDED', 'MODIFIED', 'BOOKMARK', 'DELETED']);
  const bookmark = seen[2];
  assert.ok(bookmark?.type === 'BOOKMARK' && Number(bookmark.resourceVersion) > Number(list.resourceVersion));
  ac.abort();
  await done;

  fx.api.compact();
  const stale = drain(client.watch(NODES, { resourceVersion: list.resourceVersion }));
  const err = await rejectsWithKubeError(stale);
  assert.equal(err.code, 'EXTDNS_KUBE_GONE');
  assert.match(err.message, /too old resource version/);
});

test('listEach hands each item over as it is read, typed, and resolves with the version and continue token alone', async () => {
  for (const name of ['each-a', 'each-b', 'each-c']) fx.api.create(service(name, {}, 'each'));
  const seen: (string | undefined)[][] = [];
  const note = (item: ApiObject): void => { seen.push([item.kind, item.apiVersion, item.metadata.name]); };
  const first = await client.listEach(SERVICES, { namespace: 'each', limit: 2 }, note);
  assert.deepEqual(seen, [['Service', 'v1', 'each-a'], ['Service', 'v1', 'each-b']]);
  assert.deepEqual(first.items, []);
  assert.ok(first.continue !== undefined && first.resourceVersion !== '');
  const rest = await client.listEach(SERVICES, { namespace: 'each', continue: first.continue }, note);
  assert.deepEqual(seen.at(-1), ['Service', 'v1', 'each-c']);
  assert.equal(rest.continue, undefined);
  // What the callback throws comes back as it is, not as a connection failure or a body that is not JSON.
  const mine = new SyntaxError('from the callback');
  await assert.rejects(client.listEach(SERVICES, { namespace: 'each' }, () => { throw mine; }), (err) => err === mine);
});

test('a 401 is tried once more with refreshed credentials, then reported (the messages of 403 and 401 are checked on the real server)', async () => {
  const stranger = await fx.client({ clock, token: 'who-is-this' });
  const refused = await rejectsWithKubeError(stranger.list(SERVICES, {}));
  assert.equal(refused.code, 'EXTDNS_KUBE_UNAUTHORIZED');
  const unauthorizedTries = fx.api.requests.filter((r) => r.user === undefined && r.path === '/api/v1/services').length;
  assert.equal(unauthorizedTries, 2, 'one retry with refreshed credentials after a 401');
});

test('503 and 429 with Retry-After are retried after the wait the server asks for, then reported as transient', async () => {
  await fx.api.setDown('unavailable');
  const before = fx.api.requests.length;
  const pending = rejectsWithKubeError(client.list(SERVICES, {}));
  for (let i = 0; i < 3; i++) {
    await eventually(() => clock.pending > 0, 'the Retry-After wait');
    await clock.advance(1000);
  }
  const busy = await pending;
  assert.equal(fx.api.requests.length - before, 4, 'the first try and three retries');
  assert.equal(busy.code, 'EXTDNS_KUBE_UNAVAILABLE');
  assert.equal(busy.transient, true);
  assert.equal(busy.retryAfterMs, 1000);

  await fx.api.setDown('throttle');
  const recovering = client.list(SERVICES, {});
  await eventually(() => clock.pending > 0, 'the 429 wait');
  await clock.advance(1999);
  assert.equal(clock.pending, 1);
  assert.equal(clock.nextDueIn, 1, 'still waiting the 2 s the server asked for');
  await fx.api.setDown(false);
  await clock.advance(1);
  assert.ok((await recovering).items.length > 0, 'succeeds once the server accepts again');
});

test('an API that is not listening gives a transient error naming the server', async () => {
  await fx.api.setDown(true);
  const down = await rejectsWithKubeError(client.list(SERVICES, {}));
  assert.equal(down.code, 'EXTDNS_KUBE_UNAVAILABLE');
  assert.match(down.message, new RegExp(`cannot reach the Kubernetes API at ${fx.api.url}`));
  await fx.api.setDown(false);
  assert.ok((await client.list(SERVICES, {})).items.length > 0);
  assert.ok(ExtdnsError.is(down));
});

test('requests beyond the burst wait for tokens at --kube-api-qps on the injected clock', async () => {
  const limited = await fx.client({ clock, qps: 5, burst: 2 });
  const before = fx.api.requests.length;
  let finished = 0;
  const all = Array.from({ length: 6 }, () => limited.get(SERVICES, 'default', 'dup').then(() => { finished++; }));
  await eventually(() => finished === 2, 'the burst');
  // The other four are parked on the injected clock, waiting for tokens: nothing else can send them.
  await eventually(() => clock.pending > 0, 'the limiter to wait on the clock');
  assert.equal(finished, 2);
  assert.equal(fx.api.requests.length - before, 2, 'only the burst went out before time moved');
  await clock.advance(200);
  await eventually(() => finished === 3, 'one more after 200 ms at 5 qps');
  await clock.advance(600);
  await Promise.all(all);
  assert.equal(fx.api.requests.length - before, 6);
});

test('--kube-api-request-timeout cuts a request short on the injected clock', async () => {
  const timed = await fx.client({ clock, requestTimeoutMs: 5000 });
  await fx.api.setDown('stall');
  const before = fx.api.requests.length;
  const slow = rejectsWithKubeError(timed.get(SERVICES, 'default', 'dup'));
  await eventually(() => fx.api.requests.length > before, 'the request to arrive');
  await clock.advance(4999);
  let settled = false;
  void slow.then(() => { settled = true; });
  await clock.advance(0);
  assert.equal(settled, false, 'still waiting before the limit');
  assert.equal(clock.nextDueIn, 1, 'the limit is 1 ms away');
  await clock.advance(1);
  const err = await slow;
  assert.equal(err.code, 'EXTDNS_KUBE_UNAVAILABLE');
  assert.match(err.message, /did not answer get services within 5000 ms \(--kube-api-request-timeout\)/);
  await fx.api.setDown(false);
  // A watch is never cut short: it has no time limit.
  const ac = new AbortController();
  const w = drain(timed.watch(SERVICES, { namespace: 'default' }, ac.signal)).catch(() => 'aborted');
  await eventually(() => fx.api.watchCount > 0, 'the watch');
  await clock.advance(10_000);
  assert.equal(fx.api.watchCount, 1);
  ac.abort();
  assert.equal(await w, 'aborted');
});
