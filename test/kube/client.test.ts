/** src/kube/client.ts against the test API server: CRUD, status, paging, watch, coded errors, rate limit. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { KubeApiError } from '../../src/kube/api-error.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import type { ApiObject, WatchEvent } from '../../src/kube/types.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { ALLOW_ALL } from '../support/kube-api-server.ts';
import { DNS_ENDPOINTS, drain, eventually, kubeFixture, NODES, SERVICES, service, type KubeFixture } from '../support/kube-api/setup.ts';

let fx: KubeFixture;
let client: KubeClient;
const clock = new FakeClock();

before(async () => {
  fx = await kubeFixture({
    users: [
      { name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL },
      { name: 'system:serviceaccount:external-dns:external-dns', tokens: ['reader'],
        rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['services'] }] },
    ],
  });
  client = await fx.client({ clock });
});
after(() => fx.close());

async function rejects(p: Promise<unknown>): Promise<KubeApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(KubeApiError.isKube(err), `expected a KubeApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

test('create, get, update, patch and delete round-trip with server-set metadata', async () => {
  const created = await client.create(SERVICES, service('rt'));
  assert.equal(created.metadata.generation, 1);
  assert.match(created.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
  const got = await client.get(SERVICES, 'default', 'rt');
  assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(got.kind, 'Service');

  const updated = await client.update(SERVICES, { ...got, spec: { type: 'LoadBalancer' } });
  assert.equal(updated.metadata.generation, 2, 'a spec change bumps generation');
  const relabelled = await client.patch(SERVICES, { namespace: 'default', name: 'rt' }, { metadata: { labels: { team: 'dns' } } });
  assert.equal(relabelled.metadata.generation, 2, 'a metadata change does not');
  assert.deepEqual(relabelled.metadata.labels, { team: 'dns' });

  const stale = await rejects(client.update(SERVICES, got));
  assert.equal(stale.code, 'EXTDNS_KUBE_CONFLICT');
  assert.equal(stale.status, 409);
  assert.equal(stale.transient, true);

  await client.delete(SERVICES, 'default', 'rt');
  const missing = await rejects(client.get(SERVICES, 'default', 'rt'));
  assert.equal(missing.code, 'EXTDNS_KUBE_NOT_FOUND');
  assert.match(missing.message, /services "rt" not found/);
  const again = await rejects(client.create(SERVICES, service('dup')).then(() => client.create(SERVICES, service('dup'))));
  assert.equal(again.code, 'EXTDNS_KUBE_CONFLICT');
  assert.equal(again.reason, 'AlreadyExists');
});

test('the status subresource changes only status; a plain update cannot change status', async () => {
  const input: ApiObject = {
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'recs', namespace: 'default' },
    spec: { endpoints: [{ dnsName: 'a.example.com', recordType: 'A', targets: ['192.0.2.1'] }] }, status: { observedGeneration: 99 },
  };
  const ep = await client.create(DNS_ENDPOINTS, input);
  assert.equal(ep.status, undefined, 'status is dropped on create');
  const withStatus = await client.updateStatus(DNS_ENDPOINTS, { ...ep, status: { observedGeneration: 1 }, spec: { endpoints: [] } });
  assert.deepEqual(withStatus.status, { observedGeneration: 1 });
  assert.equal((withStatus.spec as { endpoints: unknown[] }).endpoints.length, 1, 'spec ignored on /status');
  assert.equal(withStatus.metadata.generation, 1);
  const plain = await client.update(DNS_ENDPOINTS, { ...withStatus, status: { observedGeneration: 7 } });
  assert.deepEqual(plain.status, { observedGeneration: 1 }, 'status ignored on the main resource');
  const patched = await client.patch(DNS_ENDPOINTS, { namespace: 'default', name: 'recs', subresource: 'status' }, { status: { observedGeneration: 2 } });
  assert.deepEqual(patched.status, { observedGeneration: 2 });
  assert.ok(Number(patched.metadata.resourceVersion) > Number(plain.metadata.resourceVersion));
});

test('list pages with limit and continue at one resourceVersion; built-in items get kind back', async () => {
  for (let i = 0; i < 7; i++) fx.api.create(service(`page-${i}`, {}, 'kube-system'));
  const first = await client.list(SERVICES, { namespace: 'kube-system', limit: 3 });
  assert.equal(first.items.length, 3);
  assert.ok(first.continue !== undefined);
  assert.equal(first.items[0]?.kind, 'Service');
  fx.api.create(service('page-late', {}, 'kube-system'));
  const second = await client.list(SERVICES, { namespace: 'kube-system', limit: 3, continue: first.continue });
  const third = await client.list(SERVICES, { namespace: 'kube-system', limit: 3, continue: second.continue });
  assert.equal(third.continue, undefined);
  const names = [...first.items, ...second.items, ...third.items].map((i) => i.metadata.name);
  assert.deepEqual(names, [0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`), 'the late object is not in the snapshot');
  assert.equal(second.resourceVersion, first.resourceVersion);

  const expiring = await client.list(SERVICES, { namespace: 'kube-system', limit: 2 });
  fx.api.compact();
  const gone = await rejects(client.list(SERVICES, { namespace: 'kube-system', limit: 2, continue: expiring.continue }));
  assert.equal(gone.code, 'EXTDNS_KUBE_GONE');
  assert.equal(gone.status, 410);
});

test('list filters with label selectors (=, !=, in, notin, exists) and field selectors', async () => {
  const ns = 'kube-public';
  fx.api.create(service('sel-a', { metadata: { name: 'sel-a', namespace: ns, labels: { app: 'web', tier: 'front' } } }));
  fx.api.create(service('sel-b', { metadata: { name: 'sel-b', namespace: ns, labels: { app: 'api' } } }));
  fx.api.create(service('sel-c', { metadata: { name: 'sel-c', namespace: ns } }));
  const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
    (await client.list(SERVICES, { namespace: ns, labelSelector, fieldSelector })).items.map((i) => i.metadata.name);
  assert.deepEqual(await names('app=web'), ['sel-a']);
  assert.deepEqual(await names('app!=web'), ['sel-b', 'sel-c']);
  assert.deepEqual(await names('app in (web,api)'), ['sel-a', 'sel-b']);
  assert.deepEqual(await names('app notin (web)'), ['sel-b', 'sel-c']);
  assert.deepEqual(await names('tier'), ['sel-a']);
  assert.deepEqual(await names('!app'), ['sel-c']);
  assert.deepEqual(await names(undefined, 'metadata.name=sel-b'), ['sel-b']);
  const bad = await rejects(names(undefined, 'spec.type=ClusterIP'));
  assert.equal(bad.code, 'EXTDNS_KUBE_INVALID');
});

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
  const err = await rejects(stale);
  assert.equal(err.code, 'EXTDNS_KUBE_GONE');
  assert.match(err.message, /too old resource version/);
});

test('403 names the missing RBAC rule; 401 says the credentials were refused', async () => {
  const reader = await fx.client({ clock, token: 'reader' });
  const denied = await rejects(reader.create(SERVICES, service('nope')));
  assert.equal(denied.code, 'EXTDNS_KUBE_FORBIDDEN');
  assert.equal(denied.transient, false);
  assert.match(denied.message, /permission to create services in namespace "default"/);
  assert.match(denied.message, /\{apiGroups: \[""\], resources: \["services"\], verbs: \["create"\]\}/);
  assert.match(denied.message, /User "system:serviceaccount:external-dns:external-dns" cannot create resource "services"/);
  const status = await rejects(reader.updateStatus(DNS_ENDPOINTS, { apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'recs', namespace: 'default' } }));
  assert.match(status.message, /resources: \["dnsendpoints\/status"\], verbs: \["update"\]/);
  assert.match(status.message, /apiGroups: \["externaldns.k8s.io"\]/);

  const stranger = await fx.client({ clock, token: 'who-is-this' });
  const refused = await rejects(stranger.list(SERVICES, {}));
  assert.equal(refused.code, 'EXTDNS_KUBE_UNAUTHORIZED');
  assert.match(refused.message, /refused extdns's credentials \(401 Unauthorized\)/);
  const unauthorizedTries = fx.api.requests.filter((r) => r.user === undefined && r.path === '/api/v1/services').length;
  assert.equal(unauthorizedTries, 2, 'one retry with refreshed credentials after a 401');
});

test('503 and 429 with Retry-After are retried after the wait the server asks for, then reported as transient', async () => {
  await fx.api.setDown('unavailable');
  const before = fx.api.requests.length;
  const pending = rejects(client.list(SERVICES, {}));
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
  const down = await rejects(client.list(SERVICES, {}));
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
  const slow = rejects(timed.get(SERVICES, 'default', 'dup'));
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
