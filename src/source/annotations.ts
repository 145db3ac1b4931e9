/**
 * Reading ExternalDNS annotations off an object. Keys are looked up by their
 * name after the prefix (`hostname`, `ttl`, `aws-weight`, ...). With the
 * default prefix, keys under the v0.21 prefix `external-dns.alpha.kubernetes.io/`
 * are read too, so manifests written for older releases keep working; when both
 * forms are set, the configured prefix wins.
 */
import type { ProviderSpecificProperty } from '../endpoint/endpoint.ts';
import { PropertyName } from '../endpoint/endpoint.ts';
import { DEFAULT_ANNOTATION_PREFIX, LEGACY_ANNOTATION_PREFIX, type SourceWarning } from './shapes.ts';
import { compareCodeUnits } from '../util/compare.ts';

export const AnnotationName = {
  hostname: 'hostname',
  internalHostname: 'internal-hostname',
  target: 'target',
  ttl: 'ttl',
  setIdentifier: 'set-identifier',
  alias: 'alias',
  recordType: 'record-type',
  access: 'access',
  endpointsType: 'endpoints-type',
  controller: 'controller',
  ingressHostnameSource: 'ingress-hostname-source',
} as const;

/** The only `controller` annotation value that keeps an object in scope. */
export const CONTROLLER_VALUE = 'dns-controller';

const TTL_MIN = 1;
const TTL_MAX = 2147483647;

/** ExternalDNS annotations of one object, by name after the prefix. */
export interface AnnotationSet {
  readonly prefix: string;
  get(name: string): string | undefined;
  has(name: string): boolean;
  /** The full key the value came from, for messages (`external-dns.alpha.kubernetes.io/ttl`). */
  keyOf(name: string): string;
  /** Names with their values, sorted by name. */
  entries(): [string, string][];
}

export function readAnnotations(raw: Readonly<Record<string, string>> | undefined, prefix: string): AnnotationSet {
  const found = new Map<string, { value: string; key: string }>();
  const collect = (p: string): void => {
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (key.startsWith(p) && typeof value === 'string') found.set(key.slice(p.length), { value, key });
    }
  };
  if (prefix === DEFAULT_ANNOTATION_PREFIX) collect(LEGACY_ANNOTATION_PREFIX);
  collect(prefix); // later wins: the configured prefix overrides the legacy one
  return {
    prefix,
    get: (name) => found.get(name)?.value,
    has: (name) => found.has(name),
    keyOf: (name) => found.get(name)?.key ?? prefix + name,
    entries: () => [...found.entries()].sort(([a], [b]) => compareCodeUnits(a, b)).map(([n, v]) => [n, v.value]),
  };
}

/** False when a `controller` annotation names another controller (the object is someone else's). */
export function controllerMatches(a: AnnotationSet): boolean {
  const value = a.get(AnnotationName.controller);
  return value === undefined || value === CONTROLLER_VALUE;
}

/** A comma list with every space removed; empty items dropped; undefined when the annotation is absent. */
export function hostnamesFrom(a: AnnotationSet, name: string): string[] | undefined {
  const value = a.get(name);
  if (value === undefined) return undefined;
  return splitList(value).map((h) => h.replace(/\.$/, ''));
}

/** Targets from the `target` annotation (trailing dots trimmed); [] when absent or empty. */
export function targetsFrom(a: AnnotationSet): string[] {
  const value = a.get(AnnotationName.target);
  if (value === undefined || value === '') return [];
  return splitList(value).map((t) => t.replace(/\.$/, ''));
}

function splitList(value: string): string[] {
  return value
    .replace(/ /g, '')
    .trim()
    .split(',')
    .filter((s) => s !== '');
}

/**
 * The `ttl` annotation in seconds: an integer or a Go duration (`10m`, `1h30m`,
 * `1.5s` → 1). 0 (provider default) when absent or invalid; invalid values add a warning.
 */
export function ttlFrom(a: AnnotationSet, resource: string, warnings: SourceWarning[]): number {
  const value = a.get(AnnotationName.ttl);
  if (value === undefined) return 0;
  const key = a.keyOf(AnnotationName.ttl);
  const seconds = parseTtl(value);
  if (seconds === undefined) {
    warnings.push({
      resource,
      message: `annotation ${key}: "${value}" is not a valid TTL; use whole seconds ("300") or a duration ("5m"). The record gets the provider's default TTL`,
    });
    return 0;
  }
  if (seconds < TTL_MIN || seconds > TTL_MAX) {
    warnings.push({
      resource,
      message: `annotation ${key}: TTL ${seconds} is outside ${TTL_MIN}..${TTL_MAX} seconds. The record gets the provider's default TTL`,
    });
    return 0;
  }
  return seconds;
}

/** Seconds, truncated toward zero; undefined when `s` is neither an integer nor a Go duration. */
export function parseTtl(s: string): number | undefined {
  const duration = parseGoDuration(s);
  if (duration !== undefined) return Math.trunc(duration);
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600,
};
const DURATION = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** Go's time.ParseDuration, in seconds. */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0' || s === '+0' || s === '-0') return 0;
  if (!DURATION.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(DURATION_PART)) total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? 0);
  return s.startsWith('-') ? -total : total;
}

export interface ProviderSpecificAnnotations {
  providerSpecific: ProviderSpecificProperty[];
  setIdentifier: string;
}

/** Name-after-prefix → property-name rules for provider-specific annotations. */
const PROVIDER_PREFIXES: readonly (readonly [string, string])[] = [
  ['aws-', 'aws/'],
  ['scw-', 'scw/'],
  ['webhook-', 'webhook/'],
  ['coredns-', 'coredns/'],
];

/** Cloudflare annotations keep their full key as the property name (ExternalDNS does the same). */
const CLOUDFLARE_NAMES: ReadonlySet<string> = new Set([
  'cloudflare-proxied',
  'cloudflare-custom-hostname',
  'cloudflare-region-key',
  'cloudflare-record-comment',
  'cloudflare-tags',
]);

/**
 * Provider-specific properties and the set identifier. `alias` maps only for
 * the exact value "true"; `record-type` passes through (PTR opt-in/out).
 */
export function providerSpecificFrom(a: AnnotationSet): ProviderSpecificAnnotations {
  const providerSpecific: ProviderSpecificProperty[] = [];
  if (a.get(AnnotationName.alias) === 'true') providerSpecific.push({ name: PropertyName.alias, value: 'true' });
  const recordType = a.get(AnnotationName.recordType);
  if (recordType !== undefined) providerSpecific.push({ name: PropertyName.recordType, value: recordType });
  for (const [name, value] of a.entries()) {
    const property = propertyNameFor(name, a.prefix);
    if (property !== undefined) providerSpecific.push({ name: property, value });
  }
  return { providerSpecific, setIdentifier: a.get(AnnotationName.setIdentifier) ?? '' };
}

function propertyNameFor(name: string, prefix: string): string | undefined {
  for (const [from, to] of PROVIDER_PREFIXES) {
    if (name.startsWith(from)) return to + name.slice(from.length);
  }
  if (name === 'azure-tags') return 'azure/tags';
  if (CLOUDFLARE_NAMES.has(name)) return prefix + name;
  return undefined;
}
