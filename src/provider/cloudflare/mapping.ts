/**
 * Endpoints ↔ Cloudflare DNS records. Cloudflare keeps one record per value;
 * an endpoint is the set of records of one name and type. TTL 1 means
 * automatic: it reads back as an unset TTL (0), as in ExternalDNS. MX keeps its
 * preference in `priority`, SRV its fields in `data`; the endpoint target is
 * the usual text form ("10 mail.example.org", "0 5 443 host.example.org.").
 * Comment and tags read back as provider-specific properties, so that a
 * changed --cloudflare-record-comment or annotation is a planned update.
 */
import { newEndpoint, type Endpoint, type ProviderSpecificProperty } from '../../endpoint/endpoint.ts';
import type { CfRecord, CfRecordInput } from './api.ts';

const PREFIX = 'external-dns.alpha.kubernetes.io/';
export const PROXIED_PROPERTY = `${PREFIX}cloudflare-proxied`;
export const COMMENT_PROPERTY = `${PREFIX}cloudflare-record-comment`;
export const TAGS_PROPERTY = `${PREFIX}cloudflare-tags`;
export const CUSTOM_HOSTNAME_PROPERTY = `${PREFIX}cloudflare-custom-hostname`;
export const REGION_KEY_PROPERTY = `${PREFIX}cloudflare-region-key`;
export const AUTOMATIC_TTL = 1;
/** Record types Cloudflare cannot proxy (ExternalDNS recordTypeProxyNotSupported). */
const NOT_PROXIABLE: ReadonlySet<string> = new Set(['LOC', 'MX', 'NS', 'SPF', 'TXT', 'SRV']);
/** The record types extdns reads and writes on Cloudflare (ExternalDNS: SupportedRecordType plus MX). */
export const CLOUDFLARE_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'NS', 'MX', 'SRV'] as const;
const MANAGED: ReadonlySet<string> = new Set(CLOUDFLARE_RECORD_TYPES);

/** A property by its name after the annotation prefix (`cloudflare-proxied`), whichever prefix the source used. */
function isNamed(p: ProviderSpecificProperty, name: string): boolean {
  return p.name === name || p.name.endsWith(`/${name}`);
}

export function isProxiedProperty(p: ProviderSpecificProperty): boolean {
  return isNamed(p, 'cloudflare-proxied');
}

export function propertyValue(ep: Endpoint, name: string): string | undefined {
  return ep.providerSpecific.find((p) => isNamed(p, name))?.value;
}

/** ExternalDNS shouldBeProxied: the annotation (when it parses) over --cloudflare-proxied; never for unproxiable types. */
export function shouldBeProxied(ep: Endpoint, proxiedByDefault: boolean): boolean {
  if (NOT_PROXIABLE.has(ep.recordType)) return false;
  const value = propertyValue(ep, 'cloudflare-proxied');
  const parsed = value === undefined ? undefined : parseGoBool(value);
  return parsed ?? proxiedByDefault;
}

function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** A comma-separated list trimmed, without empties, sorted (ExternalDNS parseTagsAnnotation; custom hostnames too). */
export function sortedList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').sort();
}

export interface AdjustSettings {
  proxiedByDefault: boolean;
  /** --cloudflare-record-comment: the comment of records whose endpoint names none. */
  comment: string;
  customHostnames: boolean;
  /** The default region key when Regional Services are on, undefined when off. */
  regionKey: string | undefined;
}

/** Record types that get a regional hostname / a custom hostname (ExternalDNS). */
export const REGIONAL_TYPES: ReadonlySet<string> = new Set(['A', 'AAAA', 'CNAME']);
export const CUSTOM_HOSTNAME_TYPES: ReadonlySet<string> = new Set(['A', 'CNAME']);

/**
 * ExternalDNS AdjustEndpoints: one canonical property each for proxied (always), comment (when
 * any), tags (sorted), custom hostnames (sorted; only on A and CNAME, the types that get them, so
 * that an AAAA beside them is not updated on every sync; dropped when the feature is off) and
 * region key (defaulted; dropped when off or for other types). A proxied record's TTL is automatic.
 */
export function adjustEndpoint(ep: Endpoint, settings: AdjustSettings): Endpoint {
  const proxied = shouldBeProxied(ep, settings.proxiedByDefault);
  const comment = propertyValue(ep, 'cloudflare-record-comment') ?? settings.comment;
  const tags = sortedList(propertyValue(ep, 'cloudflare-tags'));
  const hostnames = settings.customHostnames && CUSTOM_HOSTNAME_TYPES.has(ep.recordType) ? sortedList(propertyValue(ep, 'cloudflare-custom-hostname')) : [];
  const region = settings.regionKey !== undefined && REGIONAL_TYPES.has(ep.recordType)
    ? propertyValue(ep, 'cloudflare-region-key') ?? settings.regionKey : undefined;
  const own = ['cloudflare-proxied', 'cloudflare-record-comment', 'cloudflare-tags', 'cloudflare-custom-hostname', 'cloudflare-region-key'];
  const props: ProviderSpecificProperty[] = [
    ...ep.providerSpecific.filter((p) => !own.some((name) => isNamed(p, name))),
    { name: PROXIED_PROPERTY, value: String(proxied) },
    ...optionalProperties(comment, tags, hostnames),
    ...(region === undefined ? [] : [{ name: REGION_KEY_PROPERTY, value: region }]),
  ];
  return {
    ...ep,
    // Cloudflare stores names in lower case without the trailing dot.
    dnsName: ep.dnsName.toLowerCase().replace(/\.$/, ''),
    recordTTL: proxied ? 0 : ep.recordTTL,
    providerSpecific: props,
  };
}

/** Comment, tags and custom hostnames, each only when it holds something (as records() reads them back). */
function optionalProperties(comment: string, tags: readonly string[], hostnames: readonly string[]): ProviderSpecificProperty[] {
  return [
    ...(comment === '' ? [] : [{ name: COMMENT_PROPERTY, value: comment }]),
    ...(tags.length === 0 ? [] : [{ name: TAGS_PROPERTY, value: tags.join(',') }]),
    ...(hostnames.length === 0 ? [] : [{ name: CUSTOM_HOSTNAME_PROPERTY, value: hostnames.join(',') }]),
  ];
}

/**
 * Groups a zone's records by name and type into endpoints (records() form), the types extdns
 * manages only; `hostnamesOf` answers the custom hostnames served from a name.
 */
export function endpointsOf(records: readonly CfRecord[], hostnamesOf: (name: string) => readonly string[] = () => []): Endpoint[] {
  const groups = new Map<string, CfRecord[]>();
  for (const r of records) {
    if (!MANAGED.has(r.type)) continue;
    const key = recordKey(r.name, r.type);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  }
  return [...groups.values()].map((rs) => {
    const [first] = rs as [CfRecord, ...CfRecord[]];
    const name = first.name.toLowerCase();
    return newEndpoint({
      dnsName: name,
      recordType: first.type,
      targets: rs.map(targetOf),
      recordTTL: first.ttl === AUTOMATIC_TTL ? 0 : first.ttl,
      providerSpecific: [
        { name: PROXIED_PROPERTY, value: String(first.proxied === true) },
        ...optionalProperties(first.comment ?? '', [...(first.tags ?? [])].sort(), CUSTOM_HOSTNAME_TYPES.has(first.type) ? [...hostnamesOf(name)].sort() : []),
      ],
    });
  });
}

export function recordKey(name: string, type: string): string {
  return `${name.toLowerCase().replace(/\.$/, '')}/${type}`;
}

/** A record's value as an endpoint target (ExternalDNS: MX "priority host", SRV from its data with a trailing dot). */
export function targetOf(r: CfRecord): string {
  if (r.type === 'MX') return `${String(r.priority ?? 0)} ${r.content}`;
  const target = r.data?.target;
  if (r.type === 'SRV' && typeof target === 'string' && target !== '') {
    const d = r.data ?? {};
    const host = target === '.' || target.endsWith('.') ? target : `${target}.`;
    return `${String(d.priority)} ${String(d.weight)} ${String(d.port)} ${host}`;
  }
  return r.content;
}

/**
 * The endpoint's comment (its annotation, else --cloudflare-record-comment), cut to what Cloudflare
 * accepts (ExternalDNS: 100 characters, 500 on paid plans).
 */
export function commentFor(ep: Endpoint, flagComment: string, paidZone: boolean): { comment: string; trimmed: boolean } {
  const comment = propertyValue(ep, 'cloudflare-record-comment') ?? flagComment;
  const limit = paidZone ? 500 : 100;
  return comment.length > limit ? { comment: comment.slice(0, limit), trimmed: true } : { comment, trimmed: false };
}

/** The records an endpoint writes, one per target; throws on an MX or SRV target that does not parse. */
export function recordInputs(ep: Endpoint, proxiedByDefault: boolean, comment: string): CfRecordInput[] {
  const proxied = shouldBeProxied(ep, proxiedByDefault);
  const ttl = ep.recordTTL > 0 && !proxied ? ep.recordTTL : AUTOMATIC_TTL;
  const tags = sortedList(propertyValue(ep, 'cloudflare-tags'));
  return ep.targets.map((target) => ({ name: ep.dnsName, type: ep.recordType, ...valueOf(ep.recordType, target), ttl, proxied, comment, tags }));
}

function valueOf(type: string, target: string): Pick<CfRecordInput, 'content' | 'priority' | 'data'> {
  if (type === 'MX') {
    const m = /^(\d{1,5})\s+(\S+)$/.exec(target.trim());
    if (m === null || Number(m[1]) > 65535) throw new Error(`MX target "${target}" is not "<preference> <host>"`);
    return { content: (m[2] ?? '').replace(/\.$/, ''), priority: Number(m[1]) };
  }
  if (type === 'SRV') {
    const m = /^(\d{1,5})\s+(\d{1,5})\s+(\d{1,5})\s+(\S+)$/.exec(target.trim());
    if (m === null || [m[1], m[2], m[3]].some((n) => Number(n) > 65535)) throw new Error(`SRV target "${target}" is not "<priority> <weight> <port> <host>"`);
    const host = m[4] ?? '';
    return { data: { priority: Number(m[1]), weight: Number(m[2]), port: Number(m[3]), target: host === '.' ? host : host.replace(/\.$/, '') } };
  }
  return { content: target };
}

/** Content compared as Cloudflare compares it: case-insensitive except for TXT. */
export function contentKey(type: string, content: string): string {
  return type === 'TXT' ? content : content.toLowerCase().replace(/\.$/, '');
}
