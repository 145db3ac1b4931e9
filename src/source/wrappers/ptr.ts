/**
 * PTR records for A/AAAA endpoints (ExternalDNS `ptrSource`); installed only
 * when PTR is in --managed-record-types.
 *
 * - An A/AAAA endpoint whose name is not a wildcard gets reverse records when
 *   --create-ptr is on, unless its `record-type` property (the `record-type`
 *   annotation) says otherwise: `ptr` (any case) opts in, any other value,
 *   the empty one included, opts out.
 * - The `record-type` property is consumed here: it is removed from every
 *   endpoint, with a warning when it sits on a record type that cannot have PTRs.
 * - All hostnames pointing at one address share one PTR endpoint named
 *   `d.c.b.a.in-addr.arpa` / `<32 nibbles>.ip6.arpa`; its TTL is the lowest
 *   of theirs (0, "unset", counts as lowest, as in ExternalDNS).
 * - PTR endpoints carry no labels, set identifier or properties.
 */
import { newEndpoint, PropertyName, withoutProperty, type Endpoint } from '../../endpoint/endpoint.ts';
import { parseIp } from '../../endpoint/ip.ts';
import type { Logger } from '../../log/logger.ts';

export interface PtrOptions {
  /** --create-ptr: the default for endpoints without a `record-type` property. */
  createPtr: boolean;
}

/** The reverse-lookup name of an IP address (no trailing dot), or undefined when `target` is not one. */
export function reverseName(target: string): string | undefined {
  const ip = parseIp(target);
  if (ip === undefined || ip.zone !== '') return undefined;
  const p = ip.parts;
  const mapped = ip.version === 6 && p.slice(0, 5).every((g) => g === 0) && p[5] === 0xffff;
  if (ip.version === 4 || mapped) {
    // An IPv4-mapped IPv6 address reverses like its IPv4 address (Go's dns.ReverseAddr does the same).
    const octets = ip.version === 4 ? p : [(p[6] ?? 0) >> 8, (p[6] ?? 0) & 0xff, (p[7] ?? 0) >> 8, (p[7] ?? 0) & 0xff];
    return `${[...octets].reverse().join('.')}.in-addr.arpa`;
  }
  const nibbles = p.flatMap((g) => [g >> 12, (g >> 8) & 0xf, (g >> 4) & 0xf, g & 0xf].map((n) => n.toString(16)));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

function canHavePtr(ep: Endpoint): boolean {
  return (ep.recordType === 'A' || ep.recordType === 'AAAA') && !ep.dnsName.startsWith('*.');
}

interface PtrGroup {
  name: string;
  hostnames: string[];
  ttl: number;
}

/** Adds `ep`'s name to the PTR group of each of its targets. */
function collectTargets(ep: Endpoint, groups: Map<string, PtrGroup>, logger: Logger): void {
  for (const target of ep.targets) {
    // Keyed on the reverse name, so two spellings of one address share a PTR.
    const name = reverseName(target);
    if (name === undefined) {
      logger.warn('PTR: target is not an IP address; no reverse record for it', { record: ep.dnsName, target });
      continue;
    }
    const group = groups.get(name);
    if (group === undefined) {
      groups.set(name, { name, hostnames: [ep.dnsName], ttl: ep.recordTTL });
      continue;
    }
    if (ep.recordTTL < group.ttl) {
      logger.warn('PTR: the records of one address have different TTLs; using the lowest', { ptr: name, record: ep.dnsName, ttl: ep.recordTTL, previousTtl: group.ttl });
      group.ttl = ep.recordTTL;
    }
    if (!group.hostnames.includes(ep.dnsName)) group.hostnames.push(ep.dnsName);
  }
}

/** The endpoints (without their `record-type` property) followed by the PTR endpoints they ask for. */
export function addPtrEndpoints(endpoints: readonly Endpoint[], options: PtrOptions, logger: Logger): Endpoint[] {
  const groups = new Map<string, PtrGroup>();
  const out: Endpoint[] = [];
  for (const original of endpoints) {
    const requested = original.providerSpecific.find((p) => p.name === PropertyName.recordType)?.value;
    const ep = requested === undefined ? original : withoutProperty(original, PropertyName.recordType);
    out.push(ep);
    if (!canHavePtr(ep)) {
      if (requested !== undefined) {
        logger.warn('PTR: ignoring the record-type annotation on a record that cannot have PTRs (only non-wildcard A/AAAA can)', { record: ep.dnsName, recordType: ep.recordType });
      }
      continue;
    }
    const enabled = requested === undefined ? options.createPtr : requested.toLowerCase() === 'ptr';
    if (enabled) collectTargets(ep, groups, logger);
  }
  for (const group of groups.values()) {
    out.push(newEndpoint({ dnsName: group.name, recordType: 'PTR', targets: group.hostnames, recordTTL: group.ttl }));
  }
  if (groups.size > 0) logger.debug('PTR: generated PTR endpoints from A/AAAA records', { count: groups.size });
  return out;
}
