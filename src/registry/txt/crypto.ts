/**
 * Encrypted ownership TXT values (--txt-encrypt-enabled), readable by and
 * from ExternalDNS: base64( nonce(12 B) ‖ AES-256-GCM( gzip(label string) ) ‖ tag ),
 * no additional data. The nonce is kept in the record's
 * `txt-encryption-nonce` label (base64) so that unchanged labels encrypt
 * the same way again.
 *
 * The gzip stream is framed like Go's (see goStyleGzip), so short label
 * strings encrypt to ExternalDNS's exact bytes; longer ones may not (Go's
 * deflate picks other Huffman trees than zlib), which is why the registry
 * reuses stored values where exactness matters (deletes).
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { TxtRegistryErrors } from './errors.ts';

export const NONCE_BYTES = 12;
const KEY_BYTES = 32;
const TAG_BYTES = 16;
// node:crypto and node:zlib are taken when a value is encrypted or decrypted, not when the registry loads: a
// controller without --txt-encrypt-enabled never needs them (about 2 MiB of idle RSS; issue 22).
const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');
const zlib = (): typeof import('node:zlib') => process.getBuiltinModule('node:zlib');

/** crypto.randomBytes (the registry's nonces), node:crypto taken on first use. */
export const systemRandomBytes = (n: number): Buffer => crypto().randomBytes(n);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The AES key from --txt-encrypt-aes-key: 32 bytes as given, or standard
 * base64 of 32 bytes; "" → undefined (no key). Anything else is an error.
 */
export function parseAesKey(raw: string): Buffer | undefined {
  if (raw === '') return undefined;
  const asGiven = Buffer.from(raw, 'utf8');
  if (asGiven.length === KEY_BYTES) return asGiven;
  const decoded = BASE64.test(raw) ? Buffer.from(raw, 'base64') : undefined;
  if (decoded?.length === KEY_BYTES) return decoded;
  throw new ExtdnsError(TxtRegistryErrors.EXTDNS_TXT_AES_KEY_INVALID,
    `--txt-encrypt-aes-key is ${asGiven.length} bytes and not standard base64 of 32 bytes; give exactly 32 bytes, or base64 of 32 bytes (openssl rand -base64 32)`);
}

/** Encrypts a label string (without quotes) with a 12-byte nonce; returns the base64 value, unquoted. */
export function encryptText(plain: string, key: Buffer, nonce: Buffer): string {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`);
  const cipher = crypto().createCipheriv('aes-256-gcm', key, nonce);
  const sealed = Buffer.concat([cipher.update(goStyleGzip(Buffer.from(plain, 'utf8'))), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([nonce, sealed]).toString('base64');
}

export interface Decrypted {
  plain: string;
  /** The nonce, base64 (the `txt-encryption-nonce` label value). */
  nonce: string;
}

/** Decrypts a value written by encryptText or ExternalDNS (quotes already removed); undefined when it is not one. */
export function decryptText(value: string, key: Buffer): Decrypted | undefined {
  if (!BASE64.test(value)) return undefined;
  const data = Buffer.from(value, 'base64');
  if (data.length <= NONCE_BYTES + TAG_BYTES) return undefined;
  const nonce = data.subarray(0, NONCE_BYTES);
  const tag = data.subarray(data.length - TAG_BYTES);
  try {
    const decipher = crypto().createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    const zipped = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return { plain: zlib().gunzipSync(zipped).toString('utf8'), nonce: nonce.toString('base64') };
  } catch {
    // Wrong key, tampered value, or plain text that happens to look like base64.
    return undefined;
  }
}

/** The smallest gzip stream (header, empty deflate block, trailer). */
const MIN_GZIP_BYTES = 20;

/**
 * True when a value (without quotes) has the shape of an encrypted ownership
 * value: base64 of nonce, a gzip stream's worth of ciphertext and tag. Plain
 * label strings never have it (they hold `=` inside and `,`).
 */
export function looksEncrypted(value: string): boolean {
  return BASE64.test(value) && Buffer.byteLength(value) * 3 / 4 >= NONCE_BYTES + MIN_GZIP_BYTES + TAG_BYTES;
}

/** The nonce bytes of a `txt-encryption-nonce` label, or undefined when the label is not a valid nonce. */
export function nonceFromLabel(label: string | undefined): Buffer | undefined {
  if (label === undefined || !BASE64.test(label)) return undefined;
  const bytes = Buffer.from(label, 'base64');
  return bytes.length === NONCE_BYTES ? bytes : undefined;
}

/**
 * gzip as Go's compress/gzip writes it at BestCompression followed by
 * Flush() and Close(): header with XFL=2 and OS=255, the deflate data ended
 * by a sync flush, then an empty final stored block, then CRC-32 and length.
 */
function goStyleGzip(data: Buffer): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
  const { constants, crc32, deflateRawSync } = zlib();
  const body = deflateRawSync(data, { level: constants.Z_BEST_COMPRESSION, finishFlush: constants.Z_SYNC_FLUSH });
  const emptyFinalBlock = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  return Buffer.concat([header, body, emptyFinalBlock, trailer]);
}
