/**
 * The parents Gateway API routes attach to: Gateways (filtered by
 * --gateway-namespace and --gateway-label-filter) and, with
 * --gateway-listener-sets, ListenerSets, each with its listeners by section
 * name and the targets its routes get (ExternalDNS `source/gateway.go`).
 */
import { readAnnotations, targetsFrom } from '../annotations.ts';
import { fields, list, str, stringMap, strings, type Fields, type KubeObject, type ObjectStore } from '../kube.ts';
import type { TranslateOptions } from '../shapes.ts';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_KIND = 'Gateway';
export const LISTENER_SET_KIND = 'ListenerSet';

export interface ListenerSection {
  readonly listener: Fields;
  /** False for a ListenerSet listener its Gateway has not accepted. */
  readonly attached: boolean;
}

export interface RouteParent {
  /** The Gateway that serves the routes: its name is what --gateway-name matches, its status.addresses the targets. */
  readonly gateway: KubeObject | undefined;
  readonly gatewayName: string;
  /** Namespace `allowedRoutes.namespaces.from: Same` compares with. */
  readonly ownerNamespace: string;
  readonly attached: boolean;
  /** Listeners by section name; "" holds all of them. */
  readonly sections: ReadonlyMap<string, readonly ListenerSection[]>;
  /** The `target` annotation of the ListenerSet, else of the Gateway. */
  readonly overrides: readonly string[];
}

export interface ParentTable {
  get(kind: string, namespace: string, name: string): RouteParent | undefined;
  /** Namespace labels by name, for `allowedRoutes.namespaces.from: Selector`. */
  namespaceLabels(name: string): Readonly<Record<string, string>> | undefined;
}

const key = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

export function buildParentTable(store: ObjectStore, options: TranslateOptions): ParentTable {
  const namespaces = new Map(store.list('Namespace').map((ns) => [ns.metadata.name, ns.metadata.labels ?? {}]));
  const parents = new Map<string, RouteParent>();
  const gateways = store
    .list('Gateway', options.gatewayNamespace === '' ? undefined : options.gatewayNamespace)
    .filter((gw) => options.gatewayLabelFilter.matches(gw.metadata.labels));
  for (const gw of gateways) {
    parents.set(key(GATEWAY_KIND, gw.metadata.namespace ?? '', gw.metadata.name), gatewayParent(gw, options));
  }
  if (options.gatewayListenerSets) {
    for (const ls of store.list('ListenerSet')) {
      const parent = listenerSetParent(ls, { parents, namespaces, options });
      parents.set(key(LISTENER_SET_KIND, ls.metadata.namespace ?? '', ls.metadata.name), parent);
    }
  }
  return {
    get: (kind, namespace, name) => parents.get(key(kind, namespace, name)),
    namespaceLabels: (name) => namespaces.get(name),
  };
}

function gatewayParent(gw: KubeObject, options: TranslateOptions): RouteParent {
  const listeners = list(fields(gw.spec).listeners).map(fields);
  return {
    gateway: gw,
    gatewayName: gw.metadata.name,
    ownerNamespace: gw.metadata.namespace ?? '',
    attached: true,
    sections: sectionsOf(listeners.map((listener) => ({ listener, attached: true }))),
    overrides: targetsFrom(readAnnotations(gw.metadata.annotations, options.annotationPrefix)),
  };
}

interface ListenerSetContext {
  parents: ReadonlyMap<string, RouteParent>;
  namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  options: TranslateOptions;
}

function listenerSetParent(ls: KubeObject, ctx: ListenerSetContext): RouteParent {
  const spec = fields(ls.spec);
  const ref = fields(spec.parentRef);
  const gwNamespace = str(ref.namespace) || (ls.metadata.namespace ?? '');
  const gwName = str(ref.name);
  const gw = ctx.parents.get(key(GATEWAY_KIND, gwNamespace, gwName))?.gateway;
  const attached = gw !== undefined && gatewayAllowsListenerSet(gw, ls, ctx.namespaces) && conditionTrue(fields(ls.status).conditions, 'Accepted');
  const statuses = list(fields(ls.status).listeners).map(fields);
  const sections = list(spec.listeners).map(fields).map((listener) => {
    const status = statuses.find((s) => str(s.name) === str(listener.name));
    return { listener, attached: attached && status !== undefined && conditionTrue(status.conditions, 'Accepted') };
  });
  const own = targetsFrom(readAnnotations(ls.metadata.annotations, ctx.options.annotationPrefix));
  const inherited = gw === undefined ? [] : targetsFrom(readAnnotations(gw.metadata.annotations, ctx.options.annotationPrefix));
  return {
    gateway: gw,
    gatewayName: gwName,
    ownerNamespace: ls.metadata.namespace ?? '',
    attached,
    sections: sectionsOf(sections),
    overrides: own.length > 0 ? own : inherited,
  };
}

function sectionsOf(sections: readonly ListenerSection[]): Map<string, readonly ListenerSection[]> {
  const bySection = new Map<string, readonly ListenerSection[]>();
  for (const s of sections) bySection.set(str(s.listener.name), [s]);
  bySection.set('', sections);
  return bySection;
}

/** spec.allowedListeners of the Gateway; absent means no ListenerSet may attach. */
function gatewayAllowsListenerSet(gw: KubeObject, ls: KubeObject, namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>): boolean {
  const allowed = fields(fields(fields(gw.spec).allowedListeners).namespaces);
  switch (str(allowed.from) || 'None') {
    case 'All':
      return true;
    case 'Same':
      return gw.metadata.namespace === ls.metadata.namespace;
    case 'Selector': {
      const labels = namespaces.get(ls.metadata.namespace ?? '');
      return allowed.selector !== undefined && labels !== undefined && labelSelectorMatches(allowed.selector, labels);
    }
    default:
      return false;
  }
}

/** True when the condition of `type` in a metav1.Condition list has status "True". */
export function conditionTrue(conditions: unknown, type: string): boolean {
  const found = list(conditions).map(fields).find((c) => str(c.type) === type);
  return found !== undefined && str(found.status) === 'True';
}

/**
 * A metav1.LabelSelector object (matchLabels + matchExpressions) against a
 * label set. An empty selector matches everything; an unknown operator matches nothing.
 */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const sel = fields(selector);
  for (const [k, v] of Object.entries(stringMap(sel.matchLabels))) {
    if (labels[k] !== v) return false;
  }
  return list(sel.matchExpressions).map(fields).every((e) => expressionMatches(e, labels));
}

function expressionMatches(e: Fields, labels: Readonly<Record<string, string>>): boolean {
  const k = str(e.key);
  const has = Object.hasOwn(labels, k);
  const values = strings(e.values);
  switch (str(e.operator)) {
    case 'In':
      return has && values.includes(labels[k] ?? '');
    case 'NotIn':
      return !has || !values.includes(labels[k] ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}
