/**
 * The real kube-apiserver and etcd (test/support/real-kube, built by
 * scripts/build-kube-components.sh) in a process of their own, for the
 * real-server kube rows of `npm run bench`. Filled as admin through the real
 * API (create, then the status through the status subresource, as
 * controllers write it) with the objects of kube-objects.ts, then prints one
 * JSON line `{"url","kubeconfig"}` on stdout and stays up until stdin closes.
 *
 *   node bench/kube-real-child.ts [--services=N] [--ingresses=N] [--pods=N] [--namespaces=a,b]
 */
import { createKubeClient, type KubeClient } from '../src/kube/client.ts';
import { resolveKubeConnection } from '../src/kube/kubeconfig.ts';
import type { ApiObject, ResourceType } from '../src/kube/types.ts';
import { systemClock } from '../src/util/clock.ts';
import { startRealKube } from '../test/support/real-kube/cluster.ts';
import { announceAndServe, childArgs } from './kube-child.ts';
import { ingress, NAMESPACES, node, NODES, pod, service } from './kube-objects.ts';

const args = childArgs();

const type = (group: string, resource: string, kind: string, namespaced = true): ResourceType =>
  ({ group, version: 'v1', resource, kind, namespaced });
const TYPES = {
  Namespace: type('', 'namespaces', 'Namespace', false), Node: type('', 'nodes', 'Node', false), Service: type('', 'services', 'Service'),
  Ingress: type('networking.k8s.io', 'ingresses', 'Ingress'), Pod: type('', 'pods', 'Pod'),
} as const;

function omit(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}

/** What the server fills in itself (or refuses from a client) is left out; the status goes in a second request. */
function split(obj: Record<string, unknown>): { object: ApiObject; status?: unknown } {
  const { status, metadata, spec, ...rest } = obj as { kind: string; status?: unknown; metadata: Record<string, unknown>; spec?: Record<string, unknown> };
  let s = spec;
  if (rest.kind === 'Service' && s !== undefined) {
    // 10,000 LoadBalancers would need 20,000 node ports (the range holds 2,768): none are allocated.
    const ports = (s['ports'] as Record<string, unknown>[]).map((p) => omit(p, ['nodePort']));
    s = { ...omit(s, ['clusterIP', 'clusterIPs']), allocateLoadBalancerNodePorts: false, ports };
  }
  const object = { ...rest, metadata: omit(metadata, ['managedFields', 'generation']), ...(s === undefined ? {} : { spec: s }) };
  return { object: object as unknown as ApiObject, ...(status === undefined ? {} : { status }) };
}

async function put(client: KubeClient, obj: Record<string, unknown>): Promise<void> {
  const t = TYPES[obj['kind'] as keyof typeof TYPES];
  const { object, status } = split(obj);
  await client.create(t, object);
  if (status !== undefined) await client.patch(t, { namespace: object.metadata.namespace, name: object.metadata.name, subresource: 'status' }, { status });
}

/** Sends `count` objects with a few requests in flight. */
async function fill(client: KubeClient, count: number, make: (i: number) => Record<string, unknown>, parallel = 24): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await put(client, make(next++));
  }));
}

const kube = await startRealKube();
const connection = await resolveKubeConnection({ kubeconfig: kube.adminKubeconfig, env: {}, clock: systemClock });
const client = createKubeClient({ connection, clock: systemClock, qps: 1e6, burst: 1e6, requestTimeoutMs: 0 });
const namespaces = [...Array.from({ length: NAMESPACES }, (_, i) => `team-${i}`), ...args.namespaces];
await fill(client, namespaces.length, (i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaces[i] } }));
await fill(client, NODES, node);
await fill(client, args.services, service);
await fill(client, args.ingresses, ingress);
await fill(client, args.pods, pod);
await client.close();
announceAndServe({ url: kube.server, kubeconfig: kube.adminKubeconfig }, () => kube.close());
