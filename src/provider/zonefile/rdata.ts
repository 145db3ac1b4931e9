/**
 * Record data in one canonical presentation form per type. The same functions
 * read zone files and canonicalise endpoint targets, which is what makes a
 * converged zone plan no change: canonical(canonical(x)) === canonical(x).
 *
 * File form: host names absolute with a trailing dot, TXT as quoted strings.
 * Target form (Endpoint.targets): the file form as text (UTF-8 decoded),
 * except CNAME/NS/PTR/DNAME/MX host names lose their trailing dot (as
 * ExternalDNS endpoints carry them). Host names are compared in canonical form
 * (ASCII lower case, escapes normalised, see nameKey).
 */
import { isIPv4 } from 'node:net';
import { lex, LexError, type Token } from './lexer.ts';
import { absoluteName, asciiLower, canonicalIPv6, decodeBytes, fromByteString, MAX_STRING_BYTES, nameKey, parseTtl, quoteBytes, RdataError, splitText, toByteString } from './text.ts';

type Handler = (tokens: readonly Token[], origin: string | null) => string;

const HANDLERS: Readonly<Record<string, Handler>> = {
  A: (t) => ipv4(only(t, 'A', 'an IPv4 address')),
  AAAA: (t) => ipv6(only(t, 'AAAA', 'an IPv6 address')),
  CNAME: (t, o) => hostName(plain(only(t, 'CNAME', 'a host name')), o),
  NS: (t, o) => hostName(plain(only(t, 'NS', 'a host name')), o),
  PTR: (t, o) => hostName(plain(only(t, 'PTR', 'a host name')), o),
  DNAME: (t, o) => hostName(plain(only(t, 'DNAME', 'a domain name')), o),
  MX: (t, o) => {
    const [pref, host] = count(t, 2, 'MX', '<preference> <host>');
    return `${u16(pref, 'MX preference')} ${hostName(plain(host), o)}`;
  },
  SRV: (t, o) => {
    const [prio, weight, port, host] = count(t, 4, 'SRV', '<priority> <weight> <port> <host>');
    return `${u16(prio, 'SRV priority')} ${u16(weight, 'SRV weight')} ${u16(port, 'SRV port')} ${hostName(plain(host), o)}`;
  },
  TXT: (t) => characterStrings(t, 'TXT'),
  SPF: (t) => characterStrings(t, 'SPF'),
  NAPTR: (t, o) => {
    const [order, pref, flags, service, regexp, repl] = count(t, 6, 'NAPTR', '<order> <preference> "<flags>" "<service>" "<regexp>" <replacement>');
    const strings = [flags, service, regexp].map((s) => quoteBytes(charString(s, 'NAPTR')));
    return `${u16(order, 'NAPTR order')} ${u16(pref, 'NAPTR preference')} ${strings.join(' ')} ${hostName(plain(repl), o)}`;
  },
  CAA: (t) => {
    const [flags, tag, value] = count(t, 3, 'CAA', '<flags> <tag> "<value>"');
    const tagText = asciiLower(plain(tag));
    if (!/^[a-z0-9]+$/.test(tagText)) throw new RdataError(`CAA tag "${tagText}" must be letters and digits`);
    return `${uint(flags, 'CAA flags', 255)} ${tagText} ${quoteBytes(decodeBytes(value?.text ?? ''))}`;
  },
  SOA: (t, o) => {
    const [mname, rname, serial, ...timers] = count(t, 7, 'SOA', '<mname> <rname> <serial> <refresh> <retry> <expire> <minimum>');
    const names = `${hostName(plain(mname), o)} ${hostName(plain(rname), o)}`;
    return `${names} ${uint(serial, 'SOA serial', 0xffffffff)} ${timers.map((x) => ttlValue(x, 'SOA timer')).join(' ')}`;
  },
};

/** True when extdns understands the type's data; other types are kept verbatim. */
export function isModelledType(type: string): boolean {
  return type in HANDLERS;
}

/** Types whose single-name data loses its trailing dot in an endpoint target. */
const HOST_TYPES: ReadonlySet<string> = new Set(['CNAME', 'NS', 'PTR', 'DNAME']);

/**
 * Canonical file form of one record's data. `origin` resolves relative names
 * (no trailing dot, "" = root); null means names are already absolute.
 * Types extdns does not model are kept as written (tokens joined by one space).
 */
export function canonicalRdata(type: string, tokens: readonly Token[], origin: string | null): string {
  const handler = HANDLERS[type];
  if (handler !== undefined) return handler(tokens, origin);
  if (tokens.length === 0) throw new RdataError(`${type} record has no data`);
  return tokens.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
}

/** The endpoint target for a record's canonical file data. */
export function rdataToTarget(type: string, rdata: string): string {
  if (HOST_TYPES.has(type)) return fromByteString(stripDot(rdata));
  if (type === 'MX') {
    const space = rdata.indexOf(' ');
    return fromByteString(`${rdata.slice(0, space)} ${stripDot(rdata.slice(space + 1))}`);
  }
  return fromByteString(rdata);
}

/** Canonical absolute host name with its trailing dot. */
function hostName(token: string, origin: string | null): string {
  const key = nameKey(absoluteName(token, origin));
  return key === '' ? '.' : `${key}.`;
}

/** Canonical file data for an endpoint target (names in targets are absolute). */
export function targetToRdata(type: string, text: string): string {
  const target = toByteString(text);
  if (type === 'TXT' || type === 'SPF') return txtTargetToRdata(target);
  let tokens: Token[];
  try {
    const lines = lex(target);
    if (lines.length !== 1) throw new RdataError(`target "${text}" must be one line of ${type} data`);
    tokens = lines[0]?.tokens ?? [];
  } catch (err) {
    if (err instanceof LexError) throw new RdataError(`target "${text}": ${err.message}`);
    throw err;
  }
  return canonicalRdata(type, tokens, null);
}

/** The canonical target: what records() would return for this target once written. */
export function canonicalTarget(type: string, target: string): string {
  return rdataToTarget(type, targetToRdata(type, target));
}

/**
 * A TXT target is either its presentation form (one or more quoted strings,
 * as the TXT registry writes `"heritage=external-dns,…"`) or raw text, which
 * is quoted and split into 255-byte strings.
 */
function txtTargetToRdata(target: string): string {
  const quoted = quotedStrings(target);
  const pieces = quoted ?? splitText(target);
  return pieces.flatMap(splitBytes).map(quoteBytes).join(' ');
}

function quotedStrings(target: string): Uint8Array[] | undefined {
  if (!target.trimStart().startsWith('"')) return undefined;
  try {
    const lines = lex(target);
    const tokens = lines.length === 1 ? (lines[0]?.tokens ?? []) : [];
    if (tokens.length === 0 || tokens.some((t) => !t.quoted)) return undefined;
    return tokens.map((t) => decodeBytes(t.text));
  } catch {
    return undefined;
  }
}

/** Splits over-long strings at 255 bytes (a quoted target may hold one longer than DNS allows). */
function splitBytes(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length <= MAX_STRING_BYTES) return [bytes];
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += MAX_STRING_BYTES) parts.push(bytes.subarray(i, i + MAX_STRING_BYTES));
  return parts;
}

function characterStrings(tokens: readonly Token[], type: string): string {
  if (tokens.length === 0) throw new RdataError(`${type} record needs at least one string`);
  return tokens.map((t) => quoteBytes(charString(t, type))).join(' ');
}

function charString(token: Token | undefined, type: string): Uint8Array {
  const bytes = decodeBytes(token?.text ?? '');
  if (bytes.length > MAX_STRING_BYTES) {
    throw new RdataError(`${type} string of ${bytes.length} bytes is longer than ${MAX_STRING_BYTES}; split it into several quoted strings`);
  }
  return bytes;
}

function stripDot(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

function count(tokens: readonly Token[], n: number, type: string, usage: string): readonly Token[] {
  if (tokens.length !== n) throw new RdataError(`${type} record needs ${usage}, found ${tokens.length} field(s)`);
  return tokens;
}

function only(tokens: readonly Token[], type: string, what: string): Token {
  const [first] = count(tokens, 1, type, what);
  if (first === undefined) throw new RdataError(`${type} record needs ${what}`);
  return first;
}

function plain(token: Token | undefined): string {
  if (token === undefined) throw new RdataError('missing field');
  if (token.quoted) throw new RdataError(`"${token.text}" must not be quoted here`);
  return token.text;
}

function ipv4(token: Token): string {
  const text = plain(token);
  if (!isIPv4(text)) throw new RdataError(`"${text}" is not an IPv4 address`);
  return text;
}

function ipv6(token: Token): string {
  const text = plain(token);
  const canonical = canonicalIPv6(text);
  if (canonical === undefined) throw new RdataError(`"${text}" is not an IPv6 address`);
  return canonical;
}

function uint(token: Token | undefined, what: string, max: number): string {
  const text = plain(token);
  if (!/^\d+$/.test(text) || Number(text) > max) throw new RdataError(`${what} "${text}" must be a whole number from 0 to ${max}`);
  return String(Number(text));
}

function u16(token: Token | undefined, what: string): string {
  return uint(token, what, 65535);
}

function ttlValue(token: Token | undefined, what: string): string {
  const text = plain(token);
  const value = parseTtl(text);
  if (value === undefined) throw new RdataError(`${what} "${text}" is not a number of seconds`);
  return String(value);
}
