/** The state one service's translation carries, and the lookups it shares between its steps. */
import type { AnnotationSet, ProviderSpecificAnnotations } from '../annotations.ts';
import { fields, list, str, stringMap, type Fields, type KubeObject, type ObjectStore } from '../kube.ts';
import { selectorFromSet } from '../selector.ts';
import type { SourceWarning, TranslateOptions } from '../shapes.ts';

export interface ServiceContext {
  readonly svc: KubeObject;
  readonly spec: Fields;
  readonly annotations: AnnotationSet;
  /** `service/<ns>/<name>` */
  readonly resource: string;
  readonly store: ObjectStore;
  readonly options: TranslateOptions;
  readonly ttl: number;
  readonly properties: ProviderSpecificAnnotations;
  readonly warnings: SourceWarning[];
}

export function nodeAddresses(node: KubeObject): { type: string; address: string }[] {
  return list(fields(node.status).addresses)
    .map((a) => ({ type: str(fields(a).type), address: str(fields(a).address) }))
    .filter((a) => a.address !== '');
}

/** Pods selected by the service's spec.selector, in its namespace (an empty selector selects all). */
export function selectedPods(ctx: ServiceContext): readonly KubeObject[] {
  const selector = selectorFromSet(stringMap(ctx.spec.selector));
  return ctx.store.list('Pod', ctx.svc.metadata.namespace).filter((p) => selector.matches(p.metadata.labels));
}
