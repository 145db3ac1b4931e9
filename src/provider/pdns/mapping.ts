/**
 * PowerDNS RRsets ↔ extdns endpoints, in both directions, so that what
 * records() returns and what adjustEndpoints() produces compare equal once a
 * zone has converged (zero churn). PowerDNS's forms, checked against 4.7:
 * names come back lowercase with a trailing dot; CNAME/MX/SRV/NS/PTR targets
 * must be absolute (trailing dot) and keep their case; TXT content must be
 * quoted and comes back exactly as written; AAAA comes back compressed.
 */
import { normalizeDnsName } from '../../endpoint/idna.ts';
import { dedupe, wireContent } from '../kit/records.ts';
import {
  getProperty,
  newEndpoint,
  PropertyName,
  trimTrailingDot,
  withoutProperty,
  withProperty,
  type Endpoint,
} from '../../endpoint/endpoint.ts';
import type { PdnsRecord, PdnsRrset } from './client.ts';

/** ExternalDNS's PowerDNS default when an endpoint has no TTL. */
export const DEFAULT_TTL = 300;

/** A PowerDNS RRset as an endpoint, or undefined when nothing of it is visible (SOA, all records disabled). */
export function rrsetToEndpoint(rrset: PdnsRrset): Endpoint | undefined {
  if (rrset.type === 'SOA') return undefined;
  const targets = rrset.records.filter((r) => !r.disabled).map((r) => r.content);
  if (targets.length === 0) return undefined;
  const isAlias = rrset.type === 'ALIAS';
  return newEndpoint({
    dnsName: rrset.name.toLowerCase(),
    recordType: isAlias ? 'CNAME' : rrset.type,
    targets,
    recordTTL: rrset.ttl,
    ...(isAlias ? { providerSpecific: [{ name: PropertyName.alias, value: 'true' }] } : {}),
  });
}

/** The RRset type an endpoint is written as: a CNAME with alias=true is a PowerDNS ALIAS. */
export function wireType(ep: Endpoint): string {
  return ep.recordType === 'CNAME' && getProperty(ep, PropertyName.alias) === 'true' ? 'ALIAS' : ep.recordType;
}

/** The RRset name: lowercase, absolute. */
export function wireName(dnsName: string): string {
  return `${trimTrailingDot(dnsName).toLowerCase()}.`;
}

/** Record contents in the form PowerDNS accepts (and returns). */
export function wireRecords(ep: Endpoint): PdnsRecord[] {
  const type = wireType(ep);
  return ep.targets.map((t) => ({ content: wireContent(type, t), disabled: false }));
}

export function wireTtl(ep: Endpoint): number {
  return ep.recordTTL > 0 ? Math.min(ep.recordTTL, 2_147_483_647) : DEFAULT_TTL;
}

export interface CanonicalOptions {
  /** True when `dnsName` is the apex of a zone (a CNAME there becomes an ALIAS, as ExternalDNS does). */
  isZoneApex: (dnsName: string) => boolean;
}

/**
 * A desired endpoint in the form records() will return after it is written:
 * lowercase ASCII name, targets as read back (trailing dots as the endpoint
 * rules keep them, TXT quoted, AAAA compressed), alias only where it applies.
 */
export function canonicalEndpoint(ep: Endpoint, options: CanonicalOptions): Endpoint {
  const name = normalizeDnsName(ep.dnsName);
  let out: Endpoint = { ...withoutProperty(ep, PropertyName.alias), dnsName: name };
  if (ep.recordType === 'CNAME' && (getProperty(ep, PropertyName.alias) === 'true' || options.isZoneApex(name))) {
    out = withProperty(out, PropertyName.alias, 'true');
  }
  const type = wireType(out);
  // Round-trip each target through the wire form and back through the endpoint rules.
  const readBack = newEndpoint({ dnsName: name, recordType: out.recordType, targets: out.targets.map((t) => wireContent(type, t)) });
  out.targets = dedupe(readBack.targets);
  return out;
}
