/** Helpers shared by the per-kind translations. */
import { isIPv4, isIPv6 } from 'node:net';
import { endpointKey, LabelKey, newEndpoint, type Endpoint, type ProviderSpecificProperty } from '../../endpoint/endpoint.ts';
import type { KubeObject } from '../kube.ts';
import { splitHostTarget } from '../template-flags.ts';
import type { FqdnTemplate, SourceWarning, TranslateOptions } from '../shapes.ts';
import { withOrigin } from '../origin.ts';

/** A for IPv4, AAAA for IPv6, CNAME for anything else (ExternalDNS `SuitableType`). */
export function suitableType(target: string): 'A' | 'AAAA' | 'CNAME' {
  if (isIPv4(target)) return 'A';
  if (isIPv6(target)) return 'AAAA';
  return 'CNAME';
}

export interface HostnameRecord {
  hostname: string;
  targets: readonly string[];
  ttl: number;
  providerSpecific: readonly ProviderSpecificProperty[];
  setIdentifier: string;
  /** Value of the `resource` label; omitted when "". */
  resource: string;
}

/** One endpoint per record type the targets need (A, then AAAA, then CNAME); none without targets. */
export function endpointsForHostname(r: HostnameRecord): Endpoint[] {
  const byType = new Map<string, string[]>();
  for (const t of r.targets) {
    const type = suitableType(t);
    byType.set(type, [...(byType.get(type) ?? []), t]);
  }
  const out: Endpoint[] = [];
  for (const type of ['A', 'AAAA', 'CNAME'] as const) {
    const targets = byType.get(type);
    if (targets === undefined) continue;
    out.push(
      newEndpoint({
        dnsName: r.hostname,
        recordType: type,
        targets,
        recordTTL: r.ttl,
        setIdentifier: r.setIdentifier,
        providerSpecific: r.providerSpecific,
        labels: r.resource === '' ? {} : { [LabelKey.resource]: r.resource },
      }),
    );
  }
  return out;
}

/**
 * Merges endpoints of one key (name, type, set identifier, TTL) into one with
 * the union of their targets, sorted; the first endpoint's labels and
 * properties win. CNAME and DNAME endpoints are never merged (one target per
 * name) but exact repeats collapse. Output keeps first-seen order.
 */
export function mergeEndpoints(endpoints: readonly Endpoint[]): Endpoint[] {
  const byKey = new Map<string, Endpoint>();
  for (const ep of endpoints) {
    const single = ep.recordType === 'CNAME' || ep.recordType === 'DNAME';
    if (single && ep.targets.length === 0) continue;
    const key = `${endpointKey(ep)}\u0000${ep.recordTTL}\u0000${single ? (ep.targets[0] ?? '') : ''}`;
    const existing = byKey.get(key);
    if (existing === undefined) byKey.set(key, { ...ep, targets: [...ep.targets] });
    else existing.targets.push(...ep.targets);
  }
  return [...byKey.values()].map((ep) => ({ ...ep, targets: [...new Set(ep.targets)].sort() }));
}

/** Where a template's results go: the object's resource label, TTL and warnings. */
export interface TemplateContext {
  readonly resource: string;
  readonly ttl: number;
  readonly warnings: SourceWarning[];
  readonly providerSpecific?: readonly ProviderSpecificProperty[];
  readonly setIdentifier?: string;
}

/** Runs one template flag on an object; a template that fails on it gives nothing and a warning. */
export function runTemplate(template: FqdnTemplate | undefined, obj: KubeObject, at: Pick<TemplateContext, 'resource' | 'warnings'>): string[] {
  if (template === undefined) return [];
  const result = template.evaluate(obj);
  if (result.error !== undefined) at.warnings.push({ resource: at.resource, message: `${result.error}; no records from this template for this object` });
  return result.values;
}

/**
 * Targets for the names --fqdn-template made: the `target` annotation, else
 * what the object itself points at. v0.22 applies --target-template to none of
 * extdns's sources (only to gloo, traefik, f5 and unstructured ones), as its
 * output confirms (test/golden/scenario-plans.test.ts).
 */
export function templateTargets(at: { annotated: readonly string[]; own: () => string[] }): string[] {
  return at.annotated.length > 0 ? [...at.annotated] : at.own();
}

/**
 * --fqdn-target-template (ExternalDNS runs it before --fqdn-template): its
 * `host:target` pairs become endpoints typed A/AAAA/CNAME by target. Without
 * --combine-fqdn-annotation they are used only when the object made no
 * endpoints of its own, and then replace them; with it they are added.
 */
export function withFqdnTargetTemplate(existing: Endpoint[], obj: KubeObject, options: TranslateOptions, at: TemplateContext): Endpoint[] {
  const template = options.fqdnTargetTemplate;
  if (template === undefined || (!options.combineFqdnAnnotation && existing.length > 0)) return existing;
  const byHost = new Map<string, string[]>();
  for (const value of runTemplate(template, obj, at)) {
    const pair = splitHostTarget(value);
    if (pair === undefined) continue; // ExternalDNS skips a pair without ":" or with an empty side (a field not yet set)
    byHost.set(pair.host, [...(byHost.get(pair.host) ?? []), pair.target]);
  }
  const templated = [...byHost].flatMap(([hostname, targets]) =>
    endpointsForHostname({ hostname, targets, ttl: at.ttl, providerSpecific: at.providerSpecific ?? [], setIdentifier: at.setIdentifier ?? '', resource: at.resource }),
  );
  return [...existing, ...withOrigin(templated, '--fqdn-target-template')];
}
