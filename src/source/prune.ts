/**
 * Pruning cached Kubernetes objects down to the fields the translations read,
 * so a watch cache of tens of thousands of objects stays small (managedFields,
 * container specs and the like are most of an object's size).
 *
 * A shape names the fields to keep: `true` keeps a field whole, a nested shape
 * keeps part of it (applied to each element of a list).
 */
import type { KeepShape } from '../kube/kept-text.ts';
import { intern, internStrings } from './intern.ts';
import { isRecord, type KubeObject, type ObjectMeta } from './kube.ts';

export type Shape = KeepShape;

/**
 * `value` cut down to `shape`. A value that holds nothing outside the shape (as a list item already cut by the list
 * parser does) is returned itself, not copied: JSON.parse sizes its objects to their fields, a copy built field by
 * field spills past four into a separate property array, and the copy was garbage besides.
 */
export function pick(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) {
    const out = value.map((v) => pick(v, shape));
    return out.every((v, i) => v === value[i]) ? value : out;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  let kept = 0;
  let same = true;
  for (const [field, sub] of Object.entries(shape)) {
    // Own fields only: an inherited one (`constructor`) is not the value's, and would break the count below.
    const v = Object.hasOwn(value, field) ? value[field] : undefined;
    if (v === undefined) continue;
    const p = sub === true ? v : pick(v, sub);
    out[field] = p;
    kept++;
    same &&= p === v;
  }
  return same && kept === Object.keys(value).length ? value : out;
}

const METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations', 'deletionTimestamp', 'generation', 'resourceVersion', 'uid'] as const;

/**
 * kubectl's copy of the whole applied object: often the largest field of an
 * object, and read by nothing extdns does (a template that wants it keeps
 * everything with keepSpecAndStatus).
 */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What a pruned object keeps of its metadata without templates: no uid (read by nothing but a template; the event
 * sink gets it from the API), unique to every object and 56 bytes each.
 */
const PRUNED_METADATA_FIELDS = METADATA_FIELDS.filter((f) => f !== 'uid');
const KEPT_METADATA: ReadonlySet<string> = new Set(PRUNED_METADATA_FIELDS);
const KEPT_METADATA_WHOLE: ReadonlySet<string> = new Set(METADATA_FIELDS);
/** Metadata strings unique to an object: interning them would only grow V8's string table. */
const UNIQUE_METADATA: ReadonlySet<string> = new Set(['name', 'resourceVersion', 'uid']);

/** `whole`: a template may read it, all metadata fields kept (uid too) and every annotation. */
function pruneMetadata(meta: ObjectMeta, whole: boolean): ObjectMeta {
  const annotations = meta.annotations;
  const dropAnnotation = !whole && annotations !== undefined && LAST_APPLIED in annotations;
  // A list item cut by the list parser holds only the kept fields: kept as parsed (see pick), or cloned (same size)
  // to leave out the last-applied copy. Anything else is copied field by field.
  const fields = meta as unknown as Record<string, unknown>;
  const filtered = dropAnnotation ? Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== LAST_APPLIED)) : undefined;
  let out: Record<string, unknown>;
  const kept = whole ? KEPT_METADATA_WHOLE : KEPT_METADATA;
  if (Object.keys(fields).every((k) => kept.has(k))) {
    out = filtered === undefined ? fields : { ...fields, annotations: filtered };
  } else {
    out = {};
    for (const f of whole ? METADATA_FIELDS : PRUNED_METADATA_FIELDS) if (meta[f] !== undefined) out[f] = meta[f];
    if (filtered !== undefined) out.annotations = filtered;
  }
  for (const [field, v] of Object.entries(out)) if (!UNIQUE_METADATA.has(field)) out[field] = typeof v === 'string' ? intern(v) : internStrings(v);
  return out as unknown as ObjectMeta;
}

export interface PruneShape {
  readonly spec?: Shape;
  readonly status?: Shape;
  /** Top-level fields besides spec and status (EndpointSlice keeps its data there). */
  readonly top?: Shape;
}

export interface PruneOptions {
  /** Keep spec and status whole: --fqdn-template may read any field. */
  readonly keepSpecAndStatus?: boolean;
}

/** Prunes one object; `keep` names every field it reads, so a list parser may skip the rest (src/kube/kept-text.ts). */
export interface Pruner {
  (obj: KubeObject, options?: PruneOptions): KubeObject;
  readonly keep: KeepShape;
}

/** The fields `pruner(shape)` reads (without keepSpecAndStatus): apiVersion and kind, the metadata it keeps, and the shape's. */
function keepShapeOf(shape: PruneShape): KeepShape {
  return {
    apiVersion: true, kind: true,
    metadata: Object.fromEntries(PRUNED_METADATA_FIELDS.map((f) => [f, true])),
    ...(shape.spec === undefined ? {} : { spec: shape.spec }),
    ...(shape.status === undefined ? {} : { status: shape.status }),
    ...shape.top,
  };
}

/** A pruner keeping metadata essentials and the given parts of spec/status. */
export function pruner(shape: PruneShape): Pruner {
  const prune = (obj: KubeObject, options: PruneOptions = {}): KubeObject => {
    const whole = options.keepSpecAndStatus === true;
    // Kept whole (a template may read any field): left as it is. Cut to the shape: its strings shared (intern.ts).
    const part = (value: unknown, sub: Shape | undefined): unknown =>
      whole ? value : value === undefined || sub === undefined ? undefined : internStrings(pick(value, sub));
    const spec = part(obj.spec, shape.spec);
    const status = part(obj.status, shape.status);
    const apiVersion = intern(obj.apiVersion);
    const kind = intern(obj.kind);
    const metadata = pruneMetadata(obj.metadata, whole);
    // One literal per combination: the object is sized to its fields, none spilling into a property array.
    const out: KubeObject = spec === undefined
      ? (status === undefined ? { apiVersion, kind, metadata } : { apiVersion, kind, metadata, status })
      : (status === undefined ? { apiVersion, kind, metadata, spec } : { apiVersion, kind, metadata, spec, status });
    if (shape.top !== undefined) Object.assign(out, internStrings(pick(obj, shape.top)));
    return out;
  };
  return Object.assign(prune, { keep: keepShapeOf(shape) });
}

const CONDITIONS: Shape = { type: true, status: true };
const LB_STATUS: Shape = { loadBalancer: { ingress: { ip: true, hostname: true } } };
const ROUTE: PruneShape = {
  spec: { hostnames: true, parentRefs: true },
  status: { parents: { parentRef: true, controllerName: true, conditions: CONDITIONS } },
};
const LISTENERS: Shape = { name: true, hostname: true, port: true, protocol: true, allowedRoutes: true };

/** Pruners by kind (endpoint kinds and lookup kinds). */
export const PRUNERS = {
  Service: pruner({
    spec: {
      type: true, clusterIP: true, externalIPs: true, externalName: true, selector: true,
      ports: { name: true, nodePort: true, protocol: true, port: true },
      externalTrafficPolicy: true, publishNotReadyAddresses: true,
    },
    status: LB_STATUS,
  }),
  Ingress: pruner({ spec: { ingressClassName: true, rules: { host: true }, tls: { hosts: true } }, status: LB_STATUS }),
  DNSEndpoint: pruner({ spec: { endpoints: true } }),
  Node: pruner({ spec: { unschedulable: true }, status: { addresses: true } }),
  Pod: pruner({
    spec: { hostNetwork: true, nodeName: true, hostname: true },
    status: { phase: true, podIP: true, podIPs: true, hostIP: true, conditions: CONDITIONS },
  }),
  EndpointSlice: pruner({ top: { addressType: true, endpoints: { addresses: true, conditions: true, targetRef: { kind: true, name: true, apiVersion: true } } } }),
  Namespace: pruner({}),
  Gateway: pruner({ spec: { listeners: LISTENERS, allowedListeners: true }, status: { addresses: { type: true, value: true } } }),
  ListenerSet: pruner({ spec: { parentRef: true, listeners: LISTENERS }, status: { conditions: CONDITIONS, listeners: { name: true, conditions: CONDITIONS } } }),
  HTTPRoute: pruner(ROUTE),
  GRPCRoute: pruner(ROUTE),
  TLSRoute: pruner(ROUTE),
  TCPRoute: pruner(ROUTE),
  UDPRoute: pruner(ROUTE),
} as const;
