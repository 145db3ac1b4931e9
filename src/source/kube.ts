/**
 * The few Kubernetes object shapes the sources read, typed loosely: objects
 * come from YAML files or the API server and any field may be missing, so
 * readers go through the accessors below instead of trusting nested types.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  generation?: number;
  /** Kept for the API-backed sources' watch caches; translation never reads them. */
  resourceVersion?: string;
  uid?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

/**
 * Kinds a translation looks up: Nodes, Pods and EndpointSlices for services
 * (Nodes also for pods), Gateways, ListenerSets and Namespaces for Gateway
 * API routes. Nodes and Pods are also translated on their own.
 */
export type LookupKind = 'Node' | 'Pod' | 'EndpointSlice' | 'Gateway' | 'ListenerSet' | 'Namespace';

/** Kinds without a namespace. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(['Node', 'Namespace']);

/**
 * Read access to the objects the translations look up. Backed by parsed files
 * (manifest source) or an informer cache (API-backed sources).
 */
export interface ObjectStore {
  /** Objects of `kind`, only those in `namespace` when given (Nodes and Namespaces are cluster-scoped). */
  list(kind: LookupKind, namespace?: string): readonly KubeObject[];
}

/** An ObjectStore over a fixed list of objects. */
export function storeFromObjects(objects: readonly KubeObject[]): ObjectStore {
  return {
    list: (kind, namespace) =>
      objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace)),
  };
}

export const EMPTY_STORE: ObjectStore = { list: () => [] };

/** `service/default/web`: the resource label value and the name used in warnings. */
export function resourceName(prefix: string, obj: KubeObject): string {
  return `${prefix}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

// ---- accessors over unknown data ----------------------------------------------------------

export type Fields = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as a field map, or an empty one. */
export function fields(value: unknown): Fields {
  return isRecord(value) ? value : {};
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

/** A string map (labels, selectors); non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

export function annotationsOf(obj: KubeObject): Readonly<Record<string, string>> {
  return obj.metadata.annotations ?? {};
}
