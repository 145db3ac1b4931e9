/**
 * RFC 1035 master-file parser (with RFC 2308 `$TTL`), reading a zone as BIND
 * 9 loads it. The text is a byte string (./text.ts). Every record keeps where
 * it is in the text (so a change rewrites only its own lines), its owner as
 * written (case kept) and its identity (`name`: ASCII lower case, escapes
 * decoded). TTLs follow BIND's rules exactly, including "no TTL specified;
 * using SOA MINTTL instead". Any problem is an ExtdnsError naming `file:line`;
 * a zone that fails to parse is never rewritten.
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { ZonefileErrors } from './errors.ts';
import { drain, type Sliced } from '../../util/sliced.ts';
import { lexSliced, LexError, type LogicalLine, type Token } from './lexer.ts';
import { canonicalRdata } from './rdata.ts';
import { absoluteName, nameKey, parseTtl, RdataError } from './text.ts';

export interface ResourceRecord {
  /** Identity: absolute, ASCII lower case, escapes canonical, no trailing dot ("" for the root). */
  name: string;
  /** Upper case, e.g. "A", "TYPE65534". */
  type: string;
  ttl: number;
  /** Canonical presentation data (see ./rdata.ts). */
  rdata: string;
}

/** A record as found in the file. */
export interface FileRecord extends ResourceRecord {
  /** The owner as written, made absolute (trailing dot, case and escapes kept). */
  owner: string;
  /** Offsets of its logical line, and its first physical line number. */
  start: number;
  end: number;
  line: number;
  /** Offset just past the owner token, or -1 when the owner is inherited (line starts with a blank). */
  ownerEnd: number;
  /** Offset of the first token after the owner. */
  bodyStart: number;
  /** The `$ORIGIN` in effect (as written, no trailing dot). */
  origin: string;
  /** The TTL a record without one gets after this line, when BIND has a default (`$TTL`, or the SOA minimum rule). */
  defaultTtl: number | undefined;
  /** SOA only: offsets of the serial token. */
  serial?: { start: number; end: number };
}

export interface ParsedZone {
  /** The zone apex (the file name without `.zone`), lower case, no trailing dot. */
  origin: string;
  records: FileRecord[];
  /** `$ORIGIN` in effect at the end of the file. */
  tailOrigin: string;
  /** The default TTL in effect at the end of the file (see FileRecord.defaultTtl). */
  tailDefaultTtl: number | undefined;
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
  /** BIND's lctx->ttl / ttl_known: the last explicit TTL. */
  lastTtl: number | undefined;
  /** BIND's default_ttl / default_ttl_known: `$TTL`, or the SOA minimum when nothing else was known. */
  defaultTtl: number | undefined;
  owner: string | undefined;
  /** nameKey(owner), and nameKey(origin): computed once, shared by the records that inherit them. */
  ownerName: string;
  originName: string;
  onRecord: (record: FileRecord) => void;
}

/** Type mnemonics as written → upper case, shared (one string per type, not per record). */
const TYPE_NAMES = new Map<string, string>();

function typeName(text: string): string {
  const upper = text.toUpperCase();
  if (TYPE_NAMES.size < 1000) TYPE_NAMES.set(text, upper);
  return upper;
}

const CLASSES = new Set(['IN', 'CH', 'CS', 'HS', 'ANY', 'NONE']);
/** BIND's limit: a TTL above 2^31-1 is read as 0 (RFC 2181 §8). */
const MAX_TTL = 0x7fffffff;

export function parseZone(text: string, options: ParseOptions): ParsedZone {
  return drain(parseZoneSliced(text, options));
}

/** parseZone as a Sliced computation (see ../../util/sliced.ts). */
export function* parseZoneSliced(text: string, options: ParseOptions): Sliced<ParsedZone> {
  const records: FileRecord[] = [];
  const { origin, tailOrigin, tailDefaultTtl } = yield* parseZoneEachSliced(text, options, (r) => records.push(r));
  return { origin, records, tailOrigin, tailDefaultTtl };
}

/** Parses without keeping the records: `onRecord` sees each in file order. */
export function parseZoneEach(text: string, options: ParseOptions, onRecord: (record: FileRecord) => void): Omit<ParsedZone, 'records'> {
  return drain(parseZoneEachSliced(text, options, onRecord));
}

/** parseZoneEach as a Sliced computation. */
export function* parseZoneEachSliced(text: string, options: ParseOptions, onRecord: (record: FileRecord) => void): Sliced<Omit<ParsedZone, 'records'>> {
  const origin = nameKey(options.origin);
  const s: ParseState = {
    file: options.file, origin, lastTtl: undefined, defaultTtl: undefined, owner: undefined, ownerName: '', originName: origin, onRecord,
  };
  try {
    yield* lexSliced(text, (line) => {
      const first = line.tokens[0];
      if (first !== undefined && !first.quoted && first.text.charCodeAt(0) === 36 && !line.blankStart) directive(s, line);
      else resourceRecord(s, line);
    });
  } catch (err) {
    if (err instanceof LexError) throw syntaxError(s, err.line, err.message);
    throw err;
  }
  return { origin, tailOrigin: s.origin, tailDefaultTtl: s.defaultTtl };
}

function directive(s: ParseState, line: LogicalLine): void {
  const [name, arg, ...rest] = line.tokens;
  const keyword = (name?.text ?? '').toUpperCase();
  if (keyword === '$GENERATE') return; // kept as written; extdns does not manage generated records
  if (keyword === '$INCLUDE') {
    throw syntaxError(s, line.line, '$INCLUDE is not supported: extdns rewrites each zone as one file; paste the included records into this file');
  }
  if (keyword !== '$ORIGIN' && keyword !== '$TTL') {
    throw syntaxError(s, line.line, `unknown directive ${name?.text ?? ''} (BIND knows $ORIGIN, $TTL, $INCLUDE, $GENERATE)`);
  }
  if (arg === undefined || arg.quoted || rest.length > 0) throw syntaxError(s, line.line, `${keyword} takes exactly one value`);
  if (keyword === '$TTL') {
    const ttl = parseTtl(arg.text);
    if (ttl === undefined) throw syntaxError(s, line.line, `$TTL "${arg.text}" is not a number of seconds`);
    s.defaultTtl = limitTtl(ttl);
    s.lastTtl = s.defaultTtl;
    return;
  }
  s.origin = stripDot(resolveName(s, arg.text, line.line));
  s.originName = nameKey(s.origin);
}

/** Plain lower-case relative names (the common case) need no escape decoding to find their identity. */
const PLAIN_RELATIVE = /^[a-z0-9_*-]+(\.[a-z0-9_*-]+)*$/;

function ownerName(s: ParseState, token: string, owner: string): string {
  if (!PLAIN_RELATIVE.test(token)) return nameKey(owner);
  return s.originName === '' ? token : `${token}.${s.originName}`;
}

/** Reads the line's owner into the state (or keeps the previous one); returns where the owner token ends, or -1. */
function readOwner(s: ParseState, line: LogicalLine): number {
  if (line.blankStart) {
    if (s.owner === undefined) throw syntaxError(s, line.line, 'line starts with a blank but no previous record gives its owner name');
    return -1;
  }
  const ownerToken = line.tokens[0];
  if (ownerToken === undefined || ownerToken.quoted) throw syntaxError(s, line.line, 'expected owner name');
  s.owner = resolveName(s, ownerToken.text, line.line);
  s.ownerName = ownerName(s, ownerToken.text, s.owner);
  return ownerToken.end;
}

function resourceRecord(s: ParseState, line: LogicalLine): void {
  const tokens = line.tokens;
  const ownerEnd = readOwner(s, line);
  const owner = s.owner ?? '';
  const i = ownerEnd < 0 ? 0 : 1;
  const bodyStart = tokens[i]?.start ?? line.end;
  const { ttl, klass, next } = ttlAndClass(tokens, i);
  if (klass !== 'IN') throw syntaxError(s, line.line, `class ${klass} is not supported; only IN`);
  const typeToken = tokens[next];
  if (typeToken === undefined) throw syntaxError(s, line.line, 'record has no type');
  const type = TYPE_NAMES.get(typeToken.text) ?? typeName(typeToken.text);
  if (typeToken.quoted || !/^[A-Z][A-Z0-9-]*$/.test(type)) throw syntaxError(s, line.line, `expected a record type, found "${typeToken.text}"`);
  const data = tokens.slice(next + 1);
  let rdata: string;
  try {
    rdata = canonicalRdata(type, data, s.origin);
  } catch (err) {
    if (err instanceof RdataError) throw syntaxError(s, line.line, err.message);
    throw err;
  }
  const record: FileRecord = {
    name: s.ownerName, owner, type, ttl: resolveTtl(s, ttl, { type, rdata, line: line.line }), rdata,
    start: line.start, end: line.end, line: line.line, ownerEnd, bodyStart, origin: s.origin, defaultTtl: undefined,
  };
  record.defaultTtl = s.defaultTtl;
  const serial = type === 'SOA' ? serialToken(data) : undefined;
  if (serial !== undefined) record.serial = serial;
  s.onRecord(record);
}

function serialToken(data: readonly Token[]): { start: number; end: number } | undefined {
  const token = data[2];
  return token === undefined ? undefined : { start: token.start, end: token.end };
}

/** BIND 9's master.c rules, in its order. */
function resolveTtl(s: ParseState, explicit: number | undefined, record: { type: string; rdata: string; line: number }): number {
  const { type, rdata, line } = record;
  if (explicit !== undefined) {
    s.lastTtl = limitTtl(explicit);
    return s.lastTtl;
  }
  if (s.defaultTtl !== undefined) return s.defaultTtl;
  if (s.lastTtl !== undefined) return s.lastTtl; // "using RFC1035 TTL semantics"
  if (type === 'SOA') {
    // "no TTL specified; using SOA MINTTL instead": it becomes the default for the rest of the file.
    s.defaultTtl = limitTtl(Number(rdata.split(' ').at(-1)));
    return s.defaultTtl;
  }
  throw syntaxError(s, line, 'no TTL specified; BIND rejects the zone (add $TTL at the top, or a TTL to this record)');
}

function limitTtl(ttl: number): number {
  return ttl > MAX_TTL ? 0 : ttl;
}

/** Reads the optional TTL and class, in either order (RFC 1035 §5.1); returns the index of the type token. */
function ttlAndClass(tokens: readonly Token[], from: number): { ttl: number | undefined; klass: string; next: number } {
  let ttl: number | undefined;
  let klass: string | undefined;
  let i = from;
  for (; i < from + 2; i++) {
    const token = tokens[i];
    if (token === undefined || token.quoted) break;
    const upper = token.text.toUpperCase();
    if (klass === undefined && (CLASSES.has(upper) || /^CLASS\d+$/.test(upper))) {
      klass = upper;
    } else if (ttl === undefined && parseTtl(token.text) !== undefined) {
      ttl = parseTtl(token.text);
    } else {
      break;
    }
  }
  return { ttl, klass: klass ?? 'IN', next: i };
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
