/**
 * Pruning cached Kubernetes objects down to the fields the translations read,
 * so a watch cache of tens of thousands of objects stays small (managedFields,
 * container specs and the like are most of an object's size).
 *
 * A shape names the fields to keep: `true` keeps a field whole, a nested shape
 * keeps part of it (applied to each element of a list).
 */
import type { KeepShape } from '../kube/kept-text.ts';
import { isRecord, type KubeObject, type ObjectMeta } from './kube.ts';

export type Shape = KeepShape;

export function pick(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, shape));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [field, sub] of Object.entries(shape)) {
    const v = value[field];
    if (v === undefined) continue;
    out[field] = sub === true ? v : pick(v, sub);
  }
  return out;
}

const METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations', 'deletionTimestamp', 'generation', 'resourceVersion', 'uid'] as const;

/**
 * kubectl's copy of the whole applied object: often the largest field of an
 * object, and read by nothing extdns does (a template that wants it keeps
 * everything with keepSpecAndStatus).
 */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function pruneMetadata(meta: ObjectMeta, keepAllAnnotations: boolean): ObjectMeta {
  const out: Record<string, unknown> = {};
  for (const f of METADATA_FIELDS) if (meta[f] !== undefined) out[f] = meta[f];
  const annotations = meta.annotations;
  if (!keepAllAnnotations && annotations !== undefined && LAST_APPLIED in annotations) {
    out.annotations = Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== LAST_APPLIED));
  }
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
    metadata: Object.fromEntries(METADATA_FIELDS.map((f) => [f, true])),
    ...(shape.spec === undefined ? {} : { spec: shape.spec }),
    ...(shape.status === undefined ? {} : { status: shape.status }),
    ...shape.top,
  };
}

/** A pruner keeping metadata essentials and the given parts of spec/status. */
export function pruner(shape: PruneShape): Pruner {
  const prune = (obj: KubeObject, options: PruneOptions = {}): KubeObject => {
    const whole = options.keepSpecAndStatus === true;
    const out: KubeObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: pruneMetadata(obj.metadata, whole) };
    if (obj.spec !== undefined && (whole || shape.spec !== undefined)) out.spec = whole || shape.spec === undefined ? obj.spec : pick(obj.spec, shape.spec);
    if (obj.status !== undefined && (whole || shape.status !== undefined)) out.status = whole || shape.status === undefined ? obj.status : pick(obj.status, shape.status);
    if (shape.top !== undefined) Object.assign(out, pick(obj, shape.top));
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
