/**
 * Domain filters (ExternalDNS `DomainFilterInterface`) with ExternalDNS's
 * matching rules (`endpoint/domain_filter.go`), and their webhook JSON form.
 *
 * List mode (`--domain-filter`, `--exclude-domains`): a name matches a filter
 * when it equals it or ends with `.` + filter (label boundary: `example.com`
 * covers `a.example.com` and `*.example.com`, never `badexample.com`); a filter
 * written with a leading dot (`.example.com`) covers subdomains only. No
 * include list means "everything"; an exclude match always wins.
 *
 * Regex mode (`--regex-domain-filter`, `--regex-domain-exclusion`) replaces
 * list mode as soon as either regex is set: the exclusion is checked first,
 * then the inclusion (unanchored search, as Go's MatchString), against the
 * lower-case Unicode form of the name.
 *
 * Names and filters compare case-insensitively, without trailing dots, and
 * with internationalised labels in one form (./idna.ts).
 */
import { ExtdnsError } from '../errors/errors.ts';
import { EndpointErrors } from './errors.ts';
import { normalizeDnsName, unicodeDnsName } from './idna.ts';
import { at, fieldSet, goFields, readArray, readObject, readString, stringItem } from './json-read.ts';

/** The webhook wire form: list mode or regex mode; `{}` matches everything. */
export interface DomainFilterWire {
  include?: string[];
  exclude?: string[];
  regexInclude?: string;
  regexExclude?: string;
}

export interface DomainFilter {
  /** True when `name` (no trailing dot) is in scope. An unconfigured filter matches everything. */
  match(name: string): boolean;
  /** True when any include/exclude/regex is set. */
  isConfigured(): boolean;
  toWire(): DomainFilterWire;
}

export const MATCH_ALL: DomainFilter = {
  match: () => true,
  isConfigured: () => false,
  toWire: () => ({}),
};

export interface DomainFilterOptions {
  include?: readonly string[] | undefined;
  exclude?: readonly string[] | undefined;
  /** Go RE2 syntax; "" = unset. */
  regexInclude?: string | undefined;
  regexExclude?: string | undefined;
}

/** Names of the settings, for error messages (flags by default; wire field names when decoding JSON). */
interface RegexNames {
  include: string;
  exclude: string;
}

const FLAG_NAMES: RegexNames = { include: '--regex-domain-filter', exclude: '--regex-domain-exclusion' };

export interface DomainFilterImpl extends DomainFilter {
  /**
   * ExternalDNS `MatchParent`: true when `name` is a parent of an included
   * domain (zone `example.com` for filter `a.example.com`) and not excluded.
   * Providers use it to keep zones that hold filtered names.
   */
  matchParent(name: string): boolean;
}

/** Trims, normalises and drops empty entries (ExternalDNS `prepareFilters`). */
function prepare(filters: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const filter of filters ?? []) {
    const normalized = normalizeDnsName(filter.trim());
    if (normalized !== '') out.push(normalized);
  }
  return out;
}

function matchesOne(filter: string, name: string): boolean {
  if (filter.startsWith('.')) return name.endsWith(filter);
  return name === filter || (name.endsWith(filter) && name.charCodeAt(name.length - filter.length - 1) === 46 /* . */);
}

function matchesAny(filters: readonly string[], name: string): boolean {
  for (const filter of filters) {
    if (matchesOne(filter, name)) return true;
  }
  return false;
}

/** Compiles a Go RE2 pattern as a JS RegExp: leading `(?flags)` become JS flags, `(?P<name>` becomes `(?<name>`. */
export function compileGoRegex(pattern: string, setting: string): RegExp {
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  const flags = [...new Set((leading?.[1] ?? '').replace('U', ''))].join('');
  const body = pattern.slice(leading?.[0].length ?? 0).replaceAll('(?P<', '(?<');
  try {
    return new RegExp(body, flags);
  } catch (err) {
    throw new ExtdnsError(
      EndpointErrors.EXTDNS_DOMAIN_FILTER_REGEX,
      `${setting}='${pattern}' is not a valid regular expression: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function listFilter(include: readonly string[], exclude: readonly string[]): DomainFilterImpl {
  const wire: DomainFilterWire = {};
  // The wire carries the Unicode form, as ExternalDNS's filters hold it.
  if (include.length > 0) wire.include = include.map(unicodeDnsName).sort();
  if (exclude.length > 0) wire.exclude = exclude.map(unicodeDnsName).sort();
  return {
    match(name: string): boolean {
      const n = normalizeDnsName(name);
      return (include.length === 0 || matchesAny(include, n)) && !matchesAny(exclude, n);
    },
    matchParent(name: string): boolean {
      const n = normalizeDnsName(name);
      if (matchesAny(exclude, n)) return false;
      if (include.length === 0) return true;
      return include.some((f) => !f.startsWith('.') && f.endsWith(`.${n}`));
    },
    isConfigured: () => include.length > 0 || exclude.length > 0,
    toWire: () => structuredClone(wire),
  };
}

function regexFilter(options: { include: string; exclude: string }, names: RegexNames): DomainFilterImpl {
  const include = options.include === '' ? undefined : compileGoRegex(options.include, names.include);
  const exclude = options.exclude === '' ? undefined : compileGoRegex(options.exclude, names.exclude);
  const wire: DomainFilterWire = {};
  if (include !== undefined) wire.regexInclude = options.include;
  if (exclude !== undefined) wire.regexExclude = options.exclude;
  return {
    match(name: string): boolean {
      const n = unicodeDnsName(name);
      if (exclude?.test(n) === true) return false;
      return include === undefined || include.test(n);
    },
    // Like ExternalDNS: regex filters do not restrict zones (no list to find parents in).
    matchParent: () => true,
    isConfigured: () => true,
    toWire: () => ({ ...wire }),
  };
}

function build(options: DomainFilterOptions, names: RegexNames): DomainFilterImpl {
  const regexInclude = options.regexInclude ?? '';
  const regexExclude = options.regexExclude ?? '';
  if (regexInclude !== '' || regexExclude !== '') return regexFilter({ include: regexInclude, exclude: regexExclude }, names);
  return listFilter(prepare(options.include), prepare(options.exclude));
}

/** Builds a filter from flag values; a regex that does not compile throws EXTDNS_DOMAIN_FILTER_REGEX naming the flag. */
export function createDomainFilter(options: DomainFilterOptions): DomainFilterImpl {
  return build(options, FLAG_NAMES);
}

/**
 * Reads the webhook JSON form (the body of the negotiation `GET /`). `null`
 * or `{}` is the match-all filter. A list and a regex together are refused, as
 * ExternalDNS's decoder does.
 */
const DOMAIN_FILTER_FIELDS = fieldSet(['include', 'exclude', 'regexInclude', 'regexExclude']);

export function domainFilterFromWire(value: unknown, path = 'domainFilter'): DomainFilterImpl {
  if (value === null || value === undefined) return build({}, FLAG_NAMES);
  // Keys matched as Go's encoding/json matches them (`Include` works).
  const obj = goFields(readObject(value, path), DOMAIN_FILTER_FIELDS, path);
  const include = readArray(obj, 'include', path, stringItem);
  const exclude = readArray(obj, 'exclude', path, stringItem);
  const regexInclude = readString(obj, 'regexInclude', path);
  const regexExclude = readString(obj, 'regexExclude', path);
  const regexSet = regexInclude !== '' || regexExclude !== '';
  if (regexSet && (include.length > 0 || exclude.length > 0)) {
    throw new ExtdnsError(
      EndpointErrors.EXTDNS_DOMAIN_FILTER_MIXED,
      `${path} sets both a domain list (include/exclude) and a regex (regexInclude/regexExclude); send only one form`,
    );
  }
  return build({ include, exclude, regexInclude, regexExclude }, { include: at(path, 'regexInclude'), exclude: at(path, 'regexExclude') });
}

/** True when every filter matches `name` (ExternalDNS `MatchAllDomainFilters`); no filters match everything. */
export function matchAll(filters: readonly DomainFilter[], name: string): boolean {
  for (const filter of filters) {
    if (!filter.match(name)) return false;
  }
  return true;
}
