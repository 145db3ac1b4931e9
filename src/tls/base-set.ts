/**
 * The base set: what every connection trusts unless `replace` mode drops it.
 * SSL_CERT_FILE / SSL_CERT_DIR are read the way Go's crypto/x509 reads them
 * on Linux (root_unix.go): one file — SSL_CERT_FILE, else the first readable
 * distro bundle — together with every file in every folder of SSL_CERT_DIR
 * (':'-separated; else the distro folders), no hashed names needed. When
 * neither variable is set, Node's view of the OS store is used instead.
 * NODE_EXTRA_CA_CERTS is read by us (Node reads it only once, at start) and
 * Node's bundled Mozilla roots are always added.
 */
import { createHash } from 'node:crypto';
import * as tls from 'node:tls';
import { normalisePem, readLenient, regularFilesIn, splitPem, type TrustFs } from './pem.ts';
import type { SourceReport, TrustEnvironment } from './tls.ts';

/** Go's lists for Linux (crypto/x509/root_linux.go). */
export const GO_DEFAULT_CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
] as const;
export const GO_DEFAULT_CERT_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'] as const;

export interface BaseSetDeps {
  readonly fs: TrustFs;
  /** Node's OS store and bundled roots; injectable so tests can pin them. */
  readonly systemCertificates?: () => readonly string[];
  readonly bundledCertificates?: () => readonly string[];
}

export interface SourceCerts {
  readonly report: SourceReport;
  readonly pems: readonly string[];
}

export interface BaseSet {
  readonly sources: readonly SourceCerts[];
  /** Files and folders to watch for changes. */
  readonly watched: readonly string[];
  readonly digest: string;
}

export function loadBaseSet(env: TrustEnvironment, deps: BaseSetDeps): BaseSet {
  const hash = createHash('sha256');
  const watched: string[] = [];
  const sources: SourceCerts[] = [];
  if (env.sslCertFile !== undefined || env.sslCertDir !== undefined) {
    sources.push(certFileSource(env.sslCertFile, deps.fs, hash, watched));
    sources.push(...certDirSources(env.sslCertDir, deps.fs, hash, watched));
  } else {
    const pems = (deps.systemCertificates ?? (() => tls.getCACertificates('system')))().map(normalisePem);
    sources.push({ pems, report: { kind: 'system', name: 'os store', paths: [], count: pems.length } });
  }
  if (env.nodeExtraCaCerts !== undefined) {
    const file = env.nodeExtraCaCerts;
    watched.push(file);
    const read = readLenient(file, deps.fs);
    if (read !== null) hash.update(file).update(read.bytes);
    const pems = read?.pems ?? [];
    sources.push({ pems, report: { kind: 'env', name: 'NODE_EXTRA_CA_CERTS', paths: [file], count: pems.length,
      ...(read === null ? { note: 'file not found or unreadable; ignored, as Node does' } : {}) } });
  }
  const bundled = (deps.bundledCertificates ?? (() => tls.getCACertificates('bundled')))().map(normalisePem);
  sources.push({ pems: bundled, report: { kind: 'bundled', name: `node ${process.versions.node} bundled`, paths: [], count: bundled.length } });
  return { sources, watched, digest: hash.digest('hex') };
}

type Hash = ReturnType<typeof createHash>;

function certFileSource(sslCertFile: string | undefined, fs: TrustFs, hash: Hash, watched: string[]): SourceCerts {
  const candidates = sslCertFile === undefined ? GO_DEFAULT_CERT_FILES : [sslCertFile];
  for (const file of candidates) {
    const read = readLenient(file, fs);
    if (read === null) continue;
    watched.push(file);
    hash.update(file).update(read.bytes);
    const name = sslCertFile === undefined ? 'default CA file' : 'SSL_CERT_FILE';
    return { pems: read.pems, report: { kind: 'env', name, paths: [file], count: read.pems.length } };
  }
  // Go skips a missing SSL_CERT_FILE silently; we say so in the report.
  if (sslCertFile !== undefined) watched.push(sslCertFile);
  return {
    pems: [],
    report: { kind: 'env', name: sslCertFile === undefined ? 'default CA file' : 'SSL_CERT_FILE', paths: [...candidates], count: 0,
      note: 'file not found; skipped, as Go does' },
  };
}

function certDirSources(sslCertDir: string | undefined, fs: TrustFs, hash: Hash, watched: string[]): SourceCerts[] {
  const dirs = sslCertDir === undefined ? [...GO_DEFAULT_CERT_DIRS] : sslCertDir.split(':').filter((d) => d !== '');
  const name = sslCertDir === undefined ? 'default CA folders' : 'SSL_CERT_DIR';
  const pems: string[] = [];
  const keys = new Set<string>();
  const found: string[] = [];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = regularFilesIn(dir, fs);
    } catch {
      continue;
    }
    found.push(dir);
    watched.push(dir);
    for (const file of files) {
      const read = readLenient(file, fs);
      if (read === null) continue;
      hash.update(file).update(read.bytes);
      // A distro folder holds the bundle file as well as one file per root: count each root once.
      for (const pem of read.pems) {
        const key = pemKey(pem);
        if (keys.has(key)) continue;
        keys.add(key);
        pems.push(pem);
      }
    }
  }
  const note = found.length === dirs.length ? {} : { note: `not found: ${dirs.filter((d) => !found.includes(d)).join(', ')}` };
  return [{ pems, report: { kind: 'env', name, paths: dirs, count: pems.length, ...note } }];
}

/** A key that is equal for equal certificates however the PEM was wrapped. */
export function pemKey(pem: string): string {
  const block = splitPem(pem)[0];
  return (block?.text ?? pem).replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}
