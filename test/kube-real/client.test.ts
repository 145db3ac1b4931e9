/**
 * src/kube/client.ts against a real kube-apiserver (--watch-cache=false, so
 * lists with a continue token and watches read etcd, and its compaction
 * shows as 410): CRUD with server-set metadata, the status subresource, paging,
 * label and field selectors, watch events, and the coded errors the real
 * server's answers become (409, 404, 410, 422, 403 with the RBAC rule, 401).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeClient } from '../../src/kube/client.ts';
import type { ApiObject, ResourceType, WatchEvent } from '../../src/kube/types.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { rejectsWithKubeError } from '../support/kube-error.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { clientPool } from '../support/real-kube/forwarding-client.ts';

const SERVICES: ResourceType = { group: '', version: 'v1', resource: 'services', namespaced: true, kind: 'Service' };
const NODES: ResourceType = { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' };
const DNS_ENDPOINTS: ResourceType = { group: 'externaldns.k8s.io', version: 'v1alpha1', resource: 'dnsendpoints', namespaced: true, kind: 'DNSEndpoint' };
const CRD = new URL('../../deploy/crd/dnsendpoints.externaldns.k8s.io.yaml', import.meta.url).pathname;
const skip = realKubeUnavailable();
const clock = new FakeClock();

let kube: RealKube;
let client: KubeClient;
const clients = clientPool(clock);
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube({ apiServerArgs: ['--watch-cache=false'] });
  await kube.kubectl(['apply', '-f', CRD]);
  await kube.kubectl(['wait', '--for=condition=Established', 'crd/dnsendpoints.externaldns.k8s.io', '--timeout=60s']);
  client = await clients.open(kube.adminKubeconfig);
});
after(async () => {
  await clients.closeAll();
  await kube?.close();
});


function service(name: string, namespace = 'default', labels?: Record<string, string>): ApiObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, ...(labels === undefined ? {} : { labels }) },
    spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }] },
  };
}

test('create, get, update, patch and delete round-trip with the metadata the real server sets', { skip }, async () => {
  const created = await client.create(SERVICES, service('rt'));
  assert.match(created.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
  assert.match(created.metadata.resourceVersion ?? '', /^\d+$/);
  const got = await client.get(SERVICES, 'default', 'rt');
  assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(got.kind, 'Service');

  const updated = await client.update(SERVICES, { ...got, spec: { ...(got.spec as Record<string, unknown>), sessionAffinity: 'ClientIP' } });
  assert.equal((updated.spec).sessionAffinity, 'ClientIP');
  const relabelled = await client.patch(SERVICES, { namespace: 'default', name: 'rt' }, { metadata: { labels: { team: 'dns' } } });
  assert.deepEqual(relabelled.metadata.labels, { team: 'dns' });

  const stale = await rejectsWithKubeError(client.update(SERVICES, got));
  assert.equal(stale.code, 'EXTDNS_KUBE_CONFLICT');
  assert.equal(stale.status, 409);
  assert.equal(stale.transient, true);

  await client.delete(SERVICES, 'default', 'rt');
  const missing = await rejectsWithKubeError(client.get(SERVICES, 'default', 'rt'));
  assert.equal(missing.code, 'EXTDNS_KUBE_NOT_FOUND');
  assert.match(missing.message, /services "rt" not found/);
  const again = await rejectsWithKubeError(client.create(SERVICES, service('dup')).then(() => client.create(SERVICES, service('dup'))));
  assert.equal(again.code, 'EXTDNS_KUBE_CONFLICT');
  assert.equal(again.reason, 'AlreadyExists');
  const invalid = await rejectsWithKubeError(client.create(SERVICES, { ...service('no-ports'), spec: { type: 'ClusterIP' } }));
  assert.equal(invalid.code, 'EXTDNS_KUBE_INVALID');
  assert.equal(invalid.status, 422);
});

test('the DNSEndpoint status subresource changes only status and generation counts spec changes', { skip }, async () => {
  const input: ApiObject = {
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'recs', namespace: 'default' },
    spec: { endpoints: [{ dnsName: 'a.example.com', recordType: 'A', targets: ['192.0.2.1'] }] }, status: { observedGeneration: 99 },
  };
  const ep = await client.create(DNS_ENDPOINTS, input);
  assert.equal(ep.metadata.generation, 1);
  assert.equal((ep.status as { observedGeneration?: number } | undefined)?.observedGeneration, undefined, 'status is dropped on create');
  const withStatus = await client.updateStatus(DNS_ENDPOINTS, { ...ep, status: { observedGeneration: 1 }, spec: { endpoints: [] } });
  assert.deepEqual(withStatus.status, { observedGeneration: 1 });
  assert.equal((withStatus.spec as { endpoints: unknown[] }).endpoints.length, 1, 'spec ignored on /status');
  assert.equal(withStatus.metadata.generation, 1);
  const plain = await client.update(DNS_ENDPOINTS, { ...withStatus, status: { observedGeneration: 7 }, spec: { endpoints: [] } });
  assert.deepEqual(plain.status, { observedGeneration: 1 }, 'status ignored on the main resource');
  assert.equal(plain.metadata.generation, 2, 'a spec change bumps generation');
  const patched = await client.patch(DNS_ENDPOINTS, { namespace: 'default', name: 'recs', subresource: 'status' }, { status: { observedGeneration: 2 } });
  assert.deepEqual(patched.status, { observedGeneration: 2 });
  assert.equal(patched.metadata.generation, 2, 'a status change does not');
});

test('a version the CRD does not serve is a 404 that names the version read (a TLSRoute v1 on Gateway API before v1.5)', { skip }, async () => {
  const unserved = await rejectsWithKubeError(client.list({ ...DNS_ENDPOINTS, version: 'v1' }, { namespace: 'default' }));
  assert.equal(unserved.code, 'EXTDNS_KUBE_NOT_FOUND');
  assert.match(unserved.message, /does it serve version v1 \(extdns reads externaldns\.k8s\.io\/v1\)/);
});

test('list pages with limit and continue at one resourceVersion; an expired continue token after compaction is 410', { skip }, async () => {
  await kube.kubectl(['create', 'namespace', 'paging']);
  for (let i = 0; i < 7; i++) await client.create(SERVICES, service(`page-${i}`, 'paging'));
  const first = await client.list(SERVICES, { namespace: 'paging', limit: 3 });
  assert.equal(first.items.length, 3);
  assert.ok(first.continue !== undefined);
  assert.equal(first.items[0]?.kind, 'Service', 'built-in list items get their kind back');
  await client.create(SERVICES, service('page-late', 'paging'));
  const second = await client.list(SERVICES, { namespace: 'paging', limit: 3, continue: first.continue });
  const third = await client.list(SERVICES, { namespace: 'paging', limit: 3, continue: second.continue });
  assert.equal(third.continue, undefined);
  const names = [...first.items, ...second.items, ...third.items].map((i) => i.metadata.name);
  assert.deepEqual(names, [0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`), 'the late object is not in the snapshot');

  const expiring = await client.list(SERVICES, { namespace: 'paging', limit: 2 });
  await client.create(SERVICES, service('page-later', 'paging'));
  await kube.compactEtcd();
  const gone = await rejectsWithKubeError(client.list(SERVICES, { namespace: 'paging', limit: 2, continue: expiring.continue }));
  assert.equal(gone.code, 'EXTDNS_KUBE_GONE');
  assert.equal(gone.status, 410);
});

test('list filters with label selectors (=, !=, in, notin, exists) and field selectors', { skip }, async () => {
  const ns = 'kube-public';
  await client.create(SERVICES, service('sel-a', ns, { app: 'web', tier: 'front' }));
  await client.create(SERVICES, service('sel-b', ns, { app: 'api' }));
  await client.create(SERVICES, service('sel-c', ns));
  const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
    (await client.list(SERVICES, { namespace: ns, labelSelector, fieldSelector })).items.map((i) => i.metadata.name).sort();
  assert.deepEqual(await names('app=web'), ['sel-a']);
  assert.deepEqual(await names('app!=web'), ['sel-b', 'sel-c']);
  assert.deepEqual(await names('app in (web,api)'), ['sel-a', 'sel-b']);
  assert.deepEqual(await names('app notin (web)'), ['sel-b', 'sel-c']);
  assert.deepEqual(await names('tier'), ['sel-a']);
  assert.deepEqual(await names('!app'), ['sel-c']);
  assert.deepEqual(await names(undefined, 'metadata.name=sel-b'), ['sel-b']);
  // Services take a few spec fields as field selectors (spec.type, spec.clusterIP); other fields are refused.
  assert.deepEqual(await names(undefined, 'spec.type=ClusterIP'), ['sel-a', 'sel-b', 'sel-c']);
  const bad = await rejectsWithKubeError(names(undefined, 'spec.sessionAffinity=None'));
  assert.equal(bad.code, 'EXTDNS_KUBE_INVALID');
});

test('watch streams ADDED, MODIFIED and DELETED from a resourceVersion; a watch from before a compaction is 410 Gone', { skip }, async () => {
  const list = await client.list(NODES, {});
  const ac = new AbortController();
  const seen: WatchEvent[] = [];
  const done = (async () => {
    for await (const e of client.watch(NODES, { resourceVersion: list.resourceVersion }, ac.signal)) {
      seen.push(e);
      if (seen.length === 3) ac.abort();
    }
  })().catch((err: unknown) => err);
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
  await client.create(NODES, node);
  await client.patch(NODES, { name: 'n1' }, { metadata: { labels: { a: 'b' } } });
  await client.delete(NODES, undefined, 'n1');
  await done;
  assert.deepEqual(seen.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);

  await client.create(NODES, { ...node, metadata: { name: 'n2' } });
  await kube.compactEtcd();
  const err = await rejectsWithKubeError((async () => {
    for await (const e of client.watch(NODES, { resourceVersion: list.resourceVersion })) assert.fail(`no ${e.type} event from before a compaction`);
  })());
  assert.equal(err.code, 'EXTDNS_KUBE_GONE');
  assert.equal(err.status, 410);
});

test('403 names the missing RBAC rule and the ServiceAccount; 401 says the credentials were refused', { skip }, async () => {
  await kube.kubectl(['create', 'serviceaccount', 'reader', '-n', 'default']);
  await kube.kubectl(['create', 'role', 'reader', '-n', 'default', '--verb=get,list,watch', '--resource=services']);
  await kube.kubectl(['create', 'rolebinding', 'reader', '-n', 'default', '--role=reader', '--serviceaccount=default:reader']);
  const reader = await clients.open(await kube.tokenKubeconfig(await kube.serviceAccountToken('default', 'reader'), 'reader'));
  assert.ok(Array.isArray((await reader.list(SERVICES, { namespace: 'default' })).items));
  const denied = await rejectsWithKubeError(reader.create(SERVICES, service('nope')));
  assert.equal(denied.code, 'EXTDNS_KUBE_FORBIDDEN');
  assert.equal(denied.transient, false);
  assert.match(denied.message, /permission to create services in namespace "default"/);
  assert.match(denied.message, /\{apiGroups: \[""\], resources: \["services"\], verbs: \["create"\]\}/);
  assert.match(denied.message, /User "system:serviceaccount:default:reader" cannot create resource "services"/);
  const status = await rejectsWithKubeError(reader.updateStatus(DNS_ENDPOINTS, { apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'recs', namespace: 'default' } }));
  assert.match(status.message, /resources: \["dnsendpoints\/status"\], verbs: \["update"\]/);
  assert.match(status.message, /apiGroups: \["externaldns.k8s.io"\]/);

  const stranger = await clients.open(await kube.tokenKubeconfig('not-a-token', 'stranger'));
  const refused = await rejectsWithKubeError(stranger.list(SERVICES, {}));
  assert.equal(refused.code, 'EXTDNS_KUBE_UNAUTHORIZED');
  assert.match(refused.message, /refused extdns's credentials \(401 Unauthorized\)/);
});
