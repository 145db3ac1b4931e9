/** Helpers shared by the per-kind translations. */
import { isIPv4, isIPv6 } from 'node:net';
import { endpointKey, LabelKey, newEndpoint, type Endpoint, type ProviderSpecificProperty } from '../../endpoint/endpoint.ts';

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
