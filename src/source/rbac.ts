/**
 * The Kubernetes permissions each API-backed source needs, the same rules
 * ExternalDNS's Helm chart grants per source. deploy/base/clusterrole.yaml
 * holds their union; rbac.test.ts keeps the two from drifting apart.
 */

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface SourceRule extends PolicyRule {
  /** The --source names that need this rule. */
  readonly sources: readonly string[];
  /** Why, for the comment in the ClusterRole. */
  readonly reason: string;
}

const READ = ['get', 'watch', 'list'] as const;
const GATEWAY_ROUTE_SOURCES = ['gateway-httproute', 'gateway-grpcroute', 'gateway-tlsroute', 'gateway-tcproute', 'gateway-udproute'] as const;
const GW = 'gateway.networking.k8s.io';

export const SOURCE_RULES: readonly SourceRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'], sources: ['service', 'node', 'pod'], reason: 'NodePort targets, node records, hostNetwork pods' },
  { apiGroups: [''], resources: ['pods'], verbs: READ, sources: ['service', 'pod'], reason: 'headless and externalTrafficPolicy=Local services, pod records' },
  { apiGroups: [''], resources: ['services'], verbs: READ, sources: ['service'], reason: 'the services themselves' },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ, sources: ['service'], reason: 'pod addresses of headless services' },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: READ, sources: ['ingress'], reason: 'the ingresses themselves' },
  { apiGroups: ['externaldns.k8s.io'], resources: ['dnsendpoints'], verbs: READ, sources: ['crd'], reason: 'the DNSEndpoints themselves' },
  { apiGroups: ['externaldns.k8s.io'], resources: ['dnsendpoints/status'], verbs: ['update', 'patch'], sources: ['crd'], reason: 'writing status.observedGeneration' },
  { apiGroups: [GW], resources: ['gateways', 'listenersets'], verbs: READ, sources: GATEWAY_ROUTE_SOURCES, reason: 'route parents (listenersets only with --gateway-listener-sets)' },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ, sources: GATEWAY_ROUTE_SOURCES, reason: 'allowedRoutes namespace selectors' },
  ...GATEWAY_ROUTE_SOURCES.map((source) => ({
    apiGroups: [GW],
    resources: [`${source.slice('gateway-'.length)}s`],
    verbs: READ,
    sources: [source],
    reason: 'the routes themselves',
  })),
];

/** Every --source name with rules. */
export const RBAC_SOURCES: readonly string[] = [...new Set(SOURCE_RULES.flatMap((r) => r.sources))];

/** The rules the given --source names need, in a fixed order, without repeats. */
export function rbacRulesFor(sources: readonly string[]): PolicyRule[] {
  return SOURCE_RULES.filter((r) => r.sources.some((s) => sources.includes(s))).map((r) => ({
    apiGroups: [...r.apiGroups],
    resources: [...r.resources],
    verbs: [...r.verbs],
  }));
}
