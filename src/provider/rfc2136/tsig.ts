/**
 * TSIG (RFC 8945) on node:crypto: signing requests and verifying answers,
 * including multi-message answers (AXFR over TCP), where each signed message
 * is digested with the previous MAC, the messages since, and only the timers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ExtdnsError } from '../../errors/errors.ts';
import { Rfc2136Errors } from './errors.ts';
import { canonicalName, lastRecordOffset, malformed, readName, u16, u32, u48, withArcount } from './wire.ts';

const TYPE_TSIG = 250;
const CLASS_ANY = 255;
/** Seconds a signature may be off the receiver's clock (what ExternalDNS and BIND's tools use). */
export const DEFAULT_FUDGE = 300;
/** RFC 8945 5.3.1: at most 99 unsigned messages between two signed ones. */
const MAX_UNSIGNED_RUN = 99;

const ALGORITHMS = {
  'hmac-md5': { wire: 'hmac-md5.sig-alg.reg.int', hash: 'md5' },
  'hmac-sha1': { wire: 'hmac-sha1', hash: 'sha1' },
  'hmac-sha224': { wire: 'hmac-sha224', hash: 'sha224' },
  'hmac-sha256': { wire: 'hmac-sha256', hash: 'sha256' },
  'hmac-sha384': { wire: 'hmac-sha384', hash: 'sha384' },
  'hmac-sha512': { wire: 'hmac-sha512', hash: 'sha512' },
} as const;

export type TsigAlgorithm = keyof typeof ALGORITHMS;
export const TSIG_ALGORITHMS = Object.keys(ALGORITHMS) as TsigAlgorithm[];

/** TSIG error codes (RFC 8945 section 3, and RCODE 16-22) in plain words. */
export const TSIG_ERRORS: Readonly<Record<number, { name: string; words: string }>> = {
  16: { name: 'BADSIG', words: 'the server could not verify the signature: the TSIG secret (--rfc2136-tsig-secret) or algorithm (--rfc2136-tsig-secret-alg) differs from the server\'s key' },
  17: { name: 'BADKEY', words: 'the server does not know the TSIG key: check --rfc2136-tsig-keyname and --rfc2136-tsig-secret-alg against the server\'s key statement' },
  18: { name: 'BADTIME', words: 'the server\'s clock and this machine\'s differ by more than the 300 s TSIG allows: fix the clocks (NTP)' },
  22: { name: 'BADTRUNC', words: 'the server refused a truncated MAC' },
};

export interface TsigKey {
  /** Key name as configured (the server's `key "NAME"`), without trailing dot. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  readonly secret: Buffer;
}

function configError(message: string): ExtdnsError {
  return new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_CONFIG, message);
}

/** A key from the flag values; the algorithm is accepted with or without the trailing dot, as Go's miekg/dns does. */
export function tsigKey(name: string, algorithm: string, secretBase64: string): TsigKey {
  const alg = algorithm.toLowerCase().replace(/\.$/, '').replace(/\.sig-alg\.reg\.int$/, '');
  if (!(alg in ALGORITHMS)) {
    throw configError(`--rfc2136-tsig-secret-alg="${algorithm}" is not a TSIG algorithm: use one of ${TSIG_ALGORITHMS.join(', ')}`);
  }
  if (name.trim() === '') throw configError('--rfc2136-tsig-keyname is empty: give the name of the server\'s TSIG key, or --rfc2136-insecure to send unsigned messages');
  const cleaned = secretBase64.trim();
  if (cleaned === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(cleaned) || cleaned.length % 4 !== 0) {
    throw configError('--rfc2136-tsig-secret is not base64 (the "secret" of the server\'s key statement, as tsig-keygen prints it)');
  }
  return { name: name.replace(/\.$/, ''), algorithm: alg as TsigAlgorithm, secret: Buffer.from(cleaned, 'base64') };
}

export interface TsigRecord {
  readonly keyName: string;
  readonly algorithm: string;
  readonly timeSigned: number;
  readonly fudge: number;
  readonly mac: Buffer;
  readonly originalId: number;
  readonly error: number;
  readonly other: Buffer;
}

function hmac(key: TsigKey, parts: readonly Buffer[]): Buffer {
  const h = createHmac(ALGORITHMS[key.algorithm].hash, key.secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

function macPrefix(mac: Buffer): Buffer {
  return Buffer.concat([u16(mac.length), mac]);
}

function variables(key: TsigKey, t: { timeSigned: number; fudge: number; error: number; other: Buffer }): Buffer {
  return Buffer.concat([
    canonicalName(key.name), u16(CLASS_ANY), u32(0), canonicalName(ALGORITHMS[key.algorithm].wire),
    u48(t.timeSigned), u16(t.fudge), u16(t.error), u16(t.other.length), t.other,
  ]);
}

function timers(t: { timeSigned: number; fudge: number }): Buffer {
  return Buffer.concat([u48(t.timeSigned), u16(t.fudge)]);
}

export interface SignOptions {
  /** Seconds since the epoch (from the injected clock). */
  readonly time: number;
  readonly fudge?: number;
  /** For a response: the MAC of the request it answers. */
  readonly requestMac?: Buffer;
}

/** Appends a TSIG record to `message` (which must not carry one) and returns the signed message and its MAC. */
export function signMessage(message: Buffer, key: TsigKey, options: SignOptions): { message: Buffer; mac: Buffer } {
  const t = { timeSigned: options.time, fudge: options.fudge ?? DEFAULT_FUDGE, error: 0, other: Buffer.alloc(0) };
  const prefix = options.requestMac === undefined ? [] : [macPrefix(options.requestMac)];
  const mac = hmac(key, [...prefix, message, variables(key, t)]);
  const rdata = Buffer.concat([
    canonicalName(ALGORITHMS[key.algorithm].wire), u48(t.timeSigned), u16(t.fudge), macPrefix(mac),
    u16(message.readUInt16BE(0)), u16(t.error), u16(0),
  ]);
  const rr = Buffer.concat([canonicalName(key.name), u16(TYPE_TSIG), u16(CLASS_ANY), u32(0), u16(rdata.length), rdata]);
  return { message: Buffer.concat([withArcount(message, 1), rr]), mac };
}

/**
 * Splits a message into its TSIG record and the bytes the MAC covers (the
 * message without it, ARCOUNT one less, the original ID restored).
 */
export function splitTsig(msg: Buffer): { covered: Buffer; tsig: TsigRecord } | undefined {
  const at = lastRecordOffset(msg);
  if (at === undefined || msg.readUInt16BE(10) === 0) return undefined;
  const owner = readName(msg, at);
  if (msg.readUInt16BE(owner.end) !== TYPE_TSIG) return undefined;
  const tsig = parseTsigRdata(msg, owner.name, owner.end + 10);
  const covered = withArcount(msg.subarray(0, at), -1);
  covered.writeUInt16BE(tsig.originalId, 0);
  return { covered, tsig };
}

function parseTsigRdata(msg: Buffer, keyName: string, start: number): TsigRecord {
  const alg = readName(msg, start);
  let pos = alg.end;
  if (pos + 10 > msg.length) throw malformed('the TSIG record is cut short');
  const timeSigned = msg.readUIntBE(pos, 6);
  const fudge = msg.readUInt16BE(pos + 6);
  const macSize = msg.readUInt16BE(pos + 8);
  pos += 10;
  const mac = Buffer.from(msg.subarray(pos, pos + macSize));
  pos += macSize;
  if (pos + 6 > msg.length) throw malformed('the TSIG record is cut short');
  const otherLen = msg.readUInt16BE(pos + 4);
  return {
    keyName, algorithm: alg.name.toLowerCase(), timeSigned, fudge, mac,
    originalId: msg.readUInt16BE(pos), error: msg.readUInt16BE(pos + 2), other: Buffer.from(msg.subarray(pos + 6, pos + 6 + otherLen)),
  };
}

export function tsigError(message: string): ExtdnsError {
  return new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_TSIG, message);
}

/** The server's TSIG error as an ExtdnsError, or undefined when it reported none. */
export function serverTsigError(tsig: TsigRecord, server: string): ExtdnsError | undefined {
  if (tsig.error === 0) return undefined;
  const known = TSIG_ERRORS[tsig.error];
  const what = known === undefined ? `TSIG error ${tsig.error}` : `${known.name}: ${known.words}`;
  return tsigError(`${server} refused the signed message (${what})`);
}

/**
 * Verifies the answers to one signed request, message by message (one for
 * an UPDATE, several for an AXFR). Throws on the first that fails.
 */
export class TsigVerifier {
  private priorMac: Buffer;
  private unsigned: Buffer[] = [];
  private signedCount = 0;
  private readonly key: TsigKey;
  private readonly now: () => number;
  private readonly server: string;

  constructor(key: TsigKey, requestMac: Buffer, now: () => number, server: string) {
    this.key = key;
    this.now = now;
    this.server = server;
    this.priorMac = requestMac;
  }

  /** Checks one message of the answer. */
  accept(msg: Buffer): void {
    const split = splitTsig(msg);
    if (split === undefined) {
      if (this.signedCount === 0) throw tsigError(`${this.server} answered a signed request without a TSIG signature: the answer cannot be trusted (is the key configured on that server?)`);
      if (this.unsigned.length >= MAX_UNSIGNED_RUN) throw tsigError(`${this.server} sent more than ${MAX_UNSIGNED_RUN} unsigned messages in a row in a transfer`);
      this.unsigned.push(msg);
      return;
    }
    const { covered, tsig } = split;
    const refused = serverTsigError(tsig, this.server);
    if (refused !== undefined) throw refused;
    this.checkIdentity(tsig);
    const first = this.signedCount === 0;
    const digestTail = first ? variables(this.key, tsig) : timers(tsig);
    const expected = hmac(this.key, [macPrefix(this.priorMac), ...this.unsigned, covered, digestTail]);
    if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) {
      throw tsigError(`the answer from ${this.server} has a TSIG signature that does not verify with key "${this.key.name}": the answer was altered, or signed with another secret`);
    }
    const now = this.now();
    if (Math.abs(now - tsig.timeSigned) > tsig.fudge) {
      throw tsigError(`the answer from ${this.server} was signed at ${tsig.timeSigned}, more than ${tsig.fudge} s from this machine's clock (${now}) (BADTIME): fix the clocks (NTP)`);
    }
    this.priorMac = tsig.mac;
    this.unsigned = [];
    this.signedCount++;
  }

  /** Throws if the answer ended on unsigned messages (their content is not covered by any MAC). */
  finish(): void {
    if (this.unsigned.length > 0) throw tsigError(`the transfer from ${this.server} ended with ${this.unsigned.length} unsigned message(s)`);
  }

  private checkIdentity(tsig: TsigRecord): void {
    const wantAlg = ALGORITHMS[this.key.algorithm].wire;
    if (tsig.keyName.toLowerCase().replace(/\.$/, '') !== this.key.name.toLowerCase() || tsig.algorithm.replace(/\.$/, '') !== wantAlg) {
      throw tsigError(`${this.server} signed its answer with key "${tsig.keyName}" (${tsig.algorithm}), not "${this.key.name}" (${wantAlg})`);
    }
  }
}
