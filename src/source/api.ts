/**
 * The API-backed sources (`--source=service`, `ingress`, `crd`, `node`, `pod`,
 * `gateway-*`): the same per-kind translation as the manifest source, over
 * watch caches of the Kubernetes API (shared through an InformerHub). A
 * source answers only once its caches hold a first list: before that it
 * throws a transient error, so the controller holds back deletes instead of
 * deleting records it simply has not read yet.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { Endpoint } from '../endpoint/endpoint.ts';
import { errorMessage, ExtdnsError } from '../errors/errors.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Informer } from '../kube/informer.ts';
import type { InformerHub } from '../kube/informer-hub.ts';
import type { ApiObject } from '../kube/types.ts';
import type { Logger } from '../log/logger.ts';
import { SourceErrors } from './errors.ts';
import { fields, num, type KubeObject, type LookupKind, type ObjectStore } from './kube.ts';
import { resolveLoadBalancerHostnames, type HostnameResolver } from './kinds/service-resolve.ts';
import { EVERYTHING, parseSelector } from './selector.ts';
import type { Source } from './source.ts';
import { checkTranslateOptions, lookupsFor, SOURCE_KINDS, translateKind, type KubeResource, type KubeSourceName } from './translate.ts';
import { formatWarning, type TranslateOptions } from './shapes.ts';

export interface ApiSourceOptions {
  readonly name: KubeSourceName;
  readonly translate: TranslateOptions;
  /** --namespace ("" = all). */
  readonly namespace: string;
  /** --label-filter: sent to the API server as the watch's label selector. */
  readonly labelFilter: string;
  /** --annotation-filter: applied here (the API cannot select on annotations). */
  readonly annotationFilter: string;
  /** --resolve-service-load-balancer-hostname. */
  readonly resolveLoadBalancerHostname: boolean;
  /** --listen-endpoint-events: EndpointSlice changes trigger a sync of the service source too. */
  readonly listenEndpointEvents?: boolean | undefined;
}

export interface ApiSourceDeps {
  readonly hub: InformerHub;
  /** For DNSEndpoint status writes. */
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly resolver?: HostnameResolver | undefined;
}

/** Addresses of a host name, IPv4 and IPv6 (what Go's net.LookupIP returns). */
export const systemResolver: HostnameResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, order: 'verbatim' })).map((a) => a.address);

export function createApiSource(options: ApiSourceOptions, deps: ApiSourceDeps): Source {
  const kind = SOURCE_KINDS[options.name];
  const annotations = options.annotationFilter === '' ? EVERYTHING : parseSelector(options.annotationFilter, '--annotation-filter');
  if (options.labelFilter !== '') parseSelector(options.labelFilter, '--label-filter');
  checkTranslateOptions(options.translate, annotations);
  const log = deps.logger.child({ source: options.name });
  const t = options.translate;
  const keepAll = t.fqdnTemplate !== undefined || t.targetTemplate !== undefined || t.fqdnTargetTemplate !== undefined;
  const cache = (resource: KubeResource, scope: { namespace?: string; labelSelector?: string }): Informer<KubeObject> =>
    deps.hub.informer(resource, scope, (obj) => resource.prune(asKubeObject(obj, resource), { keepSpecAndStatus: keepAll }),
      keepAll ? undefined : resource.prune.keep);
  const main = cache(kind, { namespace: options.namespace, labelSelector: options.labelFilter });
  const lookups = new Map<LookupKind, Informer<KubeObject>>();
  for (const l of lookupsFor(options.name, options.translate)) {
    // Pods and EndpointSlices are held to --namespace like the services that use them; Gateways may sit anywhere.
    const namespace = l.kind === 'Pod' || l.kind === 'EndpointSlice' ? options.namespace : '';
    lookups.set(l.kind as LookupKind, cache(l, { namespace }));
  }
  const store: ObjectStore = { list: (k, namespace) => lookups.get(k)?.list(namespace) ?? [] };
  const warned = new Set<string>();
  const status = options.name === 'crd' ? statusWriter(deps.client, kind, log) : undefined;

  return {
    async endpoints(signal: AbortSignal): Promise<Endpoint[]> {
      const waiting = [main, ...lookups.values()].filter((i) => !i.hasSynced());
      if (waiting.length > 0) {
        const reasons = deps.hub.notSynced().join(', ');
        throw new ExtdnsError(SourceErrors.EXTDNS_SOURCE_NOT_SYNCED,
          `source ${options.name}: the Kubernetes caches have not been filled yet (${reasons}); deletes wait until they are`);
      }
      let objects = main.list().filter((o) => annotations.matches(o.metadata.annotations));
      const warnings: string[] = [];
      if (options.resolveLoadBalancerHostname && kind.kind === 'Service') {
        const resolved = await resolveLoadBalancerHostnames(objects, deps.resolver ?? systemResolver, signal);
        objects = resolved.objects;
        warnings.push(...resolved.warnings.map(formatWarning));
      }
      const result = translateKind(options.name, objects, store, options.translate);
      warnings.push(...result.warnings.map(formatWarning));
      logNewWarnings(warnings, warned, log);
      status?.(objects);
      log.debug('Endpoints from the Kubernetes caches', { objects: objects.length, endpoints: result.endpoints.length });
      return result.endpoints;
    },
    addEventHandler(handler: () => void): void {
      for (const informer of [main, ...eventLookups(options, lookups)]) informer.onChange(() => { handler(); });
    },
  };
}

/**
 * The lookups whose changes trigger a sync (--events), as in ExternalDNS: a
 * route's Gateways, ListenerSets and Namespaces; a service's EndpointSlices
 * only with --listen-endpoint-events (when NodePort or ClusterIP services are
 * published). Other lookups (Pods, Nodes) are read at the next sync.
 */
function eventLookups(options: ApiSourceOptions, lookups: ReadonlyMap<LookupKind, Informer<KubeObject>>): Informer<KubeObject>[] {
  if (options.name.startsWith('gateway-')) return [...lookups.values()];
  if (options.name !== 'service' || options.listenEndpointEvents !== true) return [];
  const types = options.translate.serviceTypeFilter;
  const published = types.length === 0 || types.includes('NodePort') || types.includes('ClusterIP');
  const slices = lookups.get('EndpointSlice');
  return published && slices !== undefined ? [slices] : [];
}

/** Objects from the API leave kind and apiVersion out of list items: set them from the resource. */
function asKubeObject(obj: ApiObject, resource: KubeResource): KubeObject {
  const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? resource.kind } as KubeObject;
}

/** A bad annotation is logged when it appears, not at every sync while it stays. */
function logNewWarnings(warnings: readonly string[], warned: Set<string>, log: Logger): void {
  const now = new Set(warnings);
  for (const w of now) if (!warned.has(w)) log.warn(w);
  warned.clear();
  for (const w of now) warned.add(w);
}

/**
 * DNSEndpoint `status.observedGeneration`, written once per generation (as
 * ExternalDNS does, so `kubectl get` shows the object was read). Runs in the
 * background: a status write must never hold a sync back.
 */
function statusWriter(client: KubeClient, resource: KubeResource, log: Logger): (objects: readonly KubeObject[]) => void {
  const written = new Map<string, number>();
  return (objects) => {
    for (const obj of objects) {
      const generation = obj.metadata.generation;
      if (generation === undefined) continue;
      const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
      const observed = written.get(key) ?? num(fields(obj.status).observedGeneration);
      if (observed === generation) continue;
      written.set(key, generation);
      client.patch(resource, { namespace: obj.metadata.namespace, name: obj.metadata.name, subresource: 'status' },
        { status: { observedGeneration: generation } }).catch((err: unknown) => {
        written.delete(key);
        log.warn('Could not update the DNSEndpoint status', { dnsendpoint: key, error: errorMessage(err) });
      });
    }
  };
}
