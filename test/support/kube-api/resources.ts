/**
 * The resource table of the test API server: one line per resource. Group ""
 * is the core group (served under /api/v1); everything else under /apis.
 */

export interface ResourceDef {
  readonly group: string;
  readonly version: string;
  /** Plural, lower case: the URL segment. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  /** True when the resource has a /status subresource (status is then ignored by plain updates). */
  readonly status?: boolean;
  /** A custom resource: list items keep apiVersion and kind (built-in lists drop them, like the real server). */
  readonly crd?: boolean;
}

const r = (gv: string, resource: string, kind: string, extra: Partial<ResourceDef> = {}): ResourceDef => {
  const [group = '', version = ''] = gv.includes('/') ? gv.split('/') : ['', gv];
  return { group, version, resource, kind, namespaced: true, ...extra };
};

export const DEFAULT_RESOURCES: readonly ResourceDef[] = [
  r('v1', 'namespaces', 'Namespace', { namespaced: false, shortNames: ['ns'], status: true }),
  r('v1', 'nodes', 'Node', { namespaced: false, shortNames: ['no'], status: true }),
  r('v1', 'pods', 'Pod', { shortNames: ['po'], status: true }),
  r('v1', 'services', 'Service', { shortNames: ['svc'], status: true }),
  r('v1', 'endpoints', 'Endpoints', { shortNames: ['ep'] }),
  r('v1', 'events', 'Event', { shortNames: ['ev'] }),
  r('discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice'),
  r('networking.k8s.io/v1', 'ingresses', 'Ingress', { shortNames: ['ing'], status: true }),
  r('coordination.k8s.io/v1', 'leases', 'Lease'),
  r('events.k8s.io/v1', 'events', 'Event', { shortNames: ['ev'] }),
  r('externaldns.k8s.io/v1alpha1', 'dnsendpoints', 'DNSEndpoint', { status: true, crd: true }),
  r('gateway.networking.k8s.io/v1', 'gateways', 'Gateway', { crd: true, shortNames: ['gtw'], status: true }),
  r('gateway.networking.k8s.io/v1', 'httproutes', 'HTTPRoute', { crd: true, status: true }),
  r('gateway.networking.k8s.io/v1', 'grpcroutes', 'GRPCRoute', { crd: true, status: true }),
  r('gateway.networking.k8s.io/v1', 'tlsroutes', 'TLSRoute', { crd: true, status: true }),
  r('gateway.networking.k8s.io/v1alpha2', 'tcproutes', 'TCPRoute', { crd: true, status: true }),
  r('gateway.networking.k8s.io/v1alpha2', 'udproutes', 'UDPRoute', { crd: true, status: true }),
];

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** `v1` or `group/version`. */
export function groupVersion(def: { group: string; version: string }): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}

/** `services` or `ingresses.networking.k8s.io`: how the API server names a resource in messages. */
export function qualifiedResource(def: { group: string; resource: string }): string {
  return def.group === '' ? def.resource : `${def.resource}.${def.group}`;
}

export function singular(def: ResourceDef): string {
  return def.kind.toLowerCase();
}
