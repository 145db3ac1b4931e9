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
 * Resolves a name token to its absolute, lower-case form with a trailing dot
 * (the root is "."). `origin` is the current origin without a trailing dot
 * ("" for the root); `null` means the token is already absolute (endpoint data).
 */
export function absoluteName(token: string, origin: string | null): string {
  if (token === '') throw new RdataError('empty domain name');
  if (token === '@') {
    if (origin === null) throw new RdataError('"@" is only meaningful inside a zone file');
    return origin === '' ? '.' : `${origin.toLowerCase()}.`;
  }
  if (token === '.') return '.';
  let name = token.toLowerCase();
  if (!endsWithUnescapedDot(name)) name = origin === null || origin === '' ? `${name}.` : `${name}.${origin.toLowerCase()}.`;
  checkName(name, token);
  return name;
}

function endsWithUnescapedDot(name: string): boolean {
  if (!name.endsWith('.')) return false;
  let backslashes = 0;
  for (let i = name.length - 2; i >= 0 && name.charAt(i) === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

function checkName(name: string, token: string): void {
  const labels = splitLabels(name.slice(0, -1));
  let wire = 1;
  for (const label of labels) {
    const len = decodeBytes(label).length;
    if (len === 0) throw new RdataError(`domain name "${token}" has an empty label`);
    if (len > 63) throw new RdataError(`domain name "${token}" has a label longer than 63 bytes`);
    wire += len + 1;
  }
  if (wire > 255) throw new RdataError(`domain name "${token}" is longer than 255 bytes`);
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

const encoder = new TextEncoder();

/** Decodes `\DDD` and `\X` escapes into bytes; other characters become their UTF-8 bytes. */
export function decodeBytes(text: string): Uint8Array {
  if (!text.includes('\\')) return encoder.encode(text);
  const out: number[] = [];
  let run = 0;
  const flush = (end: number): void => {
    if (end > run) out.push(...encoder.encode(text.slice(run, end)));
  };
  for (let i = text.indexOf('\\'); i !== -1; i = text.indexOf('\\', run)) {
    flush(i);
    const digits = text.slice(i + 1, i + 4);
    if (/^\d{3}$/.test(digits)) {
      const value = Number(digits);
      if (value > 255) throw new RdataError(`escape \\${digits} is above 255`);
      out.push(value);
      run = i + 4;
    } else if (i + 1 < text.length) {
      const ch = String.fromCodePoint(text.codePointAt(i + 1) ?? 0);
      out.push(...encoder.encode(ch));
      run = i + 1 + ch.length;
    } else {
      throw new RdataError('backslash at the end of a string');
    }
  }
  flush(text.length);
  return Uint8Array.from(out);
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
 * Encodes bytes as one quoted character-string in a canonical way: `"` and `\`
 * escaped, control bytes and broken UTF-8 as `\DDD`, valid UTF-8 kept readable.
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
        out += new TextDecoder().decode(bytes.subarray(i, i + len));
        i += len - 1;
      } else {
        out += `\\${String(b).padStart(3, '0')}`;
      }
    }
  }
  return `${out}"`;
}

/** Splits raw text into character-strings of at most 255 bytes, never inside a UTF-8 character. */
export function splitText(text: string): Uint8Array[] {
  const bytes = encoder.encode(text);
  if (bytes.length === 0) return [bytes];
  const parts: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + MAX_STRING_BYTES, bytes.length);
    // Step back over UTF-8 continuation bytes so every part is valid UTF-8 on its own.
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
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
