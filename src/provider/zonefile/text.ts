/**
 * Presentation-format pieces shared by the parser, the renderer and endpoint
 * canonicalisation: domain names and character-strings (RFC 1035 §5.1).
 */
import { isIPv6 } from 'node:net';

/** A problem with one record's data; callers add the file:line or the record's name. */
export class RdataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RdataError';
  }
}

/** Longest character-string in DNS (one length byte). */
export const MAX_STRING_BYTES = 255;

/**
 * Resolves a name token to its absolute form with a trailing dot (the root is
 * "."), letters kept as written: a zone file's bytes are never re-cased.
 * `origin` is the current origin without a trailing dot ("" for the root);
 * `null` means the token is already absolute (endpoint data).
 */
export function absoluteName(token: string, origin: string | null): string {
  if (token === '') throw new RdataError('empty domain name');
  if (token === '@') {
    if (origin === null) throw new RdataError('"@" is only meaningful inside a zone file');
    return origin === '' ? '.' : `${origin}.`;
  }
  if (token === '.') return '.';
  let name = token;
  if (!endsWithUnescapedDot(name)) name = origin === null || origin === '' ? `${name}.` : `${name}.${origin}.`;
  checkName(name, token);
  return name;
}

/** Lower-cases ASCII letters only, as DNS compares names (RFC 4343); other bytes are left alone. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

const PLAIN_NAME = /^[a-z0-9_*.-]*$/;
/** Bytes that stand for themselves in a canonical name label. */
const PLAIN_NAME_BYTE = /[a-z0-9_*-]/;

/**
 * The identity of a presented name (byte string, absolute or not): escapes
 * decoded, ASCII letters lower-cased, no trailing dot, then presented in one
 * canonical form (BIND's: `\.` for a dot inside a label, `\DDD` for bytes
 * outside letters, digits, `-`, `_`, `*`). `\110ew.example.com.` and
 * `NEW.example.com` both give `new.example.com`.
 */
export function nameKey(presented: string): string {
  const lower = asciiLower(endsWithUnescapedDot(presented) && presented !== '.' ? presented.slice(0, -1) : presented);
  if (lower === '.') return '';
  if (PLAIN_NAME.test(lower)) return lower;
  return splitLabels(lower).map(canonicalLabel).join('.');
}

function canonicalLabel(label: string): string {
  let out = '';
  for (const b of decodeBytes(label)) {
    const c = String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 32 : b);
    out += PLAIN_NAME_BYTE.test(c) ? c : `\\${String(b).padStart(3, '0')}`;
  }
  return out;
}

function endsWithUnescapedDot(name: string): boolean {
  if (!name.endsWith('.')) return false;
  let backslashes = 0;
  for (let i = name.length - 2; i >= 0 && name.charAt(i) === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

function checkName(name: string, token: string): void {
  if (!name.includes('\\')) {
    checkPlainName(name, token);
    return;
  }
  const labels = splitLabels(name.slice(0, -1));
  let wire = 1;
  for (const label of labels) {
    const len = label.includes('\\') ? decodeBytes(label).length : label.length;
    if (len === 0) throw new RdataError(`domain name "${token}" has an empty label`);
    if (len > 63) throw new RdataError(`domain name "${token}" has a label longer than 63 bytes`);
    wire += len + 1;
  }
  if (wire > 255) throw new RdataError(`domain name "${token}" is longer than 255 bytes`);
}

/** checkName for a name without escapes, without splitting it (zones hold millions of names). */
function checkPlainName(name: string, token: string): void {
  if (name.length > 254) throw new RdataError(`domain name "${token}" is longer than 255 bytes`);
  let start = 0;
  for (let dot = name.indexOf('.'); dot !== -1 && dot < name.length - 1; dot = name.indexOf('.', start)) {
    if (dot === start) throw new RdataError(`domain name "${token}" has an empty label`);
    if (dot - start > 63) throw new RdataError(`domain name "${token}" has a label longer than 63 bytes`);
    start = dot + 1;
  }
  const last = name.length - 1 - start;
  if (last === 0) throw new RdataError(`domain name "${token}" has an empty label`);
  if (last > 63) throw new RdataError(`domain name "${token}" has a label longer than 63 bytes`);
}

/** Splits a name (no trailing dot) at unescaped dots. */
export function splitLabels(name: string): string[] {
  const labels: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charAt(i);
    if (c === '\\') {
      cur += name.slice(i, i + 2);
      i++;
    } else if (c === '.') {
      labels.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  labels.push(cur);
  return labels;
}

/**
 * Zone files are handled as byte strings: one character per byte (latin1),
 * so every byte of a file survives a read and a write unchanged. Endpoint
 * data (JavaScript text) enters through toByteString (UTF-8) and leaves
 * through fromByteString.
 */
export function toByteString(text: string): string {
  // ASCII needs no conversion.
  return /^[\x00-\x7f]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** Text for a byte string: valid UTF-8 decoded, any other byte at or above 0x80 written as `\DDD`. */
export function fromByteString(bytes: string): string {
  // ASCII needs no conversion.
  if (/^[\x00-\x7f]*$/.test(bytes)) return bytes;
  const raw = Buffer.from(bytes, 'latin1');
  let out = '';
  let run = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0;
    if (b < 0x80) continue;
    const len = utf8SequenceLength(raw, i);
    if (len > 0) {
      i += len - 1;
      continue;
    }
    out += `${raw.subarray(run, i).toString('utf8')}\\${String(b).padStart(3, '0')}`;
    run = i + 1;
  }
  return out + raw.subarray(run).toString('utf8');
}

/** Decodes `\DDD` and `\X` escapes of a byte string into bytes. */
export function decodeBytes(text: string): Uint8Array {
  if (!text.includes('\\')) return Buffer.from(text, 'latin1');
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c) {
      out[n++] = c;
      continue;
    }
    const digits = text.slice(i + 1, i + 4);
    if (/^\d{3}$/.test(digits)) {
      const value = Number(digits);
      if (value > 255) throw new RdataError(`escape \\${digits} is above 255`);
      out[n++] = value;
      i += 3;
    } else if (i + 1 < text.length) {
      out[n++] = text.charCodeAt(i + 1);
      i += 1;
    } else {
      throw new RdataError('backslash at the end of a string');
    }
  }
  return out.subarray(0, n);
}

/** Length of the valid UTF-8 sequence starting at `i` (of 2–4 bytes), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  let need = 0;
  if (b >= 0xc2 && b <= 0xdf) need = 2;
  else if (b >= 0xe0 && b <= 0xef) need = 3;
  else if (b >= 0xf0 && b <= 0xf4) need = 4;
  if (need === 0 || i + need > bytes.length) return 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + need));
    return need;
  } catch {
    return 0;
  }
}

/**
 * Encodes bytes as one quoted character-string (a byte string) in a canonical
 * way: `"` and `\` escaped, control bytes and broken UTF-8 as `\DDD`, valid
 * UTF-8 kept as its bytes.
 */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x22 || b === 0x5c) {
      out += `\\${String.fromCharCode(b)}`;
    } else if (b >= 0x20 && b < 0x7f) {
      out += String.fromCharCode(b);
    } else {
      const len = b >= 0x80 ? utf8SequenceLength(bytes, i) : 0;
      if (len > 0) {
        out += Buffer.from(bytes.subarray(i, i + len)).toString('latin1');
        i += len - 1;
      } else {
        out += `\\${String(b).padStart(3, '0')}`;
      }
    }
  }
  return `${out}"`;
}

/** Splits a byte string into character-strings of at most 255 bytes, never inside a UTF-8 character. */
export function splitText(text: string): Uint8Array[] {
  const bytes = Buffer.from(text, 'latin1');
  if (bytes.length === 0) return [bytes];
  const parts: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + MAX_STRING_BYTES, bytes.length);
    // Step back over UTF-8 continuation bytes so every part is valid UTF-8 on its own.
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    if (end === start) end = Math.min(start + MAX_STRING_BYTES, bytes.length);
    parts.push(bytes.subarray(start, end));
    start = end;
  }
  return parts;
}

/** An IPv6 address in one canonical text form (lower case, longest zero run compressed). */
export function canonicalIPv6(text: string): string | undefined {
  if (!isIPv6(text)) return undefined;
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** Parses a TTL: seconds, or BIND units such as `1h30m`, `2d`, `1w`. */
export function parseTtl(text: string): number | undefined {
  if (/^\d+$/.test(text)) return checkU32(Number(text));
  if (!/^(\d+[smhdw])+$/i.test(text)) return undefined;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  for (const m of text.toLowerCase().matchAll(/(\d+)([smhdw])/g)) {
    total += Number(m[1]) * (unit[m[2] ?? 's'] ?? 1);
  }
  return checkU32(total);
}

function checkU32(n: number): number | undefined {
  return Number.isSafeInteger(n) && n >= 0 && n <= 0xffffffff ? n : undefined;
}
