/**
 * The manifest source (`--source=manifest --manifest-path=...`): Kubernetes
 * objects read from files instead of an API server. Services, Ingresses,
 * DNSEndpoints, Pods and Gateway API routes become endpoints through the same
 * translation the API-backed sources use; Nodes, Pods, EndpointSlices,
 * Gateways, ListenerSets and Namespaces are also lookup data for them.
 * Files are read again on every call, so edits show up at the next sync.
 * A file that cannot be used fails the whole call: a partial answer would let
 * the controller delete the records of the objects it could not read.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Logger } from '../log/logger.ts';
import { CLUSTER_SCOPED_KINDS, storeFromObjects, type KubeObject } from './kube.ts';
import { EVERYTHING, parseSelector, type Selector } from './selector.ts';
import type { Source } from './source.ts';
import { checkTranslateOptions, ENDPOINT_KINDS, translateObjects, type EndpointKind } from './translate.ts';
import type { TranslateOptions } from './shapes.ts';

export interface ManifestSourceOptions {
  /** Files or folders (read recursively). */
  paths: readonly string[];
  translate: TranslateOptions;
  /** --namespace: only objects in it ("" or absent = all). */
  namespace?: string;
  /** --label-filter, label-selector syntax. */
  labelFilter?: string;
  /** --annotation-filter, label-selector syntax over annotations. */
  annotationFilter?: string;
  /** Kinds that make records; default DEFAULT_MANIFEST_KINDS. */
  kinds?: readonly EndpointKind[];
}

/** Throws ExtdnsError at creation for a bad selector or option; endpoints() throws for unusable files. */
export function createManifestSource(options: ManifestSourceOptions, deps: { logger: Logger }): Source {
  const filter = createObjectFilter(options);
  checkTranslateOptions(options.translate, filter.annotationFilter);
  const kinds = options.kinds ?? DEFAULT_MANIFEST_KINDS;
  const logger = deps.logger.child({ source: 'manifest' });
  return {
    async endpoints(signal: AbortSignal): Promise<Endpoint[]> {
      signal.throwIfAborted();
      // Loaded on the first read: a controller without --source=manifest never loads the YAML library (issue 22).
      const { loadManifests } = await import('./manifest-load.ts');
      const loaded = await loadManifests(options.paths);
      signal.throwIfAborted();
      const inScope = loaded.map((l) => l.object).filter((o) => filter.inScope(o));
      const selected = inScope.filter((o) => filter.selects(o));
      const result = translateObjects(selected, storeFromObjects(inScope), options.translate, kinds);
      for (const w of result.warnings) logger.warn(w.message, { resource: w.resource });
      logger.debug('Endpoints read from manifests', { objects: inScope.length, endpoints: result.endpoints.length });
      return result.endpoints;
    },
    addEventHandler(): void {
      // Files are not watched: changes are picked up at the next --interval sync.
    },
  };
}

/**
 * Kinds the manifest source makes records of by default: every kind but Node.
 * Nodes in manifests are lookup data for services and pods; records named
 * after every node would surprise (ask for them with `kinds`).
 */
export const DEFAULT_MANIFEST_KINDS: readonly EndpointKind[] = (Object.keys(ENDPOINT_KINDS) as EndpointKind[]).filter((k) => k !== 'Node');

export interface ObjectFilter {
  readonly annotationFilter: Selector;
  /** --namespace: cluster-scoped objects, Gateways and ListenerSets are always in scope (routes attach across namespaces). */
  inScope(obj: KubeObject): boolean;
  /** --label-filter and --annotation-filter, for objects that make records. */
  selects(obj: KubeObject): boolean;
}

const NAMESPACE_FREE_KINDS: ReadonlySet<string> = new Set([...CLUSTER_SCOPED_KINDS, 'Gateway', 'ListenerSet']);

/**
 * --namespace, --label-filter and --annotation-filter over objects. The
 * selectors apply to the objects that make records; the lookup data (the
 * Pods, EndpointSlices and Nodes a service reads, the Gateways a route reads)
 * is held to the namespace only.
 */
export function createObjectFilter(options: Pick<ManifestSourceOptions, 'namespace' | 'labelFilter' | 'annotationFilter'>): ObjectFilter {
  const labels = options.labelFilter ? parseSelector(options.labelFilter, '--label-filter') : EVERYTHING;
  const annotations = options.annotationFilter ? parseSelector(options.annotationFilter, '--annotation-filter') : EVERYTHING;
  const namespace = options.namespace ?? '';
  return {
    annotationFilter: annotations,
    inScope: (obj) => NAMESPACE_FREE_KINDS.has(obj.kind) || namespace === '' || obj.metadata.namespace === namespace,
    selects: (obj) => (namespace === '' || CLUSTER_SCOPED_KINDS.has(obj.kind) || obj.metadata.namespace === namespace)
      && labels.matches(obj.metadata.labels) && annotations.matches(obj.metadata.annotations),
  };
}
