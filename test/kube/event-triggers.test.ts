/**
 * Which Kubernetes changes trigger a sync with --events, as in ExternalDNS:
 * the source's own objects always; a service's EndpointSlices only with
 * --listen-endpoint-events; Pods and Nodes (lookup data) never — they are read
 * at the next sync. Fewer triggers, fewer provider reads under pod churn.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createInformerHub } from '../../src/kube/informer-hub.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { createApiSource } from '../../src/source/api.ts';
import { LOOKUP_RESOURCES } from '../../src/source/translate.ts';
import { translateOptions } from '../../src/source/shapes.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { eventually, kubeFixture, type KubeFixture } from '../support/kube-api/setup.ts';

let fx: KubeFixture;
let client: KubeClient;
const clock = new FakeClock(Date.now());

before(async () => {
  fx = await kubeFixture();
  client = await fx.client({ clock });
});
after(() => fx.close());

const slice = (name: string, ip: string) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4', endpoints: [{ addresses: [ip], conditions: { ready: true } }],
});
const node = (name: string, ip: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'ExternalIP', address: ip }] } });
const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: 'None' } });

/** Events fired by the service source's handler for `change`, counted once the hub's cache of `resource` holds `name`. */
async function triggers(listenEndpointEvents: boolean, change: { apply: () => void; kind: 'EndpointSlice' | 'Node'; name: string }): Promise<number> {
  const stop = new AbortController();
  const hub = createInformerHub({ client, clock, random: seededRandom(2), logger: silentLogger });
  const source = createApiSource({
    name: 'service', translate: translateOptions(), namespace: '', labelFilter: '', annotationFilter: '',
    resolveLoadBalancerHostname: false, listenEndpointEvents,
  }, { hub, client, logger: silentLogger });
  let fired = 0;
  source.addEventHandler(() => { fired++; });
  hub.start(stop.signal);
  try {
    await eventually(() => hub.synced(), 'the caches');
    const before = fired; // the first lists' ADDED events
    change.apply();
    // The hub shares its caches: this is the source's own cache of that resource, and handlers run as it stores.
    const cache = hub.informer(LOOKUP_RESOURCES[change.kind], {}, (o) => o);
    await eventually(() => cache.get(change.kind === 'Node' ? undefined : 'default', change.name) !== undefined, `${change.kind} ${change.name} in the cache`);
    return fired - before;
  } finally {
    stop.abort();
  }
}

test('the service source: EndpointSlice changes trigger only with --listen-endpoint-events; Node changes never', async () => {
  fx.api.apply(service('web'));
  assert.equal(await triggers(false, { kind: 'EndpointSlice', name: 'web-a', apply: () => { fx.api.apply(slice('web-a', '10.0.0.1')); } }), 0);
  assert.equal(await triggers(true, { kind: 'EndpointSlice', name: 'web-b', apply: () => { fx.api.apply(slice('web-b', '10.0.0.2')); } }), 1);
  assert.equal(await triggers(true, { kind: 'Node', name: 'n1', apply: () => { fx.api.apply(node('n1', '192.0.2.1')); } }), 0);
});
