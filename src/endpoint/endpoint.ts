/**
 * The Endpoint: one DNS record set as extdns plans it. Its JSON form is the
 * ExternalDNS webhook wire format (camelCase keys, all optional on the wire);
 * see ./wire.ts. In memory every field is present; "" / 0 / [] / {} mean unset.
 */

/** Record types extdns knows (ExternalDNS `KnownRecordTypes`). */
export const KNOWN_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'SRV', 'NS', 'PTR', 'MX', 'NAPTR', 'DNAME'] as const;
export type RecordType = (typeof KNOWN_RECORD_TYPES)[number];

export function isKnownRecordType(value: string): value is RecordType {
  return (KNOWN_RECORD_TYPES as readonly string[]).includes(value);
}

/** Well-known label keys (ExternalDNS `endpoint/labels.go`). */
export const LabelKey = {
  owner: 'owner',
  resource: 'resource',
  ownedRecord: 'ownedRecord',
  awsSdDescription: 'aws-sd-description',
  txtEncryptionNonce: 'txt-encryption-nonce',
} as const;

/** Well-known provider-specific property names. */
export const PropertyName = {
  alias: 'alias',
  recordType: 'record-type',
  /** Set by the TXT registry on an owned record whose ownership TXT is missing. */
  txtForceUpdate: 'txt/force-update',
} as const;

export interface ProviderSpecificProperty {
  name: string;
  value: string;
}

export type Labels = Record<string, string>;

export interface Endpoint {
  /** Fully qualified name, no trailing dot. */
  dnsName: string;
  targets: string[];
  /** Usually a RecordType; providers may report others, which extdns leaves alone. */
  recordType: string;
  setIdentifier: string;
  /** Seconds; 0 means "not configured" (the provider's default applies). */
  recordTTL: number;
  labels: Labels;
  providerSpecific: ProviderSpecificProperty[];
}

export interface EndpointInit {
  dnsName: string;
  recordType: string;
  targets?: readonly string[];
  setIdentifier?: string;
  recordTTL?: number;
  labels?: Labels;
  providerSpecific?: readonly ProviderSpecificProperty[];
}

/** Record types whose targets keep a trailing dot (ExternalDNS `NewEndpointWithTTL`). */
const KEEP_TRAILING_DOT: ReadonlySet<string> = new Set(['TXT', 'NAPTR', 'SRV']);

/** Builds an endpoint the way ExternalDNS's constructor does: trailing dots trimmed from the name and (most) targets. */
export function newEndpoint(init: EndpointInit): Endpoint {
  const keepDot = KEEP_TRAILING_DOT.has(init.recordType);
  return {
    dnsName: trimTrailingDot(init.dnsName),
    targets: (init.targets ?? []).map((t) => (keepDot ? t : trimTrailingDot(t))),
    recordType: init.recordType,
    setIdentifier: init.setIdentifier ?? '',
    recordTTL: init.recordTTL ?? 0,
    labels: { ...(init.labels ?? {}) },
    providerSpecific: (init.providerSpecific ?? []).map((p) => ({ ...p })),
  };
}

export function trimTrailingDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** A deep copy; endpoints are plain data and are copied rather than shared across stages. */
export function cloneEndpoint(ep: Endpoint): Endpoint {
  return {
    ...ep,
    targets: [...ep.targets],
    labels: { ...ep.labels },
    providerSpecific: ep.providerSpecific.map((p) => ({ ...p })),
  };
}

/** Identity of a record set for plans and dedup: (name, type, set identifier). */
export function endpointKey(ep: Pick<Endpoint, 'dnsName' | 'recordType' | 'setIdentifier'>): string {
  return `${ep.dnsName}\u0000${ep.recordType}\u0000${ep.setIdentifier}`;
}

export function getProperty(ep: Endpoint, name: string): string | undefined {
  return ep.providerSpecific.find((p) => p.name === name)?.value;
}

/** Returns a copy with the property set (replacing any value of the same name). */
export function withProperty(ep: Endpoint, name: string, value: string): Endpoint {
  const copy = cloneEndpoint(ep);
  copy.providerSpecific = copy.providerSpecific.filter((p) => p.name !== name);
  copy.providerSpecific.push({ name, value });
  return copy;
}

export function withoutProperty(ep: Endpoint, name: string): Endpoint {
  const copy = cloneEndpoint(ep);
  copy.providerSpecific = copy.providerSpecific.filter((p) => p.name !== name);
  return copy;
}

/** A short human form for logs: `www.example.com A [1.2.3.4] ttl=300 set=eu`. */
export function describeEndpoint(ep: Endpoint): string {
  const parts = [ep.dnsName, ep.recordType, `[${ep.targets.join(' ')}]`];
  if (ep.recordTTL > 0) parts.push(`ttl=${ep.recordTTL}`);
  if (ep.setIdentifier !== '') parts.push(`set=${ep.setIdentifier}`);
  return parts.join(' ');
}
