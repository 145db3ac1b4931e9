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
import { validObject } from '../support/real-kube/valid-objects.ts';
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

/** The scenario object as the real API server takes it, its status apart (the same completion test/scenarios/api.test.ts uses). */
export function forApiServer(raw: unknown): ClusterObject {
  const { object, status } = validObject(raw);
  return { object, ...(status === undefined ? {} : { status }) };
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
