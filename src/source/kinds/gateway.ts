/**
 * Gateway API routes → endpoints (ExternalDNS `source/gateway.go` and
 * `gateway_*route.go`).
 *
 * A route is published through each parent listed in its status.parents whose
 * parentRef is also in spec.parentRefs, that is a Gateway (or, with
 * --gateway-listener-sets, a ListenerSet) in scope, and whose Accepted
 * condition is True. Through each listener of that parent (the parentRef's
 * sectionName, else all) whose protocol and port fit and whose allowedRoutes
 * admit the route's namespace and kind, every route hostname that overlaps the
 * listener hostname (wildcards as suffix matches; the more specific name
 * wins) becomes a record. Routes without spec.hostnames take the listener's
 * hostname. Targets: the parent's `target` annotation, else the Gateway's
 * status.addresses.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { AnnotationName, controllerMatches, hostnamesFrom, providerSpecificFrom, readAnnotations, ttlFrom, type AnnotationSet } from '../annotations.ts';
import { fields, list, num, str, strings, type Fields, type KubeObject, type ObjectStore } from '../kube.ts';
import type { SourceWarning, TranslateOptions, Translation } from '../shapes.ts';
import { endpointsForHostname, runTemplate, suitableType } from './common.ts';
import { buildParentTable, conditionTrue, GATEWAY_GROUP, GATEWAY_KIND, labelSelectorMatches, LISTENER_SET_KIND, type ParentTable, type RouteParent } from './gateway-parents.ts';
import { withOrigin } from '../origin.ts';

export { GATEWAY_GROUP } from './gateway-parents.ts';

/** The route kinds, with the protocol their listeners must speak. */
export const ROUTE_KINDS = {
  HTTPRoute: { apiVersion: `${GATEWAY_GROUP}/v1`, protocol: 'HTTP' },
  GRPCRoute: { apiVersion: `${GATEWAY_GROUP}/v1`, protocol: 'HTTPS' },
  // v1 as ExternalDNS v0.22 reads it (served from Gateway API v1.5; v1alpha2 only by the experimental CRDs).
  TLSRoute: { apiVersion: `${GATEWAY_GROUP}/v1`, protocol: 'TLS' },
  TCPRoute: { apiVersion: `${GATEWAY_GROUP}/v1alpha2`, protocol: 'TCP' },
  UDPRoute: { apiVersion: `${GATEWAY_GROUP}/v1alpha2`, protocol: 'UDP' },
} as const;

export type RouteKind = keyof typeof ROUTE_KINDS;

const GATEWAY_HOSTNAME_SOURCE = 'gateway-hostname-source';
const HostnameSource = { definedHostsOnly: 'defined-hosts-only', annotationOnly: 'annotation-only' } as const;

/** `httproute/<ns>/<name>`: the route kind in lower case. */
export function routeResourceName(route: KubeObject): string {
  return `${route.kind.toLowerCase()}/${route.metadata.namespace ?? ''}/${route.metadata.name}`;
}

export function translateRoute(route: KubeObject, store: ObjectStore, options: TranslateOptions): Translation {
  return translateWithParents(route, buildParentTable(store, options), options);
}

/** All routes of one kind, with the Gateway table built once. */
export function translateRoutes(routes: readonly KubeObject[], store: ObjectStore, options: TranslateOptions): Translation {
  const parents = buildParentTable(store, options);
  const out: Translation = { endpoints: [], warnings: [] };
  for (const route of routes) {
    const t = translateWithParents(route, parents, options);
    out.endpoints.push(...t.endpoints);
    out.warnings.push(...t.warnings);
  }
  return out;
}

function translateWithParents(route: KubeObject, parents: ParentTable, options: TranslateOptions): Translation {
  const annotations = readAnnotations(route.metadata.annotations, options.annotationPrefix);
  if (!controllerMatches(annotations) || !Object.hasOwn(ROUTE_KINDS, route.kind)) return { endpoints: [], warnings: [] };
  const warnings: SourceWarning[] = [];
  const resource = routeResourceName(route);
  const named = routeHosts(route, annotations, options, { resource, warnings });
  const targetsByHost = resolveTargets(route, named.map((n) => n.host), parents, options);
  if (targetsByHost.size === 0) return { endpoints: [], warnings };
  const ttl = ttlFrom(annotations, resource, warnings);
  const properties = providerSpecificFrom(annotations);
  const endpoints: Endpoint[] = [];
  for (const [hostname, targets] of targetsByHost) {
    endpoints.push(...withOrigin(endpointsForHostname({
      hostname,
      targets: [...new Set(targets)].sort(),
      ttl,
      providerSpecific: properties.providerSpecific,
      setIdentifier: properties.setIdentifier,
      resource,
    }), hostOrigin(hostname, named)));
  }
  return { endpoints, warnings };
}

interface NamedHost {
  /** "" stands for "any name the listener gives". */
  host: string;
  /** Where the route names it, for `extdns explain`. */
  origin: string;
}

/** Which of the route's names made `hostname`: the same name, else a wildcard or an empty list the listener's hostname narrowed. */
function hostOrigin(hostname: string, named: readonly NamedHost[]): string {
  const name = hostname.toLowerCase();
  const exact = named.find((n) => n.host.toLowerCase() === name);
  if (exact !== undefined) return exact.origin;
  const wildcard = named.find((n) => n.host.startsWith('*.') && name.endsWith(n.host.slice(1).toLowerCase()));
  if (wildcard !== undefined) return `the Gateway listener hostname, within ${wildcard.origin} (${wildcard.host})`;
  return 'the Gateway listener hostname (the route has no spec.hostnames)';
}

/**
 * The route's candidate names: spec.hostnames, template names, and the
 * `hostname` annotation, picked by `gateway-hostname-source`. "" stands for
 * "any name the listener gives" (routes without spec.hostnames).
 */
function routeHosts(route: KubeObject, annotations: AnnotationSet, options: TranslateOptions, at: { resource: string; warnings: SourceWarning[] }): NamedHost[] {
  const specHosts = strings(fields(route.spec).hostnames).map((host, i) => ({ host, origin: `spec.hostnames[${i}]` }));
  const hosts = [...specHosts];
  const template = options.fqdnTemplate;
  if (template !== undefined && (hosts.length === 0 || options.combineFqdnAnnotation)) hosts.push(...runTemplate(template, route, at).map((host) => ({ host, origin: '--fqdn-template' })));
  const annotation = `annotation ${annotations.keyOf(AnnotationName.hostname)}`;
  const annotated = (): NamedHost[] => (options.ignoreHostnameAnnotation ? [] : (hostnamesFrom(annotations, AnnotationName.hostname) ?? [])).map((host) => ({ host, origin: annotation }));
  const source = annotations.get(GATEWAY_HOSTNAME_SOURCE);
  switch (source?.trim().toLowerCase()) {
    case HostnameSource.annotationOnly:
      return annotated();
    case HostnameSource.definedHostsOnly:
      return hosts;
    case undefined:
      break;
    default:
      at.warnings.push({
        resource: at.resource,
        message: `annotation ${annotations.keyOf(GATEWAY_HOSTNAME_SOURCE)}: "${source ?? ''}" is not one of ${HostnameSource.definedHostsOnly}, ${HostnameSource.annotationOnly}; using route and annotation hostnames`,
      });
  }
  if (specHosts.length === 0) hosts.push({ host: '', origin: 'the Gateway listener hostname (the route has no spec.hostnames)' });
  return [...hosts, ...annotated()];
}

function resolveTargets(route: KubeObject, hosts: readonly string[], parents: ParentTable, options: TranslateOptions): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const parentRefs = list(fields(route.spec).parentRefs).map(fields);
  if (parentRefs.length === 0) return out;
  for (const status of list(fields(route.status).parents).map(fields)) {
    const ref = fields(status.parentRef);
    const parent = acceptedParent(route, { ref, status, parentRefs, parents, options });
    if (parent === undefined) continue;
    for (const section of parent.sections.get(str(ref.sectionName)) ?? []) {
      if (!section.attached || !listenerAdmits(section.listener, { route, ref, parent, parents })) continue;
      addMatches(out, { listenerHost: str(section.listener.hostname), hosts, targets: parentTargets(parent) });
    }
  }
  return out;
}

interface ParentStatus {
  ref: Fields;
  status: Fields;
  parentRefs: readonly Fields[];
  parents: ParentTable;
  options: TranslateOptions;
}

/** The parent of one status.parents entry, when it is in spec.parentRefs, in scope, attached and accepts the route. */
function acceptedParent(route: KubeObject, p: ParentStatus): RouteParent | undefined {
  const routeNamespace = route.metadata.namespace ?? '';
  if (!p.parentRefs.some((r) => sameParent(r, p.ref, routeNamespace))) return undefined;
  const group = str(p.ref.group) || GATEWAY_GROUP;
  const kind = str(p.ref.kind) || GATEWAY_KIND;
  if (group !== GATEWAY_GROUP || (kind !== GATEWAY_KIND && kind !== LISTENER_SET_KIND)) return undefined;
  const parent = p.parents.get(kind, str(p.ref.namespace) || routeNamespace, str(p.ref.name));
  if (parent === undefined || !parent.attached) return undefined;
  if (p.options.gatewayName !== '' && p.options.gatewayName !== parent.gatewayName) return undefined;
  return conditionTrue(p.status.conditions, 'Accepted') ? parent : undefined;
}

/** Same group, kind, namespace and name (section and port may differ). */
function sameParent(a: Fields, b: Fields, routeNamespace: string): boolean {
  return (str(a.group) || GATEWAY_GROUP) === (str(b.group) || GATEWAY_GROUP)
    && (str(a.kind) || GATEWAY_KIND) === (str(b.kind) || GATEWAY_KIND)
    && (str(a.namespace) || routeNamespace) === (str(b.namespace) || routeNamespace)
    && str(a.name) === str(b.name);
}

interface ListenerCheck {
  route: KubeObject;
  ref: Fields;
  parent: RouteParent;
  parents: ParentTable;
}

function listenerAdmits(listener: Fields, c: ListenerCheck): boolean {
  const routeProtocol = ROUTE_KINDS[c.route.kind as RouteKind].protocol;
  if (!protocolMatches(routeProtocol, str(listener.protocol))) return false;
  if (typeof c.ref.port === 'number' && c.ref.port !== num(listener.port)) return false;
  return routeAllowed(listener, c);
}

/** HTTP and HTTPS are one; a TCP route fits a TLS listener. */
function protocolMatches(route: string, listener: string): boolean {
  const a = route === 'HTTPS' ? 'HTTP' : route;
  let b = listener === 'HTTPS' ? 'HTTP' : listener;
  if (a === 'TCP' && b === 'TLS') b = 'TCP';
  return a === b;
}

/** allowedRoutes: namespaces (default Same) and, when listed, kinds. */
function routeAllowed(listener: Fields, c: ListenerCheck): boolean {
  const allowed = fields(listener.allowedRoutes);
  const namespaces = fields(allowed.namespaces);
  const routeNamespace = c.route.metadata.namespace ?? '';
  switch (str(namespaces.from) || 'Same') {
    case 'All':
      break;
    case 'Same':
      if (c.parent.ownerNamespace !== routeNamespace) return false;
      break;
    case 'Selector': {
      const labels = c.parents.namespaceLabels(routeNamespace);
      if (labels === undefined || !labelSelectorMatches(namespaces.selector, labels)) return false;
      break;
    }
    default:
      return false;
  }
  const kinds = list(allowed.kinds).map(fields);
  if (kinds.length === 0) return true;
  const routeGroup = c.route.apiVersion.split('/')[0] ?? '';
  return kinds.some((k) => (str(k.group) || GATEWAY_GROUP) === routeGroup && str(k.kind) === c.route.kind);
}

function parentTargets(parent: RouteParent): readonly string[] {
  if (parent.overrides.length > 0) return parent.overrides;
  return list(fields(parent.gateway?.status).addresses).map((a) => str(fields(a).value)).filter((v) => v !== '');
}

function addMatches(out: Map<string, string[]>, m: { listenerHost: string; hosts: readonly string[]; targets: readonly string[] }): void {
  for (const routeHost of m.hosts) {
    if (m.listenerHost === '' && routeHost === '') continue; // neither names a host
    const host = matchingHost(m.listenerHost, routeHost);
    if (host === undefined) continue;
    out.set(host, [...(out.get(host) ?? []), ...m.targets]);
  }
}

/**
 * The more specific of two overlapping host names ("" matches anything;
 * `*.example.com` matches any name below example.com), or undefined when they
 * do not overlap or one is not a valid DNS name.
 */
export function matchingHost(a: string, b: string): string | undefined {
  const x = canonicalHost(a);
  const y = canonicalHost(b);
  if (x === undefined || y === undefined) return undefined;
  if (x === '') return y;
  if (y === '' || x === y) return x;
  const [wild, specific] = y.length < x.length || (x.length === y.length && y.startsWith('*.')) ? [y, x] : [x, y];
  return wild.startsWith('*.') && specific.endsWith(wild.slice(1)) ? specific : undefined;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function canonicalHost(host: string): string | undefined {
  if (host === '') return '';
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (suitableType(host) !== 'CNAME' || bare.length > 255 || !bare.split('.').every((l) => DNS_LABEL.test(l))) return undefined;
  return host.toLowerCase();
}
