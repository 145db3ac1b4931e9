/**
 * Reads and writes ownership TXT values: plain label strings (./labels.ts),
 * encrypted ones when an AES key is configured (./crypto.ts). With a key,
 * encrypted and plain values are both read, so a zone can be switched to
 * encryption gradually, like ExternalDNS.
 */
import { LabelKey, type Labels } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { decryptText, encryptText, NONCE_BYTES, nonceFromLabel, parseAesKey } from './crypto.ts';
import { TxtRegistryErrors } from './errors.ts';
import { parseLabels, serializeLabels, trimQuotes } from './labels.ts';

export interface OwnershipValue {
  /** The labels, with `txt-encryption-nonce` added when the value was encrypted. */
  labels: Labels;
  /** The canonical plain label string (what two values mean is compared through it). */
  plain: string;
  encrypted: boolean;
}

export interface OwnershipCodec {
  /** Whether new values are written encrypted. */
  readonly encrypts: boolean;
  /** The labels of an ownership value, or undefined when the value is not one. */
  read(value: string): OwnershipValue | undefined;
  /** The quoted TXT value for the labels; `nonce` is the label value to keep on the record when encrypted. */
  write(labels: Labels): { value: string; nonce?: string };
}

export interface CodecOptions {
  encryptEnabled: boolean;
  /** --txt-encrypt-aes-key as given ("" = none). */
  encryptAesKey: string;
  randomBytes: (n: number) => Buffer;
}

export function createOwnershipCodec(options: CodecOptions): OwnershipCodec {
  const key = parseAesKey(options.encryptAesKey);
  if (options.encryptEnabled && key === undefined) {
    throw new ExtdnsError(TxtRegistryErrors.EXTDNS_TXT_AES_KEY_MISSING,
      '--txt-encrypt-enabled is set but --txt-encrypt-aes-key is empty: set a 32-byte key (raw or base64)');
  }
  const encryptWith = options.encryptEnabled ? key : undefined;

  return {
    encrypts: encryptWith !== undefined,
    read(value: string): OwnershipValue | undefined {
      const decrypted = key === undefined ? undefined : decryptText(trimQuotes(value), key);
      if (decrypted !== undefined) {
        const labels = parseLabels(decrypted.plain);
        if (labels === undefined) return undefined;
        return ownershipValue({ ...labels, [LabelKey.txtEncryptionNonce]: decrypted.nonce }, true);
      }
      const labels = parseLabels(value);
      return labels === undefined ? undefined : ownershipValue(labels, false);
    },
    write(labels: Labels): { value: string; nonce?: string } {
      if (encryptWith === undefined) return { value: serializeLabels(labels, { quoted: true }) };
      const nonce = nonceFromLabel(labels[LabelKey.txtEncryptionNonce]) ?? freshNonce(options.randomBytes);
      return { value: `"${encryptText(plainOf(labels), encryptWith, nonce)}"`, nonce: nonce.toString('base64') };
    },
  };
}

/** `plain` is serialized when asked: records() reads every TXT, the writer compares only the few it rewrites. */
function ownershipValue(labels: Labels, encrypted: boolean): OwnershipValue {
  return new ReadValue(labels, encrypted);
}

/** A class rather than an object literal with a getter, which would allocate a closure per TXT. */
class ReadValue implements OwnershipValue {
  readonly labels: Labels;
  readonly encrypted: boolean;

  constructor(labels: Labels, encrypted: boolean) {
    this.labels = labels;
    this.encrypted = encrypted;
  }

  get plain(): string {
    return plainOf(this.labels);
  }
}

export function plainOf(labels: Labels): string {
  return serializeLabels(labels, { quoted: false });
}

function freshNonce(randomBytes: (n: number) => Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`randomBytes(${NONCE_BYTES}) returned ${nonce.length} bytes`);
  return nonce;
}
