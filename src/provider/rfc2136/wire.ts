/**
 * The few wire-format steps dns-packet does not offer: walking a message to
 * the byte where its last record starts (TSIG is appended and stripped as
 * raw bytes because its MAC covers the exact bytes sent), names in the
 * canonical uncompressed form TSIG digests use, and the header counts.
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { Rfc2136Errors } from './errors.ts';

export const HEADER_BYTES = 12;
const ARCOUNT_OFFSET = 10;

export function malformed(why: string): ExtdnsError {
  return new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_MALFORMED, `the DNS server sent a malformed message: ${why}`);
}

/** `name` (with or without the trailing dot) as canonical wire labels: lower case, uncompressed. */
export function canonicalName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '');
  const parts = labels.map((l) => {
    const bytes = Buffer.from(l.toLowerCase(), 'utf8');
    if (bytes.length > 63) throw new Error(`DNS label "${l}" is longer than 63 bytes`);
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  });
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** Reads a (possibly compressed) name at `offset`; `end` is where the name's bytes in place end. */
export function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let pos = offset;
  let end = -1;
  for (let hops = 0; hops < 128; hops++) {
    if (pos >= msg.length) throw malformed('a name runs past the end of the message');
    const len = msg[pos] ?? 0;
    if ((len & 0xc0) === 0xc0) {
      if (end < 0) end = pos + 2;
      pos = ((len & 0x3f) << 8) | (msg[pos + 1] ?? 0);
      continue;
    }
    if (len === 0) return { name: labels.join('.'), end: end < 0 ? pos + 1 : end };
    labels.push(msg.toString('utf8', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  throw malformed('a name has a compression loop');
}

function skipName(msg: Buffer, offset: number): number {
  return readName(msg, offset).end;
}

export interface Counts { qd: number; an: number; ns: number; ar: number }

export function counts(msg: Buffer): Counts {
  if (msg.length < HEADER_BYTES) throw malformed(`${msg.length} bytes is shorter than a DNS header`);
  return { qd: msg.readUInt16BE(4), an: msg.readUInt16BE(6), ns: msg.readUInt16BE(8), ar: msg.readUInt16BE(10) };
}

/** Offset where the message's last record starts (undefined when it has none). */
export function lastRecordOffset(msg: Buffer): number | undefined {
  const c = counts(msg);
  let pos = HEADER_BYTES;
  for (let i = 0; i < c.qd; i++) pos = skipName(msg, pos) + 4;
  const records = c.an + c.ns + c.ar;
  let last: number | undefined;
  for (let i = 0; i < records; i++) {
    last = pos;
    pos = skipName(msg, pos);
    if (pos + 10 > msg.length) throw malformed('a record runs past the end of the message');
    pos += 10 + msg.readUInt16BE(pos + 8);
  }
  if (pos > msg.length) throw malformed('a record runs past the end of the message');
  return last;
}

/** A copy of `msg` with ARCOUNT changed by `delta`. */
export function withArcount(msg: Buffer, delta: number): Buffer {
  const out = Buffer.from(msg);
  out.writeUInt16BE(msg.readUInt16BE(ARCOUNT_OFFSET) + delta, ARCOUNT_OFFSET);
  return out;
}

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** A 48-bit unsigned integer (TSIG's Time Signed). */
export function u48(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(n, 0, 6);
  return b;
}
