/**
 * Reading CA material. Node's `ca` option silently accepts garbage (an empty
 * string, text, a private key) and then trusts nothing, so every explicit
 * file is split into PEM blocks and each certificate parsed here first.
 */
import { X509Certificate, createHash } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ExtdnsError } from '../errors/errors.ts';
import { TlsErrors } from './errors.ts';
import type { CertSummary } from './tls.ts';
import { FILE_LIMITS, readFileBoundedSync } from '../util/bounded-read.ts';

/** The file-system calls trust loading needs (tests may wrap them). */
export interface TrustFs {
  readFileSync(path: string): Buffer;
  statSync(path: string): nodeFs.Stats;
  lstatSync(path: string): nodeFs.Stats;
  readdirSync(path: string): string[];
  readlinkSync(path: string): string;
}

export const realFs: TrustFs = {
  // Bounded: a device or FIFO given as a CA or key fails at once instead of reading for ever.
  readFileSync: (p) => readFileBoundedSync(p, FILE_LIMITS.pem),
  statSync: (p) => nodeFs.statSync(p),
  lstatSync: (p) => nodeFs.lstatSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
  readlinkSync: (p) => nodeFs.readlinkSync(p),
};

export interface PemBlock {
  readonly label: string;
  readonly text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export function splitPem(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((m) => ({ label: m[1] ?? '', text: `${m[0]}\n` }));
}

export interface LoadedCerts {
  /** Normalised PEM text, one per certificate. */
  readonly pems: string[];
  readonly certs: X509Certificate[];
  /** Files actually read (a folder expands to its files). */
  readonly files: string[];
  /** Raw bytes of everything read, for change detection. */
  readonly digest: string;
}

/**
 * Reads an explicitly given CA file or folder and refuses anything that would
 * make Node trust less than the user meant. `flag` names the setting in errors.
 */
export function readExplicitCa(path: string, flag: string, fs: TrustFs): LoadedCerts {
  const files = listCaFiles(path, flag, fs);
  const hash = createHash('sha256');
  const pems: string[] = [];
  const certs: X509Certificate[] = [];
  for (const file of files) {
    const bytes = readOrFail(file, flag, fs);
    hash.update(file).update(bytes);
    for (const cert of parseStrict(bytes.toString('utf8'), file, flag)) {
      certs.push(cert);
      pems.push(cert.toString());
    }
  }
  return { pems, certs, files, digest: hash.digest('hex') };
}

function listCaFiles(path: string, flag: string, fs: TrustFs): string[] {
  let stat: nodeFs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (err) {
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CA_FILE,
      `${flag} ${path} cannot be read (${reason(err)}); check the path and that the Secret or ConfigMap is mounted there`, { cause: err });
  }
  if (!stat.isDirectory()) return [path];
  const files = regularFilesIn(path, fs);
  if (files.length === 0) {
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CA_FILE, `${flag} folder ${path} holds no files; put the CA certificate (PEM) in it`);
  }
  return files;
}

function readOrFail(file: string, flag: string, fs: TrustFs): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CA_FILE, `${flag} ${file} cannot be read (${reason(err)}); ${readFix(err)}`, { cause: err });
  }
}

function parseStrict(text: string, file: string, flag: string): X509Certificate[] {
  const fail = (what: string): never => {
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CA_FILE, `${flag} ${file} ${what}`);
  };
  if (text.trim() === '') fail('is empty; it must hold the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)');
  const blocks = splitPem(text);
  if (blocks.some((b) => b.label.endsWith('PRIVATE KEY'))) {
    fail('holds a private key; a CA file must hold only certificates. Pass the CA certificate, and never share the key');
  }
  const certBlocks = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
  if (certBlocks.length === 0) {
    fail('is not a PEM certificate file (no -----BEGIN CERTIFICATE----- block); convert DER files with `openssl x509 -inform der -in FILE -out FILE.pem`');
  }
  const trailing = trailingText(text);
  if (trailing !== undefined) fail(trailing);
  return certBlocks.map((b, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(b.text);
    } catch (err) {
      return fail(`certificate #${i + 1} cannot be parsed (${reason(err)}); the PEM block is damaged`);
    }
    if (!cert.ca && !isSelfSigned(cert)) {
      fail(`holds "${oneLine(cert.subject)}", which is not a CA certificate (it is a server or client certificate); pass the CA that issued it ("${oneLine(cert.issuer)}") instead`);
    }
    return cert;
  });
}

/**
 * Text after the last PEM block: a certificate cut off while copying, or two
 * files run together. Go's AppendCertsFromPEM skips it silently and trusts
 * less than the operator meant; extdns says what and where. Text before and
 * between blocks (`openssl x509 -text` dumps, `# Issuer:` comments) is fine.
 */
export function trailingText(text: string): string | undefined {
  let end = 0;
  for (const m of text.matchAll(BLOCK)) end = m.index + m[0].length;
  const rest = text.slice(end);
  const body = rest.trimStart();
  if (body.trimEnd() === '') return undefined;
  const line = text.slice(0, text.length - body.length).split('\n').length;
  const first = (body.split('\n')[0] ?? '').trimEnd();
  const excerpt = JSON.stringify(first.length > 40 ? `${first.slice(0, 40)}…` : first);
  const cutOff = /^-----BEGIN [A-Z0-9 ]+-----/.test(first) ? ' (a PEM block that never ends: the file was cut off)' : '';
  return `has ${Buffer.byteLength(body.trimEnd())} bytes after its last PEM block, from line ${line}: ${excerpt}${cutOff}; `
    + 'a CA file must end with -----END CERTIFICATE-----. Remove the extra text or restore the missing part';
}

/**
 * Lenient reading for the base set, as Go does: unreadable files and blocks
 * that do not parse are skipped. Returns null when the file does not exist.
 */
export function readLenient(file: string, fs: TrustFs): { pems: string[]; bytes: Buffer } | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  const pems: string[] = [];
  for (const block of splitPem(bytes.toString('utf8'))) {
    if (block.label !== 'CERTIFICATE') continue;
    pems.push(normalisePem(block.text));
  }
  return { pems, bytes };
}

/**
 * The regular files of a folder the way Go's crypto/x509 lists SSL_CERT_DIR:
 * sub-folders are ignored and symlinks to a name in the same folder (c_rehash
 * `<hash>.0` links) are skipped so no certificate counts twice.
 */
export function regularFilesIn(dir: string, fs: TrustFs): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const path = join(dir, name);
    try {
      const link = fs.lstatSync(path);
      if (link.isSymbolicLink() && dirname(resolve(dir, fs.readlinkSync(path))) === resolve(dir)) continue;
      if (fs.statSync(path).isFile()) out.push(path);
    } catch {
      // dangling link or a file that vanished during the listing
    }
  }
  return out;
}

export function normalisePem(text: string): string {
  return `${text.trim().replace(/\r\n/g, '\n')}\n`;
}

export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

export function oneLine(dn: string): string {
  return dn.split('\n').join(', ');
}

/** The CN when there is one, else the whole name. */
export function commonName(dn: string): string {
  const cn = dn.split('\n').find((p) => p.startsWith('CN='));
  return cn === undefined ? oneLine(dn) : cn.slice(3);
}

export function summarise(cert: X509Certificate, now: number): CertSummary {
  const notAfter = new Date(cert.validTo);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    fingerprint256: cert.fingerprint256,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now) / 86_400_000),
    isCa: cert.ca,
    selfSigned: isSelfSigned(cert),
  };
}

/** What to do about a file that could not be read. */
export function readFix(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  if (code === 'ENOTREG' || code === 'EFBIG') return 'point the flag at the PEM file itself';
  return 'check its permissions';
}

export function reason(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    const message = err instanceof Error ? err.message : '';
    if (err.code === 'ENOENT') return 'no such file';
    if (err.code === 'EACCES') return 'permission denied';
    return message === '' ? err.code : message;
  }
  return err instanceof Error ? err.message : String(err);
}
