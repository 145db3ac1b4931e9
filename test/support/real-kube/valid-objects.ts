/**
 * A scenario's object as the real API server takes it: the test scenarios
 * (test/scenarios/*.yaml) leave out what the translation never reads but the
 * real server's validation requires (a Service's ports, a Pod's containers, a
 * metav1.Condition's reason and time, a TCPRoute's rules, …). Only absent
 * fields are filled in, with values no source reads; the status is split off,
 * to be written through the status subresource as a controller would.
 */
import type { ApiObject } from '../../../src/kube/types.ts';

type Json = Record<string, unknown>;

export interface SplitObject {
  readonly object: ApiObject;
  readonly status?: Json;
}

const BACKEND_RULES = [{ backendRefs: [{ name: 'backend', port: 80 }] }];
const CONDITION_DEFAULTS = { reason: 'Test', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' };

function record(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function withServiceDefaults(spec: Json): Json {
  const headless = spec.clusterIP === 'None';
  if (spec.type === 'ExternalName' || headless || spec.ports !== undefined) return spec;
  return { ...spec, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] };
}

function withPodDefaults(spec: Json): Json {
  return spec.containers === undefined ? { ...spec, containers: [{ name: 'app', image: 'registry.invalid/app:1' }] } : spec;
}

const INGRESS_BACKEND = { service: { name: 'backend', port: { number: 80 } } };

/** A rule's `http` needs a path. */
function withRuleDefaults(rule: Json): Json {
  const http = record(rule.http);
  if (rule.http === undefined || (Array.isArray(http.paths) && http.paths.length > 0)) return rule;
  return { ...rule, http: { ...http, paths: [{ path: '/', pathType: 'Prefix', backend: INGRESS_BACKEND }] } };
}

function withIngressDefaults(spec: Json): Json {
  if (Array.isArray(spec.rules)) return { ...spec, rules: spec.rules.map((r) => withRuleDefaults(record(r))) };
  return spec.defaultBackend === undefined ? { ...spec, defaultBackend: INGRESS_BACKEND } : spec;
}

/** HTTPS and TLS listeners must say how TLS is done (a CEL rule of the Gateway CRD). */
function withListenerDefaults(listener: Json): Json {
  if (listener.tls !== undefined) return listener;
  if (listener.protocol === 'HTTPS') return { ...listener, tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } };
  if (listener.protocol === 'TLS') return { ...listener, tls: { mode: 'Passthrough' } };
  return listener;
}

function withGatewayDefaults(spec: Json): Json {
  const listeners = Array.isArray(spec.listeners) ? spec.listeners.map((l) => withListenerDefaults(record(l))) : spec.listeners;
  return { gatewayClassName: 'example', ...spec, listeners };
}

const SPEC_DEFAULTS: Readonly<Record<string, (spec: Json) => Json>> = {
  Service: withServiceDefaults,
  Pod: withPodDefaults,
  Ingress: withIngressDefaults,
  Gateway: withGatewayDefaults,
  TCPRoute: (spec) => ({ rules: BACKEND_RULES, ...spec }),
  UDPRoute: (spec) => ({ rules: BACKEND_RULES, ...spec }),
  TLSRoute: (spec) => ({ rules: BACKEND_RULES, ...spec }),
};

/**
 * Every `conditions` list below `value` gets the metav1.Condition fields it lacks, and every entry of a
 * `listeners` status its attachedRoutes count (Gateway API statuses).
 */
function withConditionDefaults(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => withConditionDefaults(v, key));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = key === 'listeners' ? { attachedRoutes: 0 } : {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'conditions' && Array.isArray(v) ? v.map((c) => ({ ...CONDITION_DEFAULTS, ...record(c) })) : withConditionDefaults(v, k);
  }
  return out;
}

/** The object to create and the status to write after it. */
export function validObject(raw: unknown): SplitObject {
  const { status, ...rest } = structuredClone(record(raw));
  const object = rest as unknown as ApiObject;
  const kind = String(object.kind);
  const defaults = SPEC_DEFAULTS[kind];
  const withSpec = defaults === undefined ? object : { ...object, spec: defaults(record(rest.spec)) };
  if (status === undefined) return { object: withSpec };
  const isGatewayApi = String(object.apiVersion).startsWith('gateway.networking.k8s.io/');
  return { object: withSpec, status: isGatewayApi ? (withConditionDefaults(status) as Json) : record(status) };
}
