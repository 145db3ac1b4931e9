/**
 * Which scenarios the API-backed runs take: api.test.ts runs them against the
 * real kube-apiserver, api-faults.test.ts the few the real server refuses
 * through the test API server.
 */
import type { KubeClient } from '../../src/kube/client.ts';
import { createInformerHub } from '../../src/kube/informer-hub.ts';
import type { Logger } from '../../src/log/logger.ts';
import { createApiSource } from '../../src/source/api.ts';
import type { NamedSource } from '../../src/source/wrappers/multi.ts';
import type { Clock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { eventually } from '../support/eventually.ts';
import { sourceNamesOf, type Scenario, type ScenarioOptions } from './harness.ts';

/** Why a scenario cannot run against any API server, or undefined when it can. */
export function apiSkipReason(s: Scenario): string | undefined {
  if (s.files !== undefined) return 'raw manifest text (files:) is read only by the manifest source';
  const kinds = (s.objects ?? []).map((o) => (o as { kind?: unknown }).kind);
  if (kinds.includes('List')) return 'a kind List is a manifest file format, not an API object';
  return undefined;
}

export interface Refusal {
  /** Why the real server refuses the scenario's objects. */
  readonly why: string;
  /** What its refusal says. */
  readonly error: RegExp;
}

/** Scenario title → why the real kube-apiserver refuses its objects (checked by api.test.ts). */
export const REFUSED_BY_THE_REAL_SERVER: ReadonlyMap<string, Refusal> = new Map([
  ['malformed endpoints are skipped with a warning; the others count', {
    why: 'the DNSEndpoint CRD schema requires dnsName and recordType and types recordTTL',
    error: /dnsendpoints[^]*422[^]*spec\.endpoints\[0\]\.dnsName: Required value/,
  }],
  ['sectionName and port pick the listeners; protocols must fit', {
    why: 'the HTTPRoute CRD wants a sectionName or port on each of several parentRefs to one Gateway',
    error: /httproutes[^]*422[^]*sectionName must be specified when parentRefs includes 2 or more references to the same parent/,
  }],
  ['--ingress-class matches spec.ingressClassName, else the kubernetes.io/ingress.class annotation', {
    why: 'Ingress validation: the class annotation must match ingressClassName when both are set',
    error: /ingresses[^]*422[^]*must match `ingressClassName` when both are specified/,
  }],
]);

export interface SourceDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Stops the caches. */
  readonly signal: AbortSignal;
}

/** One hub and one API-backed source per --source name; resolves once the caches hold their first lists. */
export async function buildApiSources(deps: SourceDeps, s: Scenario, options: ScenarioOptions): Promise<readonly NamedSource[]> {
  const { client, clock, logger } = deps;
  const hub = createInformerHub({ client, clock, random: seededRandom(5), logger: logger.child({ stage: 'kube' }) });
  const named = sourceNamesOf(s.sources).map((name) => ({
    name,
    source: createApiSource({
      name,
      translate: options.translate,
      namespace: options.source.namespace ?? '',
      labelFilter: options.source.labelFilter ?? '',
      annotationFilter: options.source.annotationFilter ?? '',
      resolveLoadBalancerHostname: false,
    }, { hub, client, logger }),
  }));
  hub.start(deps.signal);
  await eventually(() => hub.synced(), `the caches of "${s.title}" to sync (${hub.notSynced().join(', ')})`, 10_000);
  return named;
}
