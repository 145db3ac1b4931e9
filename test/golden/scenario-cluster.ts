/**
 * The source scenarios of test/scenarios/*.yaml as inputs of a whole run
 * against the real kube-apiserver: each scenario's objects made valid for the
 * real API server's validation (Services get a port, Pods a container, Ingress
 * rules a path, TCP/UDP/TLS routes a backend, TLS listeners a mode, Gateway API conditions every field),
 * created as admin with their status written through the status subresource,
 * and the scenario's flags as command-line arguments. ExternalDNS v0.22.0 ran
 * on exactly these inputs to print go-v0.22/scenarios/*.json (README there);
 * scenario-plans.test.ts runs extdns on them again.
 */
import type { RealKube } from '../support/real-kube/cluster.ts';
import { sourceNamesOf, type Scenario } from '../scenarios/harness.ts';

type Json = Record<string, unknown>;

export interface ClusterObject {
  readonly object: Json;
  readonly status?: Json;
}

/** Flags of the scenarios that are not flags of ExternalDNS v0.22.0 (it refuses the command line). */
const NOT_IN_V022 = ['create-ptr', 'gateway-listener-sets'];

/**
 * The goldens of scenarios that name no sources were made without gateway-tlsroute (before the CRDs served
 * TLSRoute v1, v0.22.0 waited for ever on that cache); no such scenario has a TLSRoute, so it changes nothing.
 */
const TLS_ROUTES = 'gateway-tlsroute';

/** Why a scenario cannot be a whole run against the API server, or undefined when it can. */
export function wholeRunSkip(s: Scenario): string | undefined {
  if (s.files !== undefined) return 'raw manifest text (files:) is read only by the manifest source';
  if ((s.objects ?? []).some((o) => (o as Json).kind === 'List')) return 'a kind List is a manifest file format, not an API object';
  if (s.error !== undefined) return 'the scenario expects the source to fail';
  const flags = Object.keys(s.flags ?? {});
  if (flags.includes('provider')) return 'the scenario sets --provider; a whole run picks its own provider';
  const missing = flags.filter((f) => NOT_IN_V022.includes(f));
  if (missing.length > 0) return `--${missing.join(', --')} is not a flag of ExternalDNS v0.22.0`;
  return undefined;
}

/** The scenario's --source names and flags as arguments: a list flag repeated, `true` the bare flag, `false` the `--no-` form (v0.22 refuses `--flag=false`). */
export function scenarioArgs(s: Scenario): string[] {
  const names = s.sources === undefined ? sourceNamesOf(undefined).filter((n) => n !== TLS_ROUTES) : sourceNamesOf(s.sources);
  const args = names.map((name) => `--source=${name}`);
  for (const [flag, value] of Object.entries(s.flags ?? {})) {
    if (value === true) args.push(`--${flag}`);
    else if (value === false) args.push(`--no-${flag}`);
    else for (const v of Array.isArray(value) ? value : [value]) args.push(`--${flag}=${String(v)}`);
  }
  return args;
}

const CONDITION_DEFAULTS = { status: 'True', reason: 'Accepted', message: 'accepted', lastTransitionTime: '2026-01-01T00:00:00Z' };

/** A condition with every field metav1.Condition requires. */
function fullCondition(c: Json): Json {
  return { ...CONDITION_DEFAULTS, reason: typeof c.type === 'string' ? c.type : 'Accepted', ...c };
}

/** Route parent statuses with the controllerName and full conditions the real API server requires. */
function fullRouteStatus(status: Json): Json {
  if (!Array.isArray(status.parents)) return status;
  const parents = (status.parents as Json[]).map((p) => ({
    controllerName: 'example.net/gateway-controller',
    ...p,
    conditions: Array.isArray(p.conditions) ? (p.conditions as Json[]).map(fullCondition) : [],
  }));
  return { ...status, parents };
}

/** A ListenerSet status with the fields the real API server requires of its conditions and listeners. */
function fullListenerSetStatus(status: Json): Json {
  const conditions = (c: unknown): Json[] => (Array.isArray(c) ? (c as Json[]).map(fullCondition) : []);
  const listeners = Array.isArray(status.listeners)
    ? (status.listeners as Json[]).map((l) => ({ attachedRoutes: 0, supportedKinds: [{ kind: 'HTTPRoute' }], ...l, conditions: conditions(l.conditions) }))
    : undefined;
  return { ...status, conditions: conditions(status.conditions), ...(listeners === undefined ? {} : { listeners }) };
}

function completeService(spec: Json): Json {
  const needsPorts = spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && spec.ports === undefined;
  return needsPorts ? { ...spec, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } : spec;
}

function completePod(spec: Json): Json {
  return spec.containers === undefined ? { ...spec, containers: [{ name: 'app', image: 'registry.invalid/app:1' }] } : spec;
}

/** A TLS listener needs a tls mode (Gateway API v1.5); neither side reads it. */
function completeListener(l: Json): Json {
  return l.protocol === 'TLS' && l.tls === undefined ? { ...l, tls: { mode: 'Passthrough' } } : l;
}

function completeGateway(spec: Json): Json {
  return {
    gatewayClassName: 'example',
    ...spec,
    listeners: Array.isArray(spec.listeners) ? (spec.listeners as Json[]).map(completeListener) : [{ name: 'http', protocol: 'HTTP', port: 80 }],
  };
}

const BACKEND = { service: { name: 'web', port: { number: 80 } } };

/** Ingress rules with `http` need a path; an Ingress needs rules or a default backend. */
function completeIngress(spec: Json): Json {
  if (!Array.isArray(spec.rules)) return spec.defaultBackend === undefined ? { ...spec, defaultBackend: BACKEND } : spec;
  const rules = (spec.rules as Json[]).map((r) => {
    const http = r.http as Json | undefined;
    if (http === undefined || (Array.isArray(http.paths) && http.paths.length > 0)) return r;
    return { ...r, http: { ...http, paths: [{ path: '/', pathType: 'Prefix', backend: BACKEND }] } };
  });
  return { ...spec, rules };
}

function completeSpec(kind: string, spec: Json): Json {
  if (kind === 'Service') return completeService(spec);
  if (kind === 'Ingress') return completeIngress(spec);
  if ((kind === 'TCPRoute' || kind === 'UDPRoute' || kind === 'TLSRoute') && spec.rules === undefined) return { ...spec, rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] };
  if (kind === 'Pod') return completePod(spec);
  if (kind === 'Gateway') return completeGateway(spec);
  return spec;
}

/** The scenario object as the real API server takes it, its status apart. */
export function forApiServer(raw: unknown): ClusterObject {
  const { status, ...rest } = structuredClone(raw) as Json;
  const kind = String(rest.kind);
  const object: Json = rest.spec === undefined && !['Service', 'Pod', 'Gateway', 'Ingress'].includes(kind) ? rest : { ...rest, spec: completeSpec(kind, (rest.spec ?? {}) as Json) };
  if (status === undefined) return { object };
  if (kind === 'ListenerSet') return { object, status: fullListenerSetStatus(status as Json) };
  return { object, status: kind.endsWith('Route') ? fullRouteStatus(status as Json) : (status as Json) };
}

const CLUSTER_SCOPED = new Set(['Node', 'Namespace']);

function namespaceOf(o: Json): string | undefined {
  if (CLUSTER_SCOPED.has(String(o.kind))) return undefined;
  const ns = (o.metadata as { namespace?: string }).namespace;
  return ns ?? 'default';
}

/**
 * Creates the scenario's objects (Namespaces applied, other missing namespaces
 * created and kept: nothing finalizes a deleted Namespace without a controller
 * manager) and returns a function that deletes them again and takes the
 * applied Namespaces' labels back off.
 */
export async function createScenarioObjects(kube: RealKube, objects: readonly unknown[]): Promise<() => Promise<void>> {
  const all = objects.map(forApiServer);
  const namespaces = all.filter((o) => o.object.kind === 'Namespace');
  const others = all.filter((o) => o.object.kind !== 'Namespace');
  const wanted = new Set(others.map((o) => namespaceOf(o.object)).filter((n): n is string => n !== undefined && n !== 'default'));
  for (const ns of namespaces) wanted.delete(String((ns.object.metadata as Json).name));
  for (const ns of wanted) {
    const r = await kube.kubectlResult(['create', 'namespace', ns]);
    if (r.code !== 0 && !r.stderr.includes('AlreadyExists')) throw new Error(`kubectl create namespace ${ns}: ${r.stderr}`);
  }
  for (const ns of namespaces) await kube.kubectl(['apply', '-f', '-'], JSON.stringify(ns.object));
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: others.map((o) => o.object) });
  const undo = async (): Promise<void> => {
    if (others.length > 0) await kube.kubectl(['delete', '-f', '-', '--ignore-not-found', '--force', '--grace-period=0'], list);
    for (const ns of namespaces) {
      const bare = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: (ns.object.metadata as Json).name } };
      await kube.kubectl(['apply', '-f', '-'], JSON.stringify(bare));
    }
  };
  if (others.length === 0) return undo;
  try {
    await kube.kubectl(['create', '-f', '-'], list);
    for (const o of others) {
      if (o.status === undefined) continue;
      await kube.kubectl(['patch', '-f', '-', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: o.status })], JSON.stringify(o.object));
    }
  } catch (err) {
    await undo();
    throw err;
  }
  return undo;
}
