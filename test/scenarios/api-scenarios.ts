/**
 * Which scenarios the API-backed runs take: api.test.ts runs them against the
 * real kube-apiserver, api-faults.test.ts the few the real server refuses
 * through the test API server.
 */
import type { Scenario } from './harness.ts';

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
  ['a ListenerSet parent needs --gateway-listener-sets, the Gateway\'s allowedListeners and its own acceptance', {
    why: 'ListenerSet (gateway.networking.k8s.io/v1) is not among the pinned Gateway API v1.3.0 CRDs',
    error: /listenersets[^]*404/,
  }],
  ['without --gateway-listener-sets a ListenerSet parent is ignored', {
    why: 'ListenerSet (gateway.networking.k8s.io/v1) is not among the pinned Gateway API v1.3.0 CRDs',
    error: /listenersets[^]*404/,
  }],
]);
