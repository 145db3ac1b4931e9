/**
 * The one entry point from Kubernetes objects to endpoints, shared by the
 * manifest source and the API-backed sources: pick the kind's translation,
 * run it per object, then merge each kind's records the way ExternalDNS's
 * source for that kind does.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import { ExtdnsError } from '../errors/errors.ts';
import { SourceErrors } from './errors.ts';
import { DNSENDPOINT_API_VERSION, DNSENDPOINT_RESOURCE_PREFIX, translateDnsEndpoint } from './kinds/dnsendpoint.ts';
import { mergeEndpoints } from './kinds/common.ts';
import { INGRESS_CLASS_ANNOTATION, INGRESS_RESOURCE_PREFIX, translateIngress } from './kinds/ingress.ts';
import { ROUTE_KINDS, translateRoute, translateRoutes } from './kinds/gateway.ts';
import { NODE_RESOURCE_PREFIX, translateNode } from './kinds/node.ts';
import { POD_RESOURCE_PREFIX, translatePod } from './kinds/pod.ts';
import { mergeServiceEndpoints, SERVICE_RESOURCE_PREFIX, translateService } from './kinds/service.ts';
import type { KubeObject, LookupKind, ObjectStore } from './kube.ts';
import { PRUNERS, type Pruner } from './prune.ts';
import type { Selector } from './selector.ts';
import { SERVICE_TYPES, type TranslateOptions, type Translation } from './shapes.ts';

export interface KindTranslator {
  readonly apiVersion: string;
  /** First part of the `resource` label (`service/ns/name`). */
  readonly resourcePrefix: string;
  translate(obj: KubeObject, store: ObjectStore, options: TranslateOptions): Translation;
  /** All objects of the kind at once, when that saves work (routes build their Gateway table once). */
  translateAll?(objects: readonly KubeObject[], store: ObjectStore, options: TranslateOptions): Translation;
  /** Joins the records of all objects of this kind. */
  merge(endpoints: readonly Endpoint[]): Endpoint[];
}

export const ENDPOINT_KINDS = {
  Service: {
    apiVersion: 'v1',
    resourcePrefix: SERVICE_RESOURCE_PREFIX,
    translate: translateService,
    merge: mergeServiceEndpoints,
  },
  Ingress: {
    apiVersion: 'networking.k8s.io/v1',
    resourcePrefix: INGRESS_RESOURCE_PREFIX,
    translate: (obj, _store, options) => translateIngress(obj, options),
    merge: mergeEndpoints,
  },
  DNSEndpoint: {
    apiVersion: DNSENDPOINT_API_VERSION,
    resourcePrefix: DNSENDPOINT_RESOURCE_PREFIX,
    translate: (obj) => translateDnsEndpoint(obj),
    merge: mergeEndpoints,
  },
  Node: {
    apiVersion: 'v1',
    resourcePrefix: NODE_RESOURCE_PREFIX,
    translate: (obj, _store, options) => translateNode(obj, options),
    merge: mergeEndpoints,
  },
  Pod: {
    apiVersion: 'v1',
    resourcePrefix: POD_RESOURCE_PREFIX,
    translate: translatePod,
    merge: mergeEndpoints,
  },
  HTTPRoute: routeTranslator('HTTPRoute'),
  GRPCRoute: routeTranslator('GRPCRoute'),
  TLSRoute: routeTranslator('TLSRoute'),
  TCPRoute: routeTranslator('TCPRoute'),
  UDPRoute: routeTranslator('UDPRoute'),
} as const satisfies Record<string, KindTranslator>;

function routeTranslator(kind: keyof typeof ROUTE_KINDS): KindTranslator {
  return {
    apiVersion: ROUTE_KINDS[kind].apiVersion,
    resourcePrefix: kind.toLowerCase(),
    translate: translateRoute,
    translateAll: translateRoutes,
    merge: mergeEndpoints,
  };
}

export type EndpointKind = keyof typeof ENDPOINT_KINDS;

export function isEndpointKind(kind: string): kind is EndpointKind {
  return Object.hasOwn(ENDPOINT_KINDS, kind);
}

/**
 * Endpoints of all `objects` (kinds without a translation are lookup data and
 * are ignored here), only of `kinds` when given. Kinds come out in the order
 * of ENDPOINT_KINDS: Service, Ingress, DNSEndpoint, Node, Pod, then the routes.
 */
export function translateObjects(
  objects: readonly KubeObject[],
  store: ObjectStore,
  options: TranslateOptions,
  kinds?: readonly EndpointKind[],
): Translation {
  const out: Translation = { endpoints: [], warnings: [] };
  for (const [kind, translator] of Object.entries(ENDPOINT_KINDS) as [EndpointKind, KindTranslator][]) {
    if (kinds !== undefined && !kinds.includes(kind)) continue;
    const endpoints: Endpoint[] = [];
    const ofKind = objects.filter((o) => o.kind === kind);
    const results = translator.translateAll !== undefined
      ? [{ t: translator.translateAll(ofKind, store, options), obj: undefined }]
      : ofKind.map((obj) => ({ t: translator.translate(obj, store, options), obj }));
    for (const { t, obj } of results) {
      endpoints.push(...(kind === 'DNSEndpoint' ? t.endpoints : dropUnusableTargets(t, obj)));
      out.warnings.push(...t.warnings);
    }
    out.endpoints.push(...translator.merge(endpoints));
  }
  return out;
}

const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i;

function isHostName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => HOST_LABEL.test(label));
}

/**
 * Targets from annotations and statuses that are neither an IP address nor a
 * host name (a typo in a `target` annotation) would become CNAMEs a provider
 * rejects, failing the whole batch: leave those records out, with a warning.
 * DNSEndpoints are exempt: their records are taken as written.
 */
function dropUnusableTargets(t: Translation, obj: KubeObject | undefined): Endpoint[] {
  return t.endpoints.filter((ep) => {
    if (ep.recordType !== 'CNAME') return true;
    const bad = ep.targets.find((target) => !isHostName(target));
    if (bad === undefined) return true;
    t.warnings.push({
      resource: ep.labels.resource ?? (obj === undefined ? '' : `${obj.kind.toLowerCase()}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`),
      message: `target "${bad}" of ${ep.dnsName} is neither an IP address nor a host name; that record is left out. Fix the target annotation`,
    });
    return false;
  });
}

// ---- the API-backed sources, by --source name ----------------------------------------------

/** A Kubernetes resource to list and watch. */
export interface KubeResource {
  readonly kind: string;
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural, as in the URL path: `services`, `httproutes`. */
  readonly resource: string;
  readonly namespaced: boolean;
  /** A copy of `obj` with only the fields the translation reads; `prune.keep` names them, for the list parser. */
  readonly prune: Pruner;
}

export interface SourceKind extends KubeResource {
  readonly kind: EndpointKind;
  /** Resources the translation looks up through the ObjectStore (ListenerSets only with --gateway-listener-sets). */
  readonly lookups: readonly KubeResource[];
}

function resource(kind: keyof typeof PRUNERS, at: { group: string; version: string; resource: string; namespaced: boolean }): KubeResource {
  return { kind, ...at, prune: PRUNERS[kind] };
}

const GW = 'gateway.networking.k8s.io';

/** The lookup kinds as resources. */
export const LOOKUP_RESOURCES: Readonly<Record<LookupKind, KubeResource>> = {
  Node: resource('Node', { group: '', version: 'v1', resource: 'nodes', namespaced: false }),
  Pod: resource('Pod', { group: '', version: 'v1', resource: 'pods', namespaced: true }),
  EndpointSlice: resource('EndpointSlice', { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true }),
  Gateway: resource('Gateway', { group: GW, version: 'v1', resource: 'gateways', namespaced: true }),
  ListenerSet: resource('ListenerSet', { group: GW, version: 'v1', resource: 'listenersets', namespaced: true }),
  Namespace: resource('Namespace', { group: '', version: 'v1', resource: 'namespaces', namespaced: false }),
};

function sourceKind(kind: EndpointKind, plural: string, lookups: readonly LookupKind[]): SourceKind {
  const [group, version] = ENDPOINT_KINDS[kind].apiVersion.includes('/') ? ENDPOINT_KINDS[kind].apiVersion.split('/') : ['', ENDPOINT_KINDS[kind].apiVersion];
  return {
    kind,
    group: group ?? '',
    version: version ?? '',
    resource: plural,
    namespaced: kind !== 'Node',
    prune: PRUNERS[kind],
    lookups: lookups.map((l) => LOOKUP_RESOURCES[l]),
  };
}

const GATEWAY_LOOKUPS: readonly LookupKind[] = ['Gateway', 'Namespace', 'ListenerSet'];

/** The Kubernetes-backed `--source` names and the resource each translates. */
export const SOURCE_KINDS = {
  service: sourceKind('Service', 'services', ['Node', 'Pod', 'EndpointSlice']),
  ingress: sourceKind('Ingress', 'ingresses', []),
  crd: sourceKind('DNSEndpoint', 'dnsendpoints', []),
  node: sourceKind('Node', 'nodes', []),
  pod: sourceKind('Pod', 'pods', ['Node']),
  'gateway-httproute': sourceKind('HTTPRoute', 'httproutes', GATEWAY_LOOKUPS),
  'gateway-grpcroute': sourceKind('GRPCRoute', 'grpcroutes', GATEWAY_LOOKUPS),
  'gateway-tlsroute': sourceKind('TLSRoute', 'tlsroutes', GATEWAY_LOOKUPS),
  'gateway-tcproute': sourceKind('TCPRoute', 'tcproutes', GATEWAY_LOOKUPS),
  'gateway-udproute': sourceKind('UDPRoute', 'udproutes', GATEWAY_LOOKUPS),
} as const satisfies Record<string, SourceKind>;

export type KubeSourceName = keyof typeof SOURCE_KINDS;

export function isKubeSourceName(name: string): name is KubeSourceName {
  return Object.hasOwn(SOURCE_KINDS, name);
}

/** The lookups a source needs with these options (ListenerSets only with --gateway-listener-sets). */
export function lookupsFor(name: KubeSourceName, options: Pick<TranslateOptions, 'gatewayListenerSets'>): readonly KubeResource[] {
  return SOURCE_KINDS[name].lookups.filter((r) => r.kind !== 'ListenerSet' || options.gatewayListenerSets);
}

/**
 * Endpoints of one API-backed source: `objects` are its own kind's objects
 * (already held to --namespace, --label-filter and --annotation-filter), `store`
 * serves its lookups.
 */
export function translateKind(name: KubeSourceName, objects: readonly KubeObject[], store: ObjectStore, options: TranslateOptions): Translation {
  return translateObjects(objects, store, options, [SOURCE_KINDS[name].kind]);
}

/** Rejects option combinations ExternalDNS rejects at start-up. */
export function checkTranslateOptions(options: TranslateOptions, annotationFilter?: Selector): void {
  const fail = (message: string): never => {
    throw new ExtdnsError(SourceErrors.EXTDNS_SOURCE_OPTION_INVALID, message);
  };
  if (!options.annotationPrefix.endsWith('/')) {
    fail(`--annotation-prefix "${options.annotationPrefix}" must end with "/", e.g. "external-dns.kubernetes.io/"`);
  }
  for (const type of options.serviceTypeFilter) {
    if (type !== '' && !(SERVICE_TYPES as readonly string[]).includes(type)) {
      fail(`--service-type-filter "${type}" is not a service type; use one of ${SERVICE_TYPES.join(', ')}`);
    }
  }
  if (options.ingressClasses.length > 0 && annotationFilter?.requirements.some((r) => r.key === INGRESS_CLASS_ANNOTATION)) {
    fail(`--ingress-class cannot be combined with an --annotation-filter on ${INGRESS_CLASS_ANNOTATION}; use only one of them`);
  }
}
