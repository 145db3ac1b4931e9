/**
 * Route53 record sets ↔ extdns endpoints, both ways, so that what records()
 * returns and what adjustEndpoints() produces compare equal once a zone has
 * converged (zero churn). Route53's forms: names come back lower case with a
 * trailing dot and `*` as `\052`; values come back exactly as written; alias
 * records have no TTL and carry AliasTarget instead of values.
 */
import type { ResourceRecordSet, RRType } from '@aws-sdk/client-route-53';
import { normalizeDnsName } from '../../endpoint/idna.ts';
import { quoteTxt } from '../txt-content.ts';
import { getProperty, newEndpoint, PropertyName, trimTrailingDot, type Endpoint, type ProviderSpecificProperty } from '../../endpoint/endpoint.ts';
import { canonicalIp } from '../../endpoint/targets.ts';
import { canonicalHostedZone } from './canonical-zones.ts';

/** ExternalDNS's Route53 default TTL, also reported for alias records (which have none). */
export const DEFAULT_TTL = 300;

/** Record types extdns manages on Route53 (ExternalDNS's supported set; SOA and the rest are left alone). */
export const SUPPORTED_TYPES: ReadonlySet<string> = new Set(['A', 'AAAA', 'CNAME', 'TXT', 'SRV', 'NS', 'PTR', 'MX', 'NAPTR']);

/** Provider-specific property names (what the `aws-*` annotations become in src/source). */
export const AwsProperty = {
  evaluateTargetHealth: 'aws/evaluate-target-health',
  targetHostedZone: 'aws/target-hosted-zone',
  weight: 'aws/weight',
  region: 'aws/region',
  failover: 'aws/failover',
  continent: 'aws/geolocation-continent-code',
  country: 'aws/geolocation-country-code',
  subdivision: 'aws/geolocation-subdivision-code',
  multiValueAnswer: 'aws/multi-value-answer',
  healthCheckId: 'aws/health-check-id',
} as const;

/** The aws/* properties that round-trip through Route53; others are dropped by adjustEndpoints (they would churn). */
const ROUND_TRIP: ReadonlySet<string> = new Set(Object.values(AwsProperty));

/** Route53's `\052` and other `\ooo` escapes in names, decoded. */
export function decodeName(name: string): string {
  return trimTrailingDot(name.replace(/\\(\d{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)))).toLowerCase();
}

/** A Route53 record set as an endpoint, or undefined for types extdns leaves alone. */
export function recordSetToEndpoint(rrset: ResourceRecordSet): Endpoint | undefined {
  const type = rrset.Type ?? '';
  if (!SUPPORTED_TYPES.has(type)) return undefined;
  const name = decodeName(rrset.Name ?? '');
  const { targets, ttl, props } = rrset.AliasTarget === undefined ? plainValues(rrset, type) : aliasValues(rrset);
  if (rrset.SetIdentifier !== undefined) props.push(...routingProperties(rrset));
  if (rrset.HealthCheckId !== undefined) props.push({ name: AwsProperty.healthCheckId, value: rrset.HealthCheckId });
  return newEndpoint({
    dnsName: name, recordType: type, targets, recordTTL: ttl, providerSpecific: props,
    ...(rrset.SetIdentifier === undefined ? {} : { setIdentifier: rrset.SetIdentifier }),
  });
}

interface ReadValues {
  targets: string[];
  ttl: number;
  props: ProviderSpecificProperty[];
}

function plainValues(rrset: ResourceRecordSet, type: string): ReadValues {
  return {
    targets: (rrset.ResourceRecords ?? []).map((r) => r.Value ?? ''),
    ttl: rrset.TTL ?? 0,
    props: type === 'CNAME' ? [{ name: PropertyName.alias, value: 'false' }] : [],
  };
}

/** Alias records have no TTL: the default is reported, as ExternalDNS does, to match the TXT registry's view. */
function aliasValues(rrset: ResourceRecordSet): ReadValues {
  const alias = rrset.AliasTarget ?? { DNSName: '', HostedZoneId: '', EvaluateTargetHealth: false };
  const target = trimTrailingDot(alias.DNSName ?? '').toLowerCase();
  const props: ProviderSpecificProperty[] = [
    { name: PropertyName.alias, value: 'true' },
    { name: AwsProperty.evaluateTargetHealth, value: String(alias.EvaluateTargetHealth === true) },
  ];
  const hz = alias.HostedZoneId ?? '';
  const derived = canonicalHostedZone(target);
  if (derived !== undefined && derived !== hz) props.push({ name: AwsProperty.targetHostedZone, value: hz });
  return { targets: [target], ttl: rrset.TTL !== undefined && rrset.TTL > 0 ? rrset.TTL : DEFAULT_TTL, props };
}

function routingProperties(rrset: ResourceRecordSet): ProviderSpecificProperty[] {
  if (rrset.Weight !== undefined) return [{ name: AwsProperty.weight, value: String(rrset.Weight) }];
  if (rrset.Region !== undefined) return [{ name: AwsProperty.region, value: rrset.Region }];
  if (rrset.Failover !== undefined) return [{ name: AwsProperty.failover, value: rrset.Failover }];
  if (rrset.MultiValueAnswer === true) return [{ name: AwsProperty.multiValueAnswer, value: 'true' }];
  const geo = rrset.GeoLocation;
  if (geo === undefined) return [];
  if (geo.ContinentCode !== undefined) return [{ name: AwsProperty.continent, value: geo.ContinentCode }];
  return [
    ...(geo.CountryCode === undefined ? [] : [{ name: AwsProperty.country, value: geo.CountryCode }]),
    ...(geo.SubdivisionCode === undefined ? [] : [{ name: AwsProperty.subdivision, value: geo.SubdivisionCode }]),
  ];
}

export interface AdjustOptions {
  /** --aws-prefer-cname: never turn a CNAME into an alias on our own. */
  preferCname: boolean;
  /** --aws-evaluate-target-health: the default for alias records. */
  evaluateTargetHealth: boolean;
}

/**
 * A desired endpoint in the form records() returns after it is written. A
 * CNAME that becomes an alias (alias=true, or a target in an AWS service's
 * canonical zone) turns into an A alias plus an AAAA alias, as in ExternalDNS.
 */
export function adjustEndpoint(ep: Endpoint, options: AdjustOptions): Endpoint[] {
  const name = normalizeDnsName(ep.dnsName);
  const aliasProp = getProperty(ep, PropertyName.alias);
  const alias = isAlias(ep, aliasProp, options.preferCname);
  const props = ep.providerSpecific.filter((p) => p.name !== PropertyName.alias && p.name !== AwsProperty.evaluateTargetHealth
    && (!p.name.startsWith('aws/') || ROUND_TRIP.has(p.name)));
  const out: Endpoint = { ...ep, dnsName: name, labels: { ...ep.labels }, providerSpecific: normaliseRouting(props) };
  if (alias) {
    const target = trimTrailingDot(ep.targets[0] ?? '').toLowerCase();
    out.targets = [target];
    out.recordTTL = DEFAULT_TTL;
    const eth = getProperty(ep, AwsProperty.evaluateTargetHealth);
    const evaluate = eth === undefined ? String(options.evaluateTargetHealth) : String(eth === 'true');
    out.providerSpecific = out.providerSpecific.filter((p) => p.name !== AwsProperty.targetHostedZone || p.value !== canonicalHostedZone(target));
    out.providerSpecific.push({ name: PropertyName.alias, value: 'true' }, { name: AwsProperty.evaluateTargetHealth, value: evaluate });
    if (ep.recordType === 'CNAME') {
      return [{ ...out, recordType: 'A' }, { ...out, recordType: 'AAAA', labels: { ...out.labels }, providerSpecific: out.providerSpecific.map((p) => ({ ...p })) }];
    }
    return [out];
  }
  out.providerSpecific = out.providerSpecific.filter((p) => p.name !== AwsProperty.targetHostedZone);
  if (ep.recordType === 'CNAME') out.providerSpecific.push({ name: PropertyName.alias, value: 'false' });
  if (out.recordTTL <= 0) out.recordTTL = DEFAULT_TTL;
  out.targets = dedupe(ep.targets.map((t) => canonicalTarget(ep.recordType, t)));
  return [out];
}

function isAlias(ep: Endpoint, aliasProp: string | undefined, preferCname: boolean): boolean {
  if (!['A', 'AAAA', 'CNAME'].includes(ep.recordType) || ep.targets.length === 0) return false;
  if (aliasProp !== undefined) return aliasProp === 'true';
  return ep.recordType === 'CNAME' && !preferCname && canonicalHostedZone(ep.targets[0] ?? '') !== undefined;
}

/** Routing values in the form records() reports them (weight as an integer, multi-value as `true`). */
function normaliseRouting(props: ProviderSpecificProperty[]): ProviderSpecificProperty[] {
  const hasContinent = props.some((p) => p.name === AwsProperty.continent);
  return props
    .filter((p) => !hasContinent || (p.name !== AwsProperty.country && p.name !== AwsProperty.subdivision))
    .map((p) => {
      if (p.name === AwsProperty.weight) return { name: p.name, value: String(parseWeight(p.value)) };
      if (p.name === AwsProperty.multiValueAnswer) return { name: p.name, value: 'true' };
      return { ...p };
    });
}

function parseWeight(value: string): number {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/** A value in the form Route53 keeps it and records() reads it back. */
export function canonicalTarget(type: string, target: string): string {
  const t = target.trim();
  switch (type) {
    case 'A':
    case 'AAAA':
      return canonicalIp(t) ?? t;
    case 'TXT':
      return quoteTxt(t);
    default:
      return t;
  }
}

/** Route53 wants TXT values as quoted strings; the TXT registry already writes them so. */
function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(v) && seen.add(v) !== undefined);
}

export interface RecordSetOptions {
  /** The id (without /hostedzone/) of the zone the record goes to: the alias target zone of a same-zone alias. */
  zoneId: string;
  evaluateTargetHealth: boolean;
}

/** An endpoint as the Route53 record set to write. */
export function endpointToRecordSet(ep: Endpoint, options: RecordSetOptions): ResourceRecordSet {
  const rrset: ResourceRecordSet = { Name: `${ep.dnsName.replace(/^\*\./, '\\052.')}.`, Type: ep.recordType as RRType };
  if (getProperty(ep, PropertyName.alias) === 'true' && (ep.recordType === 'A' || ep.recordType === 'AAAA')) {
    const target = ep.targets[0] ?? '';
    const eth = getProperty(ep, AwsProperty.evaluateTargetHealth);
    rrset.AliasTarget = {
      DNSName: target,
      HostedZoneId: getProperty(ep, AwsProperty.targetHostedZone) ?? canonicalHostedZone(target) ?? options.zoneId,
      EvaluateTargetHealth: eth === undefined ? options.evaluateTargetHealth : eth === 'true',
    };
  } else {
    rrset.TTL = ep.recordTTL > 0 ? ep.recordTTL : DEFAULT_TTL;
    rrset.ResourceRecords = ep.targets.map((t) => ({ Value: t }));
  }
  if (ep.setIdentifier !== '') {
    rrset.SetIdentifier = ep.setIdentifier;
    applyRouting(rrset, ep);
  }
  const hc = getProperty(ep, AwsProperty.healthCheckId);
  if (hc !== undefined) rrset.HealthCheckId = hc;
  return rrset;
}

function applyRouting(rrset: ResourceRecordSet, ep: Endpoint): void {
  const weight = getProperty(ep, AwsProperty.weight);
  if (weight !== undefined) rrset.Weight = parseWeight(weight);
  const region = getProperty(ep, AwsProperty.region);
  if (region !== undefined) rrset.Region = region as ResourceRecordSet['Region'];
  const failover = getProperty(ep, AwsProperty.failover);
  if (failover !== undefined) rrset.Failover = failover as ResourceRecordSet['Failover'];
  if (getProperty(ep, AwsProperty.multiValueAnswer) !== undefined) rrset.MultiValueAnswer = true;
  const continent = getProperty(ep, AwsProperty.continent);
  const country = getProperty(ep, AwsProperty.country);
  const subdivision = getProperty(ep, AwsProperty.subdivision);
  if (continent !== undefined) rrset.GeoLocation = { ContinentCode: continent };
  else if (country !== undefined || subdivision !== undefined) {
    rrset.GeoLocation = { ...(country === undefined ? {} : { CountryCode: country }), ...(subdivision === undefined ? {} : { SubdivisionCode: subdivision }) };
  }
}

/** The values and characters a change counts against the batch limits; an UPSERT counts twice (Route53's rule). */
export function changeCost(rrset: ResourceRecordSet, action: string): { values: number; chars: number } {
  const values = rrset.AliasTarget === undefined ? (rrset.ResourceRecords ?? []).map((r) => r.Value ?? '') : [rrset.AliasTarget.DNSName ?? ''];
  const factor = action === 'UPSERT' ? 2 : 1;
  return { values: values.length * factor, chars: values.reduce((n, v) => n + Buffer.byteLength(v), 0) * factor };
}
