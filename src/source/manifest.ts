/**
 * The manifest source (`--source=manifest --manifest-path=...`): Kubernetes
 * objects read from files instead of an API server. Services, Ingresses and
 * DNSEndpoints become endpoints through the same translation the API-backed
 * sources use; Nodes, Pods and EndpointSlices are lookup data for services.
 * Files are read again on every call, so edits show up at the next sync.
 * A file that cannot be used fails the whole call: a partial answer would let
 * the controller delete the records of the objects it could not read.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Logger } from '../log/logger.ts';
import { storeFromObjects, type KubeObject } from './kube.ts';
import { loadManifests } from './manifest-load.ts';
import { EVERYTHING, parseSelector, type Selector } from './selector.ts';
import type { Source } from './source.ts';
import { checkTranslateOptions, isEndpointKind, translateObjects } from './translate.ts';
import type { TranslateOptions } from './translation.ts';

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
}

/** Throws ExtdnsError at creation for a bad selector or option; endpoints() throws for unusable files. */
export function createManifestSource(options: ManifestSourceOptions, deps: { logger: Logger }): Source {
  const filter = createObjectFilter(options);
  checkTranslateOptions(options.translate, filter.annotationFilter);
  const logger = deps.logger.child({ source: 'manifest' });
  return {
    async endpoints(signal: AbortSignal): Promise<Endpoint[]> {
      signal.throwIfAborted();
      const loaded = await loadManifests(options.paths);
      signal.throwIfAborted();
      const objects = loaded.map((l) => l.object).filter((o) => filter.keep(o));
      const result = translateObjects(objects, storeFromObjects(objects), options.translate);
      for (const w of result.warnings) logger.warn(w.message, { resource: w.resource });
      logger.debug('endpoints read from manifests', { objects: objects.length, endpoints: result.endpoints.length });
      return result.endpoints;
    },
    addEventHandler(): void {
      // Files are not watched: changes are picked up at the next --interval sync.
    },
  };
}

export interface ObjectFilter {
  readonly annotationFilter: Selector;
  keep(obj: KubeObject): boolean;
}

/**
 * --namespace, --label-filter and --annotation-filter over objects. The
 * selectors apply to the objects that make records; lookup objects (Pods,
 * EndpointSlices) are only held to the namespace, and Nodes to nothing.
 */
export function createObjectFilter(options: Pick<ManifestSourceOptions, 'namespace' | 'labelFilter' | 'annotationFilter'>): ObjectFilter {
  const labels = options.labelFilter ? parseSelector(options.labelFilter, '--label-filter') : EVERYTHING;
  const annotations = options.annotationFilter ? parseSelector(options.annotationFilter, '--annotation-filter') : EVERYTHING;
  const namespace = options.namespace ?? '';
  return {
    annotationFilter: annotations,
    keep: (obj) => {
      if (obj.kind === 'Node') return true;
      if (namespace !== '' && obj.metadata.namespace !== namespace) return false;
      if (!isEndpointKind(obj.kind)) return true;
      return labels.matches(obj.metadata.labels) && annotations.matches(obj.metadata.annotations);
    },
  };
}
