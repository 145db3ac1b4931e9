/**
 * The informers against the real kube-apiserver, with the deployed
 * ServiceAccount's token.
 *
 * Which changes trigger a sync with --events, as in ExternalDNS: the source's
 * own objects always; a service's EndpointSlices only with
 * --listen-endpoint-events; Pods and Nodes (lookup data) never — they are read
 * at the next sync. Fewer triggers, fewer provider reads under pod churn.
 *
 * A 403 from the real RBAC on list (logged with the rule, retried until a
 * Role allows it) and a label selector whose matches change.
 *
 * Watch bookmarks: src/kube/informer.ts watches
 * with allowWatchBookmarks, and kube-apiserver sends a BOOKMARK 2 s before a
 * watch's timeoutSeconds (otherwise once a minute), so the informer here asks
 * for 4 s watches. A bookmark carries the resourceVersion of the server's
 * watch cache for the resource, and is sent only when that is newer than what
 * the watch has seen: here Services change in another namespace than the one
 * the informer watches (as with --namespace in a busy cluster). The informer
 * keeps the bookmark's resourceVersion, and the next watch resumes from it:
 * no second list.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeClient } from '../../src/kube/client.ts';
import { createInformer } from '../../src/kube/informer.ts';
import { createInformerHub } from '../../src/kube/informer-hub.ts';
import type { ApiObject, ListOptions, ObjectList, ResourceType, WatchEvent, WatchOptions } from '../../src/kube/types.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { createApiSource } from '../../src/source/api.ts';
import { translateOptions } from '../../src/source/shapes.ts';
import { LOOKUP_RESOURCES } from '../../src/source/translate.ts';
import { systemClock } from '../../src/util/clock.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { eventually } from '../support/eventually.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { deployExtdns } from '../support/real-kube/deployed.ts';
import { ForwardingClient, unlimitedClient } from '../support/real-kube/forwarding-client.ts';

const SERVICES: ResourceType = { group: '', version: 'v1', resource: 'services', namespaced: true, kind: 'Service' };
const skip = realKubeUnavailable();

let kube: RealKube;
let admin: KubeClient;
let serviceAccount: KubeClient;
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  const deployed = await deployExtdns(kube);
  admin = await unlimitedClient(kube.adminKubeconfig, systemClock);
  serviceAccount = await unlimitedClient(deployed.kubeconfig, systemClock);
});
after(async () => {
  await admin?.close();
  await serviceAccount?.close();
  await kube?.close();
});

interface WatchCall {
  readonly options: WatchOptions;
  /** The resourceVersions of the BOOKMARKs this watch received, in order. */
  readonly bookmarks: string[];
}

/** Passes every call on, noting the lists, each watch's options and the bookmarks it received. */
class NotingClient extends ForwardingClient {
  lists = 0;
  readonly watches: WatchCall[] = [];

  override list<T extends ApiObject>(type: ResourceType, options: ListOptions, signal?: AbortSignal): Promise<ObjectList<T>> {
    this.lists++;
    return this.inner.list<T>(type, options, signal);
  }

  override listEach<T extends ApiObject>(type: ResourceType, options: ListOptions, each: (item: T) => void, signal?: AbortSignal): Promise<ObjectList<T>> {
    this.lists++;
    return this.inner.listEach<T>(type, options, each, signal);
  }

  override async *watch<T extends ApiObject>(type: ResourceType, options: WatchOptions, signal?: AbortSignal): AsyncIterable<WatchEvent<T>> {
    const call: WatchCall = { options, bookmarks: [] };
    this.watches.push(call);
    for await (const event of this.inner.watch<T>(type, options, signal)) {
      if (event.type === 'BOOKMARK') call.bookmarks.push(event.resourceVersion);
      yield event;
    }
  }
}

function service(name: string, namespace = 'watched'): ApiObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }] } };
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a real BOOKMARK moves the informer\'s resourceVersion, and the next watch resumes from it without a list', { skip }, async () => {
  await kube.kubectl(['create', 'namespace', 'watched']);
  await admin.create(SERVICES, service('before'));
  const client = new NotingClient(serviceAccount);
  const { logger } = captureLogger();
  const informer = createInformer({
    client, resource: SERVICES, namespace: 'watched', clock: systemClock, random: seededRandom(1), logger, watchTimeoutSeconds: 4,
  });
  const stop = new AbortController();
  const running = informer.start(stop.signal);
  try {
    await informer.waitForSync(AbortSignal.timeout(30_000));
    const listed = informer.resourceVersion();
    // The first list comes from the server's watch cache (resourceVersion 0), which may lag a write of a moment ago.
    await until(() => informer.get('watched', 'before') !== undefined, 'the Service created before the informer');
    // Services the informer does not watch move the server's Service watch cache on: the bookmark is newer than the list.
    for (const name of ['one', 'two', 'three']) await admin.create(SERVICES, service(name, 'default'));
    // The first watch with a bookmark and the one after it (each watch ends after 4 s).
    const withBookmark = (): number => client.watches.findIndex((w, i) => w.bookmarks.length > 0 && i + 1 < client.watches.length);
    await until(() => withBookmark() >= 0, 'a watch with a BOOKMARK, ended by its timeout, and the next watch');
    assert.equal(client.watches[0]?.options.resourceVersion, listed, 'the first watch starts at the list');
    assert.ok(client.watches.every((w) => w.options.allowWatchBookmarks === true));
    const i = withBookmark();
    const bookmark = client.watches[i]!.bookmarks.at(-1)!;
    assert.ok(BigInt(bookmark) > BigInt(listed), `the bookmark (${bookmark}) is newer than the list (${listed})`);
    assert.equal(client.watches[i + 1]?.options.resourceVersion, bookmark, 'the next watch starts where the bookmark left the cache');
    assert.equal(client.lists, 1, 'no second list');

    // The resumed watch still delivers changes.
    await admin.create(SERVICES, service('after'));
    await until(() => informer.get('watched', 'after') !== undefined, 'the new Service in the cache');
    assert.equal(client.lists, 1, 'still no second list');
    assert.deepEqual(informer.list().map((o) => o.metadata.name).sort(), ['after', 'before'], 'only the watched namespace');
  } finally {
    stop.abort();
    await running;
  }
});

const ENDPOINT_SLICES: ResourceType = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };
const NODES: ResourceType = { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' };

const slice = (name: string, ip: string): ApiObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { name, namespace: 'triggers', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4', endpoints: [{ addresses: [ip], conditions: { ready: true } }],
});
const node = (name: string, ip: string): ApiObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'ExternalIP', address: ip }] } });

/** Events fired by the service source's handler for `change`, counted once the hub's cache of `kind` holds `name`. */
async function triggers(listenEndpointEvents: boolean, change: { apply: () => Promise<unknown>; kind: 'EndpointSlice' | 'Node'; name: string }): Promise<number> {
  const stop = new AbortController();
  const client = serviceAccount;
  const hub = createInformerHub({ client, clock: systemClock, random: seededRandom(2), logger: silentLogger });
  const source = createApiSource({
    name: 'service', translate: translateOptions(), namespace: '', labelFilter: '', annotationFilter: '',
    resolveLoadBalancerHostname: false, listenEndpointEvents,
  }, { hub, client, logger: silentLogger });
  let fired = 0;
  source.addEventHandler(() => { fired++; });
  hub.start(stop.signal);
  try {
    await eventually(() => hub.synced(), 'the caches', 20_000);
    const before = fired; // the first lists' ADDED events
    await change.apply();
    // The hub shares its caches: this is the source's own cache of that resource, and handlers run as it stores.
    const cache = hub.informer(LOOKUP_RESOURCES[change.kind], {}, (o) => o);
    await eventually(() => cache.get(change.kind === 'Node' ? undefined : 'triggers', change.name) !== undefined, `${change.kind} ${change.name} in the cache`, 20_000);
    return fired - before;
  } finally {
    stop.abort();
  }
}

test('the service source: EndpointSlice changes trigger only with --listen-endpoint-events; Node changes never', { skip }, async () => {
  await kube.kubectl(['create', 'namespace', 'triggers']);
  await admin.create(SERVICES, { ...service('web', 'triggers'), spec: { type: 'ClusterIP', clusterIP: 'None' } });
  assert.equal(await triggers(false, { kind: 'EndpointSlice', name: 'web-a', apply: () => admin.create(ENDPOINT_SLICES, slice('web-a', '10.0.0.1')) }), 0);
  assert.equal(await triggers(true, { kind: 'EndpointSlice', name: 'web-b', apply: () => admin.create(ENDPOINT_SLICES, slice('web-b', '10.0.0.2')) }), 1);
  assert.equal(await triggers(true, { kind: 'Node', name: 'n1', apply: () => admin.create(NODES, node('n1', '192.0.2.1')) }), 0);
});

/** A started informer of the Services of `namespace`, with every change noted as "TYPE name". */
function startNoting(client: KubeClient, namespace: string, labelSelector?: string) {
  const log = captureLogger();
  const informer = createInformer({
    client, resource: SERVICES, namespace, clock: systemClock, random: seededRandom(7), logger: log.logger,
    ...(labelSelector === undefined ? {} : { labelSelector }),
  });
  const events: string[] = [];
  informer.onChange((e) => { events.push(`${e.type} ${e.object.metadata.name}`); });
  const ac = new AbortController();
  const running = informer.start(ac.signal);
  const stop = async (): Promise<void> => {
    ac.abort();
    await running;
  };
  return { informer, events, log, stop };
}

test('a real 403 on list is logged with the RBAC rule, retried, and the informer syncs once the Role allows it', { skip }, async () => {
  await kube.kubectl(['create', 'namespace', 'inf-forbidden']);
  await kube.kubectl(['create', 'serviceaccount', 'limited', '-n', 'inf-forbidden']);
  await kube.kubectl(['create', 'role', 'limited', '-n', 'inf-forbidden', '--verb=get', '--resource=services']);
  await kube.kubectl(['create', 'rolebinding', 'limited', '-n', 'inf-forbidden', '--role=limited', '--serviceaccount=inf-forbidden:limited']);
  const limited = await unlimitedClient(await kube.tokenKubeconfig(await kube.serviceAccountToken('inf-forbidden', 'limited'), 'limited'), systemClock);
  const { informer, log, stop } = startNoting(limited, 'inf-forbidden');
  try {
    await until(() => informer.lastError() !== undefined, 'the refused list');
    assert.equal(informer.hasSynced(), false);
    assert.match(informer.lastError()?.message ?? '', /verbs: \["list"\]/);
    assert.match(log.text(), /warning Reconnecting to the Kubernetes API .*EXTDNS_KUBE_FORBIDDEN.*cannot list resource \\"services\\" in API group \\"\\" in the namespace \\"inf-forbidden\\"/);
    await kube.kubectl(['create', 'role', 'listing', '-n', 'inf-forbidden', '--verb=list,watch', '--resource=services']);
    await kube.kubectl(['create', 'rolebinding', 'listing', '-n', 'inf-forbidden', '--role=listing', '--serviceaccount=inf-forbidden:limited']);
    await informer.waitForSync(AbortSignal.timeout(30_000));
  } finally {
    await stop();
    await limited.close();
  }
});

test('a label selector on the real server: objects that stop matching are deleted from the cache', { skip }, async () => {
  await kube.kubectl(['create', 'namespace', 'inf-labels']);
  const labelled = (name: string, dns?: string): ApiObject => {
    const s = service(name, 'inf-labels');
    return { ...s, metadata: { ...s.metadata, ...(dns === undefined ? {} : { labels: { dns } }) } };
  };
  await admin.create(SERVICES, labelled('in', 'yes'));
  await admin.create(SERVICES, labelled('out'));
  const { informer, events, stop } = startNoting(serviceAccount, 'inf-labels', 'dns=yes');
  try {
    await informer.waitForSync(AbortSignal.timeout(30_000));
    await until(() => events.length === 1, 'the matching Service (the first list may lag the writes of a moment ago)');
    assert.deepEqual(informer.list().map((s) => s.metadata.name), ['in']);
    await admin.patch(SERVICES, { namespace: 'inf-labels', name: 'in' }, { metadata: { labels: { dns: 'no' } } });
    await admin.patch(SERVICES, { namespace: 'inf-labels', name: 'out' }, { metadata: { labels: { dns: 'yes' } } });
    await until(() => events.length === 3, 'two transitions');
    assert.deepEqual(events, ['ADDED in', 'DELETED in', 'ADDED out']);
  } finally {
    await stop();
  }
});
