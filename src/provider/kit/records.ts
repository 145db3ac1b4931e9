/**
 * Record helpers shared by the providers: the name a change belongs to (a
 * record and its TXT ownership records travel together), and record content in
 * presentation form (absolute host targets, quoted TXT, compressed AAAA), the
 * form PowerDNS and Cloud DNS both accept and return.
 */
import { LabelKey, type Endpoint } from '../../endpoint/endpoint.ts';
import { quoteTxt } from '../txt-content.ts';

/** Types whose content names a host, written absolute. */
const HOST_TARGET_TYPES: ReadonlySet<string> = new Set(['CNAME', 'DNAME', 'NS', 'PTR', 'ALIAS']);

/** TXT ownership names in ExternalDNS's new format: `<type>-<name>` (or with a configured prefix, by label only). */
const TYPED_TXT = /^(?:a|aaaa|cname|ns|mx|srv|txt|ptr|naptr|dname)-(.+)$/;

/** The owned name: the record's own name, or for a TXT ownership record the name it owns. */
export function ownedName(ep: Endpoint): string {
  const label = ep.labels[LabelKey.ownedRecord];
  if (label !== undefined && label !== '') return label.replace(/\.$/, '').toLowerCase();
  const name = ep.dnsName.replace(/\.$/, '').toLowerCase();
  if (ep.recordType === 'TXT') {
    const typed = TYPED_TXT.exec(name);
    if (typed?.[1] !== undefined) return typed[1];
  }
  return name;
}

/** A target in presentation form, as PowerDNS and Cloud DNS write and return it. */
export function wireContent(type: string, target: string): string {
  if (HOST_TARGET_TYPES.has(type)) return absolute(target.trim());
  switch (type) {
    case 'MX':
      return lastFieldAbsolute(target, 2);
    case 'SRV':
      return lastFieldAbsolute(target, 4);
    case 'TXT':
      return quoteTxt(target);
    case 'AAAA':
      return canonicalIpv6(target.trim());
    default:
      return target.trim();
  }
}

function absolute(host: string): string {
  return host.endsWith('.') ? host : `${host}.`;
}

/** `10 mail.example.com` → `10 mail.example.com.`; whitespace collapsed. Other shapes pass through. */
function lastFieldAbsolute(target: string, fields: number): string {
  const parts = target.trim().split(/\s+/);
  const last = parts[parts.length - 1];
  if (parts.length !== fields || last === undefined) return target.trim();
  parts[parts.length - 1] = absolute(last);
  return parts.join(' ');
}

/** AAAA content compressed and lowercase (as PowerDNS and Azure return it; so does the URL parser). */
export function canonicalIpv6(address: string): string {
  if (!address.includes(':')) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/** Values without case-insensitive repeats, first kept. */
export function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Content compared case-insensitively, order-free: the identity of an RRset's values. */
export function contentKey(contents: readonly string[]): string {
  return [...contents].map((c) => c.toLowerCase()).sort().join('\u0000');
}
