/**
 * Azure record sets ↔ extdns endpoints, shared by Azure DNS and Azure Private
 * DNS: both SDKs give record sets the same shape (ttl, aRecords, cnameRecord,
 * txtRecords…), whatever the wire's capitalisation. The forms follow
 * ExternalDNS v0.22 (newRecordSet, extractAzureTargets): a TXT value is
 * stored as the target's text (the registry's quotes included), MX as
 * preference + exchange, an unset TTL written as 300.
 */
import { normalizeDnsName } from '../../endpoint/idna.ts';
import { newEndpoint, trimTrailingDot, type Endpoint } from '../../endpoint/endpoint.ts';
import { canonicalIpv6, dedupe } from '../kit/records.ts';

export const DEFAULT_TTL = 300;

/** The record set fields extdns reads and writes (both SDKs' RecordSet). */
export interface AzureRecordSet {
  name?: string | undefined;
  type?: string | undefined;
  etag?: string | undefined;
  ttl?: number | undefined;
  metadata?: Record<string, string> | undefined;
  aRecords?: { ipv4Address?: string }[] | undefined;
  aaaaRecords?: { ipv6Address?: string }[] | undefined;
  cnameRecord?: { cname?: string } | undefined;
  mxRecords?: { preference?: number; exchange?: string }[] | undefined;
  nsRecords?: { nsdname?: string }[] | undefined;
  txtRecords?: { value?: string[] }[] | undefined;
}

/** `Microsoft.Network/dnszones/A` or `Microsoft.Network/privateDnsZones/A` → `A`. */
export function shortType(type: string | undefined): string {
  return (type ?? '').split('/').pop()?.toUpperCase() ?? '';
}

/** `@` → the zone; else `<relative>.<zone>` (formatAzureDNSName), lower case. */
export function absoluteName(relative: string, zone: string): string {
  return (relative === '@' ? zone : `${relative}.${zone}`).toLowerCase();
}

/** The record set name within `zone` (recordSetNameForZone): `@` at the apex. */
export function relativeName(dnsName: string, zone: string): string {
  const name = dnsName.slice(0, dnsName.length - zone.length).replace(/\.$/, '');
  return name === '' ? '@' : name;
}

/** A record set's targets, or none when it holds no type extdns manages. */
export function recordSetTargets(set: AzureRecordSet, type: string): string[] {
  switch (type) {
    case 'A': return (set.aRecords ?? []).flatMap((r) => (r.ipv4Address === undefined ? [] : [r.ipv4Address]));
    case 'AAAA': return (set.aaaaRecords ?? []).flatMap((r) => (r.ipv6Address === undefined ? [] : [r.ipv6Address]));
    case 'CNAME': return set.cnameRecord?.cname === undefined ? [] : [set.cnameRecord.cname];
    case 'MX': return (set.mxRecords ?? []).flatMap((r) => (r.exchange === undefined ? [] : [`${r.preference ?? 0} ${r.exchange}`]));
    case 'NS': return (set.nsRecords ?? []).flatMap((r) => (r.nsdname === undefined ? [] : [r.nsdname]));
    case 'TXT': return (set.txtRecords ?? []).flatMap((r) => (r.value === undefined ? [] : [r.value.join('')]));
    default: return [];
  }
}

export function recordSetToEndpoint(set: AzureRecordSet, zone: string, types: readonly string[]): Endpoint | undefined {
  const type = shortType(set.type);
  if (set.name === undefined || !types.includes(type)) return undefined;
  const targets = recordSetTargets(set, type);
  if (targets.length === 0) return undefined;
  return newEndpoint({ dnsName: absoluteName(set.name, zone), recordType: type, targets, recordTTL: set.ttl ?? 0 });
}

/** The body of the PUT for an endpoint (newRecordSet); TXT and MX targets as the endpoint holds them. */
export function endpointToRecordSet(ep: Endpoint): AzureRecordSet {
  const ttl = ep.recordTTL > 0 ? ep.recordTTL : DEFAULT_TTL;
  const t = ep.targets;
  switch (ep.recordType) {
    case 'A': return { ttl, aRecords: t.map((ipv4Address) => ({ ipv4Address })) };
    case 'AAAA': return { ttl, aaaaRecords: t.map((ip) => ({ ipv6Address: canonicalIpv6(ip) })) };
    case 'CNAME': return { ttl, cnameRecord: { cname: t[0] ?? '' } };
    case 'MX': return { ttl, mxRecords: t.map(mxRecord) };
    case 'NS': return { ttl, nsRecords: t.map((nsdname) => ({ nsdname })) };
    case 'TXT': return { ttl, txtRecords: t.map((value) => ({ value: [value] })) };
    default: throw new Error(`unsupported record type '${ep.recordType}'`);
  }
}

/** `10 mail.example.com` → preference 10, exchange mail.example.com (parseMxTarget). */
function mxRecord(target: string): { preference: number; exchange: string } {
  const parts = target.trim().split(/\s+/);
  const preference = Number(parts[0]);
  if (parts.length !== 2 || !Number.isInteger(preference) || preference < 0 || preference > 65535) {
    throw new Error(`invalid MX target '${target}': want "<preference> <exchange>"`);
  }
  return { preference, exchange: trimTrailingDot(parts[1] ?? '') };
}

/** A desired endpoint in the form records() returns once written (zero churn). */
export function canonicalEndpoint(ep: Endpoint): Endpoint {
  let written: AzureRecordSet;
  try {
    written = endpointToRecordSet(ep);
  } catch {
    // Not writable as it is (a bad MX): left for applyChanges to refuse by name.
    return { ...ep, dnsName: normalizeDnsName(ep.dnsName) };
  }
  const readBack = recordSetTargets(written, ep.recordType);
  const targets = ep.recordType === 'CNAME' ? readBack.slice(0, 1) : readBack;
  const built = newEndpoint({ dnsName: ep.dnsName, recordType: ep.recordType, targets: dedupe(targets) });
  return { ...ep, dnsName: normalizeDnsName(ep.dnsName), targets: built.targets };
}

/** Values compared case-insensitively and order-free: whether a record set holds what a plan says it does. */
export function sameTargets(a: readonly string[], b: readonly string[]): boolean {
  const key = (v: readonly string[]): string => [...v].map((s) => s.toLowerCase()).sort().join('\u0000');
  return key(a) === key(b);
}
