/**
 * Endpoints ↔ Cloudflare DNS records. Cloudflare keeps one record per value;
 * an endpoint is the set of records of one name and type. TTL 1 means
 * automatic: it reads back as an unset TTL (0), as in ExternalDNS.
 */
import { newEndpoint, type Endpoint, type ProviderSpecificProperty } from '../../endpoint/endpoint.ts';
import type { CfRecord, CfRecordInput } from './api.ts';

export const PROXIED_PROPERTY = 'external-dns.alpha.kubernetes.io/cloudflare-proxied';
export const AUTOMATIC_TTL = 1;
/** Record types Cloudflare cannot proxy (ExternalDNS recordTypeProxyNotSupported). */
const NOT_PROXIABLE: ReadonlySet<string> = new Set(['LOC', 'MX', 'NS', 'SPF', 'TXT', 'SRV']);

export function isProxiedProperty(p: ProviderSpecificProperty): boolean {
  return p.name === 'cloudflare-proxied' || p.name.endsWith('/cloudflare-proxied');
}

/** ExternalDNS shouldBeProxied: the annotation (when it parses) over --cloudflare-proxied; never for unproxiable types. */
export function shouldBeProxied(ep: Endpoint, proxiedByDefault: boolean): boolean {
  if (NOT_PROXIABLE.has(ep.recordType)) return false;
  const value = ep.providerSpecific.find(isProxiedProperty)?.value;
  const parsed = value === undefined ? undefined : parseGoBool(value);
  return parsed ?? proxiedByDefault;
}

function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** ExternalDNS AdjustEndpoints: the proxied property set on every endpoint; a proxied record's TTL is automatic. */
export function adjustEndpoint(ep: Endpoint, proxiedByDefault: boolean): Endpoint {
  const proxied = shouldBeProxied(ep, proxiedByDefault);
  return {
    ...ep,
    // Cloudflare stores names in lower case without the trailing dot.
    dnsName: ep.dnsName.toLowerCase().replace(/\.$/, ''),
    recordTTL: proxied ? 0 : ep.recordTTL,
    providerSpecific: [...ep.providerSpecific.filter((p) => !isProxiedProperty(p)), { name: PROXIED_PROPERTY, value: String(proxied) }],
  };
}

/** Groups a zone's records by name and type into endpoints (records() form). */
export function endpointsOf(records: readonly CfRecord[]): Endpoint[] {
  const groups = new Map<string, CfRecord[]>();
  for (const r of records) {
    const key = recordKey(r.name, r.type);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  }
  return [...groups.values()].map((rs) => {
    const [first] = rs as [CfRecord, ...CfRecord[]];
    return newEndpoint({
      dnsName: first.name.toLowerCase(),
      recordType: first.type,
      targets: rs.map((r) => r.content),
      recordTTL: first.ttl === AUTOMATIC_TTL ? 0 : first.ttl,
      providerSpecific: [{ name: PROXIED_PROPERTY, value: String(first.proxied === true) }],
    });
  });
}

export function recordKey(name: string, type: string): string {
  return `${name.toLowerCase().replace(/\.$/, '')}/${type}`;
}

/** The records an endpoint writes, one per target. */
export function recordInputs(ep: Endpoint, proxiedByDefault: boolean, comment: string): CfRecordInput[] {
  const proxied = shouldBeProxied(ep, proxiedByDefault);
  const ttl = ep.recordTTL > 0 && !proxied ? ep.recordTTL : AUTOMATIC_TTL;
  return ep.targets.map((content) => ({
    name: ep.dnsName, type: ep.recordType, content, ttl, proxied,
    ...(comment === '' ? {} : { comment }),
  }));
}

/** Content compared as Cloudflare compares it: case-insensitive except for TXT. */
export function contentKey(type: string, content: string): string {
  return type === 'TXT' ? content : content.toLowerCase().replace(/\.$/, '');
}
