/**
 * Cloud DNS resource record sets ↔ extdns endpoints. As ExternalDNS v0.22:
 * the types read are A, AAAA, CNAME, DNAME, SRV, TXT, NS and MX; an endpoint
 * without a TTL is written with 300; names and host targets are absolute.
 * Content takes the same presentation form as PowerDNS's (TXT quoted, host
 * targets absolute, AAAA compressed), which Cloud DNS returns as written.
 */
import { newEndpoint, trimTrailingDot, type Endpoint } from '../../endpoint/endpoint.ts';
import { normalizeDnsName } from '../../endpoint/idna.ts';
import type { ProviderCapabilities } from '../capabilities.ts';
import { MAX_TXT_RDATA_BYTES } from '../capabilities.ts';
import { contentKey, wireContent } from '../kit/records.ts';
import type { GoogleRrset } from './api.ts';

export const DEFAULT_TTL = 300;

const READ_TYPES: readonly string[] = ['A', 'AAAA', 'CNAME', 'DNAME', 'SRV', 'TXT', 'NS', 'MX'];
const READ_TYPE_SET: ReadonlySet<string> = new Set(READ_TYPES);

export const GOOGLE_CAPABILITIES: ProviderCapabilities = { recordTypes: READ_TYPES, names: 'hostname', maxTxtBytes: MAX_TXT_RDATA_BYTES };

/** An rrset as an endpoint; undefined for the types ExternalDNS does not read (SOA, CAA, …). */
export function rrsetToEndpoint(rrset: GoogleRrset): Endpoint | undefined {
  if (!READ_TYPE_SET.has(rrset.type)) return undefined;
  return newEndpoint({ dnsName: rrset.name.toLowerCase(), recordType: rrset.type, targets: rrset.rrdatas, recordTTL: rrset.ttl });
}

export function rrsetKey(name: string, type: string): string {
  return `${absoluteName(name)}/${type}`;
}

export function absoluteName(name: string): string {
  return `${trimTrailingDot(name).toLowerCase()}.`;
}

/** The rrset an endpoint is written as. */
export function endpointToRrset(ep: Endpoint): GoogleRrset {
  return {
    name: absoluteName(ep.dnsName),
    type: ep.recordType,
    ttl: ep.recordTTL > 0 ? Math.min(ep.recordTTL, 2_147_483_647) : DEFAULT_TTL,
    rrdatas: ep.targets.map((t) => wireContent(ep.recordType, t)),
  };
}

/** True when the rrset holds exactly the endpoint's values (order and case aside). */
export function sameValues(rrset: GoogleRrset, ep: Endpoint): boolean {
  return contentKey(rrset.rrdatas) === contentKey(endpointToRrset(ep).rrdatas);
}

/** A desired endpoint in the form records() returns once it is written. */
export function canonicalEndpoint(ep: Endpoint): Endpoint {
  const name = normalizeDnsName(ep.dnsName);
  const readBack = newEndpoint({ dnsName: name, recordType: ep.recordType, targets: endpointToRrset(ep).rrdatas });
  const seen = new Set<string>();
  const targets = readBack.targets.filter((t) => {
    const key = t.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...ep, dnsName: name, targets, setIdentifier: '' };
}
