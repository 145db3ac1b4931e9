/**
 * Headless services (clusterIP: None): one record per name and address family
 * over the ready pods behind the service, read from its EndpointSlices. A pod
 * with spec.hostname also gets `<hostname>.<service name>`. Targets per pod:
 * the pod's own `target` annotation, else by the `endpoints-type` annotation
 * (NodeExternalIP: its node's ExternalIPs; HostIP: status.hostIP, also with
 * --publish-host-ip), else the EndpointSlice address.
 * Not-ready pods count only with spec.publishNotReadyAddresses or
 * --always-publish-not-ready-addresses.
 */
import { LabelKey, newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { AnnotationName, readAnnotations, targetsFrom } from '../annotations.ts';
import { fields, list, str, strings, type Fields, type KubeObject } from '../kube.ts';
import { suitableType } from './common.ts';
import { nodeAddresses, selectedPods, type ServiceContext } from './service-context.ts';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface SliceEndpoint {
  slice: KubeObject;
  entry: Fields;
}

export function headlessEndpoints(ctx: ServiceContext, hostname: string): Endpoint[] {
  const endpointsType = ctx.annotations.get(AnnotationName.endpointsType) ?? '';
  const publishPodIps = endpointsType !== 'NodeExternalIP' && endpointsType !== 'HostIP' && !ctx.options.publishHostIp;
  const publishNotReady = ctx.spec.publishNotReadyAddresses === true || ctx.options.alwaysPublishNotReadyAddresses;
  const pods = selectedPods(ctx);
  const targetsByKey = new Map<string, { name: string; type: string; targets: string[] }>();
  const add = (name: string, target: string): void => {
    const type = suitableType(target);
    const key = `${name}\u0000${type}`;
    const group = targetsByKey.get(key) ?? { name, type, targets: [] };
    group.targets.push(target);
    targetsByKey.set(key, group);
  };

  for (const { slice, entry } of sliceEndpoints(ctx)) {
    if (fields(entry.conditions).ready === false && !publishNotReady) continue;
    const addressType = str(fields(slice).addressType);
    if (publishPodIps && addressType !== 'IPv4' && addressType !== 'IPv6') continue;
    const pod = podFor(entry, pods);
    if (pod === undefined) {
      podNotFound(ctx, entry);
      continue;
    }
    for (const name of namesFor(pod, hostname)) {
      for (const target of targetsFor(ctx, { pod, entry, endpointsType })) add(name, target);
    }
  }

  return [...targetsByKey.values()]
    .sort((a, b) => (a.name === b.name ? cmp(a.type, b.type) : cmp(a.name, b.name)))
    .map((g) =>
      newEndpoint({
        dnsName: g.name,
        recordType: g.type,
        targets: [...new Set(g.targets)],
        recordTTL: ctx.ttl,
        labels: { [LabelKey.resource]: ctx.resource },
      }),
    );
}

/** The service's name, and `<pod spec.hostname>.<name>` when the pod sets one. */
function namesFor(pod: KubeObject, hostname: string): string[] {
  const podHostname = str(fields(pod.spec).hostname);
  return podHostname === '' ? [hostname] : [hostname, `${podHostname}.${hostname}`];
}

function cmp(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Endpoints of the EndpointSlices labelled with this service's name, in its namespace. */
function sliceEndpoints(ctx: ServiceContext): SliceEndpoint[] {
  const slices = ctx.store
    .list('EndpointSlice', ctx.svc.metadata.namespace)
    .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === ctx.svc.metadata.name);
  return slices.flatMap((slice) => list(fields(slice).endpoints).map((e) => ({ slice, entry: fields(e) })));
}

function podFor(entry: Fields, pods: readonly KubeObject[]): KubeObject | undefined {
  const ref = fields(entry.targetRef);
  // Kubernetes leaves targetRef.apiVersion empty for pods; "v1" is accepted too.
  const apiVersion = str(ref.apiVersion);
  if (str(ref.kind) !== 'Pod' || (apiVersion !== '' && apiVersion !== 'v1')) return undefined;
  return pods.find((p) => p.metadata.name === str(ref.name));
}

function podNotFound(ctx: ServiceContext, entry: Fields): void {
  const ref = fields(entry.targetRef);
  if (str(ref.kind) !== 'Pod') return; // not backed by a pod: nothing to publish, nothing wrong
  ctx.warnings.push({
    resource: ctx.resource,
    message: `EndpointSlice endpoint names pod "${str(ref.name)}", which is not among the pods selected by the service; that address is left out`,
  });
}

function targetsFor(ctx: ServiceContext, at: { pod: KubeObject; entry: Fields; endpointsType: string }): string[] {
  const own = targetsFrom(readAnnotations(at.pod.metadata.annotations, ctx.options.annotationPrefix));
  if (own.length > 0) return own;
  if (at.endpointsType === 'NodeExternalIP') return nodeExternalIps(ctx, at.pod);
  if (at.endpointsType === 'HostIP' || ctx.options.publishHostIp) {
    const hostIp = str(fields(at.pod.status).hostIP);
    return hostIp === '' ? [] : [hostIp];
  }
  const first = strings(at.entry.addresses)[0];
  if (first === undefined) {
    ctx.warnings.push({ resource: ctx.resource, message: `EndpointSlice endpoint of pod "${at.pod.metadata.name}" has no addresses` });
    return [];
  }
  return [first];
}

function nodeExternalIps(ctx: ServiceContext, pod: KubeObject): string[] {
  const nodeName = str(fields(pod.spec).nodeName);
  const node = ctx.store.list('Node').find((n) => n.metadata.name === nodeName);
  if (node === undefined) {
    ctx.warnings.push({
      resource: ctx.resource,
      message: `node "${nodeName}" of pod "${pod.metadata.name}" not found; no NodeExternalIP records for that pod`,
    });
    return [];
  }
  return nodeAddresses(node)
    .filter((a) => a.type === 'ExternalIP' || (ctx.options.exposeInternalIpv6 && a.type === 'InternalIP' && a.address.includes(':')))
    .map((a) => a.address);
}
