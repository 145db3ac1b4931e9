/**
 * --compatibility for services (ExternalDNS `source/compatibility.go`): the
 * annotations of older tools, read only when the usual annotations name nothing.
 *   mate                 zalando.org/dnsname → the load balancer status
 *   molecule             label dns=route53 + annotation domainName (comma list) → the load balancer status
 *   kops-dns-controller  dns.alpha.kubernetes.io/external and /internal:
 *                        LoadBalancer → the load balancer status (both annotations);
 *                        NodePort → nodes labelled node-role.kubernetes.io/node: ExternalIPs (and IPv6
 *                        InternalIPs with --expose-internal-ipv6) for external, InternalIPs for internal
 *                        (none when both are set)
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { fields, list, str, type KubeObject, type ObjectStore } from '../kube.ts';
import { endpointsForHostname } from './common.ts';
import { KOPS_EXTERNAL_ANNOTATION, KOPS_INTERNAL_ANNOTATION } from './pod.ts';
import { nodeAddresses } from './service-context.ts';

const MATE_ANNOTATION = 'zalando.org/dnsname';
const MOLECULE_ANNOTATION = 'domainName';
const KOPS_NODE_ROLE_LABEL = 'node-role.kubernetes.io/node';

export function compatibilityEndpoints(
  svc: KubeObject, store: ObjectStore, at: { compatibility: string; resource: string; exposeInternalIpv6: boolean },
): Endpoint[] {
  const annotations = svc.metadata.annotations ?? {};
  const forHosts = (hosts: readonly string[], targets: readonly string[]): Endpoint[] =>
    hosts.flatMap((hostname) => endpointsForHostname({ hostname, targets, ttl: 0, providerSpecific: [], setIdentifier: '', resource: at.resource }));
  switch (at.compatibility) {
    case 'mate': {
      const name = annotations[MATE_ANNOTATION];
      return name === undefined ? [] : forHosts([name], loadBalancerStatus(svc));
    }
    case 'molecule': {
      const names = annotations[MOLECULE_ANNOTATION];
      return svc.metadata.labels?.dns !== 'route53' || names === undefined ? [] : forHosts(split(names), loadBalancerStatus(svc));
    }
    case 'kops-dns-controller':
      return kopsEndpoints(svc, { store, exposeInternalIpv6: at.exposeInternalIpv6 }, forHosts);
    default:
      return [];
  }
}

function kopsEndpoints(
  svc: KubeObject, at: { store: ObjectStore; exposeInternalIpv6: boolean }, forHosts: (hosts: readonly string[], targets: readonly string[]) => Endpoint[],
): Endpoint[] {
  const external = svc.metadata.annotations?.[KOPS_EXTERNAL_ANNOTATION];
  const internal = svc.metadata.annotations?.[KOPS_INTERNAL_ANNOTATION];
  if (external === undefined && internal === undefined) return [];
  const type = str(fields(svc.spec).type);
  if (type === 'LoadBalancer') return forHosts([...split(external ?? ''), ...split(internal ?? '')], loadBalancerStatus(svc));
  if (type !== 'NodePort' || (external !== undefined && internal !== undefined)) return [];
  const isExternal = external !== undefined;
  const publicV6 = (a: { type: string; address: string }): boolean => at.exposeInternalIpv6 && a.type === 'InternalIP' && a.address.includes(':');
  const targets = at.store
    .list('Node')
    .filter((n) => Object.hasOwn(n.metadata.labels ?? {}, KOPS_NODE_ROLE_LABEL))
    .flatMap(nodeAddresses)
    .filter((a) => (isExternal ? a.type === 'ExternalIP' || publicV6(a) : a.type === 'InternalIP'))
    .map((a) => a.address);
  return forHosts(split(external ?? internal ?? ''), targets);
}

function loadBalancerStatus(svc: KubeObject): string[] {
  return list(fields(fields(svc.status).loadBalancer).ingress)
    .map(fields)
    .flatMap((e) => [str(e.ip), str(e.hostname)])
    .filter((t) => t !== '');
}

function split(value: string): string[] {
  return value.replace(/ /g, '').split(',').filter((h) => h !== '');
}
