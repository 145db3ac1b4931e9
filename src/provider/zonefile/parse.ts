/**
 * RFC 1035 master-file parser (with RFC 2308 `$TTL`). Produces one record per
 * resource record with absolute, lower-case names (no trailing dot) and data
 * in the canonical form of ./rdata.ts. Any problem is an ExtdnsError that
 * names `file:line` and what is wrong; a zone that fails to parse is never
 * rewritten.
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { ZonefileErrors } from './errors.ts';
import { lex, LexError, type LogicalLine, type Token } from './lexer.ts';
import { canonicalRdata, isModelledType } from './rdata.ts';
import { absoluteName, parseTtl, RdataError } from './text.ts';

export interface ResourceRecord {
  /** Absolute, lower case, no trailing dot ("" for the root). */
  name: string;
  /** Upper case, e.g. "A", "TYPE65534". */
  type: string;
  ttl: number;
  /** Canonical presentation data (see ./rdata.ts). */
  rdata: string;
  /**
   * For types kept verbatim only: the origin their data was written under, so
   * relative names inside it keep their meaning when the zone is rewritten.
   */
  verbatimOrigin?: string;
}

export interface ParsedZone {
  /** The zone apex (the file name without `.zone`), lower case, no trailing dot. */
  origin: string;
  /** The file's first `$TTL`, if any. */
  defaultTtl: number | undefined;
  records: ResourceRecord[];
}

export interface ParseOptions {
  /** The zone name (initial `$ORIGIN`). */
  origin: string;
  /** Shown in error messages, e.g. the file path. */
  file: string;
}

interface ParseState {
  file: string;
  origin: string;
  dollarTtl: number | undefined;
  firstDollarTtl: number | undefined;
  lastTtl: number | undefined;
  owner: string | undefined;
  records: (ResourceRecord & { ttlMissing?: true; line: number })[];
}

const CLASSES = new Set(['IN', 'CH', 'CS', 'HS', 'ANY', 'NONE']);

export function parseZone(text: string, options: ParseOptions): ParsedZone {
  const origin = stripDot(options.origin.toLowerCase());
  const s: ParseState = {
    file: options.file, origin, dollarTtl: undefined, firstDollarTtl: undefined, lastTtl: undefined, owner: undefined, records: [],
  };
  let lines: LogicalLine[];
  try {
    lines = lex(text);
  } catch (err) {
    if (err instanceof LexError) throw syntaxError(s, err.line, err.message);
    throw err;
  }
  for (const line of lines) {
    const first = line.tokens[0];
    if (first !== undefined && !first.quoted && first.text.startsWith('$') && !line.blankStart) directive(s, line);
    else resourceRecord(s, line);
  }
  return { origin, defaultTtl: s.firstDollarTtl, records: resolveMissingTtls(s) };
}

function directive(s: ParseState, line: LogicalLine): void {
  const [name, arg, ...rest] = line.tokens;
  const keyword = (name?.text ?? '').toUpperCase();
  if (keyword === '$INCLUDE') {
    throw syntaxError(s, line.line, '$INCLUDE is not supported: extdns rewrites each zone as one file; paste the included records into this file');
  }
  if (keyword !== '$ORIGIN' && keyword !== '$TTL') {
    throw syntaxError(s, line.line, `unknown directive ${name?.text ?? ''} (supported: $ORIGIN, $TTL)`);
  }
  if (arg === undefined || arg.quoted || rest.length > 0) throw syntaxError(s, line.line, `${keyword} takes exactly one value`);
  if (keyword === '$TTL') {
    const ttl = parseTtl(arg.text);
    if (ttl === undefined) throw syntaxError(s, line.line, `$TTL "${arg.text}" is not a number of seconds`);
    s.dollarTtl = ttl;
    s.firstDollarTtl ??= ttl;
    return;
  }
  s.origin = stripDot(resolveName(s, arg.text, line.line));
}

function resourceRecord(s: ParseState, line: LogicalLine): void {
  const tokens = [...line.tokens];
  const owner = line.blankStart ? s.owner : resolveName(s, takePlain(s, tokens, line.line, 'owner name'), line.line);
  if (owner === undefined) throw syntaxError(s, line.line, 'line starts with a blank but no previous record gives its owner name');
  s.owner = owner;
  const { ttl, klass } = ttlAndClass(s, tokens);
  if (klass !== 'IN') throw syntaxError(s, line.line, `class ${klass} is not supported; only IN`);
  const typeToken = tokens.shift();
  if (typeToken === undefined) throw syntaxError(s, line.line, 'record has no type');
  const type = typeToken.text.toUpperCase();
  if (typeToken.quoted || !/^[A-Z][A-Z0-9-]*$/.test(type)) throw syntaxError(s, line.line, `expected a record type, found "${typeToken.text}"`);
  let rdata: string;
  try {
    rdata = canonicalRdata(type, tokens, s.origin);
  } catch (err) {
    if (err instanceof RdataError) throw syntaxError(s, line.line, err.message);
    throw err;
  }
  const record: ParseState['records'][number] = { name: stripDot(owner), type, ttl: ttl ?? 0, rdata, line: line.line };
  if (ttl === undefined) record.ttlMissing = true;
  if (!isModelledType(type)) record.verbatimOrigin = s.origin;
  s.records.push(record);
}

/** Reads the optional TTL and class, in either order (RFC 1035 §5.1). */
function ttlAndClass(s: ParseState, tokens: Token[]): { ttl: number | undefined; klass: string } {
  let ttl: number | undefined;
  let klass: string | undefined;
  for (let i = 0; i < 2; i++) {
    const token = tokens[0];
    if (token === undefined || token.quoted) break;
    const upper = token.text.toUpperCase();
    if (klass === undefined && (CLASSES.has(upper) || /^CLASS\d+$/.test(upper))) {
      klass = upper;
    } else if (ttl === undefined && parseTtl(token.text) !== undefined) {
      ttl = parseTtl(token.text);
    } else {
      break;
    }
    tokens.shift();
  }
  if (ttl !== undefined) s.lastTtl = ttl;
  return { ttl: ttl ?? s.dollarTtl ?? s.lastTtl, klass: klass ?? 'IN' };
}

/** Records written before any TTL was known take the SOA minimum, as BIND does. */
function resolveMissingTtls(s: ParseState): ResourceRecord[] {
  const soa = s.records.find((r) => r.type === 'SOA');
  const minimum = soa === undefined ? undefined : Number(soa.rdata.split(' ').at(-1));
  return s.records.map((r) => {
    const { ttlMissing, line, ...record } = r;
    if (ttlMissing !== true) return record;
    if (minimum === undefined) throw syntaxError(s, line, 'record has no TTL and the file has no $TTL or SOA to take one from');
    return { ...record, ttl: minimum };
  });
}

function takePlain(s: ParseState, tokens: Token[], line: number, what: string): string {
  const token = tokens.shift();
  if (token === undefined || token.quoted) throw syntaxError(s, line, `expected ${what}`);
  return token.text;
}

function resolveName(s: ParseState, token: string, line: number): string {
  try {
    return absoluteName(token, s.origin);
  } catch (err) {
    if (err instanceof RdataError) throw syntaxError(s, line, err.message);
    throw err;
  }
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function syntaxError(s: ParseState, line: number, message: string): ExtdnsError {
  return new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_SYNTAX, `${s.file}:${line}: ${message}`);
}
