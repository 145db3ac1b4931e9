/**
 * Builds one TrustGeneration from a TrustSpec: picks the explicit source by
 * precedence, reads and validates it, adds the base set in append mode,
 * loads the client certificate, and makes the SecureContext. Throws an
 * ExtdnsError for anything that must stop start-up (or reject a reload).
 */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { ExtdnsError } from '../errors/errors.ts';
import { loadBaseSet, pemKey, type BaseSetDeps, type SourceCerts } from './base-set.ts';
import { TlsErrors } from './errors.ts';
import { isSelfSigned, readExplicitCa, reason, splitPem, summarise, type TrustFs } from './pem.ts';
import { redactUrls } from '../util/url-secrets.ts';
import { describeRouteTo } from './proxy.ts';
import type { CaSetting, CertSummary, ClientCertSetting, SourceKind, SourceReport, TlsCaMode, TrustGeneration, TrustSpec } from './tls.ts';

export const EXPIRY_WARNING_DAYS = 30;

export interface BuildDeps extends BaseSetDeps {
  readonly fs: TrustFs;
  readonly now: number;
  /** When the inputs still hash to this, stop early and return null (the reload poll). */
  readonly unchangedHash?: string;
}

interface Ranked {
  readonly kind: SourceKind;
  readonly setting: CaSetting;
}

export function buildGeneration(spec: TrustSpec, id: number, deps: BuildDeps): TrustGeneration | null {
  const hash = createHash('sha256');
  const explicit = readExplicit(spec, deps, hash);
  const base = loadBaseSet(spec.env, deps);
  hash.update(base.digest);
  const useBase = explicit.mode === 'append' || explicit.read === undefined;
  const explicitSources = explicit.read === undefined ? [] : [explicit.read.source];
  const trusted = dedupe([...explicitSources, ...(useBase ? base.sources : [])]);
  const excluded = useBase ? [] : dedupe(base.sources).pems.filter((p) => !trusted.keys.has(pemKey(p)));
  const client = loadClientCert(spec.clientCerts ?? [], deps, hash);
  const warnings = [...explicit.warnings, ...otherWarnings(spec, client, deps.now)];
  const contentHash = hash.digest('hex');
  if (contentHash === deps.unchangedHash) return null;
  const sources: SourceReport[] = [
    ...explicitSources.map((s) => s.report),
    ...explicit.shadowed,
    ...base.sources.map((s): SourceReport => (useBase ? s.report : { ...s.report, note: 'not used: replace mode' })),
  ];
  return {
    id,
    caPems: trusted.pems,
    excludedBasePems: excluded,
    clientCert: client === undefined ? undefined : { cert: client.cert, key: client.key },
    secureContext: makeContext(trusted.pems, client, spec),
    contentHash,
    watchedPaths: [...new Set([...(explicit.read?.files ?? []), ...(client?.files ?? []), ...base.watched])],
    report: {
      name: spec.name,
      ...(spec.endpoint === undefined ? {} : { endpoint: redactUrls(spec.endpoint) }),
      ...routeReport(spec),
      mode: explicit.mode,
      sources,
      total: trusted.pems.length,
      ...(client === undefined ? {} : { clientCert: { source: client.setting.source, certificate: client.summary } }),
      ...(spec.skipVerify === undefined ? {} : { skipVerify: spec.skipVerify.flag }),
      generation: id,
      warnings,
    },
  };
}

interface Explicit {
  readonly read: ReadSetting | undefined;
  readonly mode: TlsCaMode;
  readonly shadowed: SourceReport[];
  readonly warnings: string[];
}

/** Ranks 1–3: the first setting present wins; the others are reported as not used. */
function readExplicit(spec: TrustSpec, deps: BuildDeps, hash: ReturnType<typeof createHash>): Explicit {
  const [chosen, ...rest] = rankedSettings(spec);
  const warnings: string[] = [];
  const shadowed = rest.map((s): SourceReport => {
    warnings.push(`${s.setting.source} is set but ${chosen?.setting.source ?? ''} takes precedence for ${spec.name}; ${s.setting.source} is not used`);
    return { kind: s.kind, name: s.setting.source, paths: s.setting.files, count: 0, note: `not used: ${chosen?.setting.source ?? ''} takes precedence` };
  });
  if (chosen === undefined) {
    if (spec.mode === 'replace') warnings.push(`--tls-ca-mode=replace has no effect for ${spec.name}: no CA was given, so the system and Node.js roots are used`);
    return { read: undefined, mode: spec.mode, shadowed, warnings };
  }
  const read = readSetting(chosen, deps, hash);
  warnings.push(...caWarnings(read.certs, spec, deps.now));
  const mode = chosen.kind === 'native' ? (spec.providerNative?.mode ?? spec.mode) : spec.mode;
  return { read, mode, shadowed, warnings };
}

function otherWarnings(spec: TrustSpec, client: ClientCert | undefined, now: number): string[] {
  const warnings = client === undefined ? [] : expiryWarnings([client.summary], `client certificate (${client.setting.source})`, now);
  if (spec.env.nodeTlsRejectUnauthorized === '0') {
    warnings.push(`NODE_TLS_REJECT_UNAUTHORIZED=0 is set; extdns ignores it for ${spec.name} and verifies certificates (use the provider's skip-verify flag if you really must)`);
  }
  if (spec.skipVerify !== undefined) {
    warnings.push(`${spec.skipVerify.flag} is set: certificates presented by ${spec.name} are NOT verified; anyone on the network path can impersonate it`);
  }
  return warnings;
}

/** Explicit settings present, most specific first. */
function rankedSettings(spec: TrustSpec): Ranked[] {
  const out: Ranked[] = [];
  if (spec.providerCa !== undefined && spec.providerCa.files.length > 0) out.push({ kind: 'provider', setting: spec.providerCa });
  if (spec.caFiles.length > 0) out.push({ kind: 'flag', setting: { source: '--tls-ca', files: spec.caFiles } });
  if (spec.providerNative !== undefined && spec.providerNative.files.length > 0) out.push({ kind: 'native', setting: spec.providerNative });
  return out;
}

interface ReadSetting {
  readonly source: SourceCerts;
  readonly certs: X509Certificate[];
  readonly files: string[];
}

function readSetting(ranked: Ranked, deps: BuildDeps, hash: ReturnType<typeof createHash>): ReadSetting {
  const certs: X509Certificate[] = [];
  const pems: string[] = [];
  const files: string[] = [];
  for (const path of ranked.setting.files) {
    const loaded = readExplicitCa(path, ranked.setting.source, deps.fs);
    hash.update(loaded.digest);
    certs.push(...loaded.certs);
    pems.push(...loaded.pems);
    files.push(path, ...loaded.files.filter((f) => f !== path));
  }
  const certificates: CertSummary[] = certs.map((c) => summarise(c, deps.now));
  return {
    certs,
    files,
    source: { pems, report: { kind: ranked.kind, name: ranked.setting.source, paths: ranked.setting.files, count: pems.length, certificates } },
  };
}

function caWarnings(certs: readonly X509Certificate[], spec: TrustSpec, now: number): string[] {
  const warnings = expiryWarnings(certs.map((c) => summarise(c, now)), 'CA certificate', now);
  if (spec.allowPartialChain === true) return warnings;
  for (const cert of certs) {
    if (!cert.ca || isSelfSigned(cert)) continue;
    if (certs.some((other) => other !== cert && cert.checkIssued(other) && cert.verify(other.publicKey))) continue;
    warnings.push(`CA certificate "${cert.subject.split('\n').join(', ')}" is an intermediate and the root that issued it ("${cert.issuer.split('\n').join(', ')}") is not given; ` +
      `connections will fail with "unable to get issuer certificate" unless the root is in the trust set. Add the root to the CA file`);
  }
  return warnings;
}

function expiryWarnings(summaries: readonly CertSummary[], what: string, now: number): string[] {
  const out: string[] = [];
  for (const s of summaries) {
    if (Date.parse(s.notAfter) <= now) {
      out.push(`${what} "${s.subject}" expired on ${s.notAfter} (${-s.daysLeft} days ago); connections that need it will fail. Renew it`);
    } else if (s.daysLeft < EXPIRY_WARNING_DAYS) {
      out.push(`${what} "${s.subject}" expires on ${s.notAfter} (in ${s.daysLeft} days); renew it soon`);
    }
  }
  return out;
}

interface Deduped {
  readonly pems: string[];
  readonly keys: Set<string>;
}

function dedupe(sources: readonly SourceCerts[]): Deduped {
  const keys = new Set<string>();
  const pems: string[] = [];
  for (const s of sources) {
    for (const p of s.pems) {
      const key = pemKey(p);
      if (keys.has(key)) continue;
      keys.add(key);
      pems.push(p);
    }
  }
  return { pems, keys };
}

interface ClientCert {
  readonly setting: ClientCertSetting;
  readonly cert: string;
  readonly key: string;
  readonly summary: CertSummary;
  readonly files: string[];
}

function loadClientCert(settings: readonly ClientCertSetting[], deps: BuildDeps, hash: ReturnType<typeof createHash>): ClientCert | undefined {
  const setting = settings[0];
  if (setting === undefined) return undefined;
  const cert = readClientFile(setting.certFile, `${setting.source} certificate`, deps.fs);
  const key = readClientFile(setting.keyFile, `${setting.source} key`, deps.fs);
  hash.update(setting.certFile).update(cert).update(setting.keyFile).update(key);
  const fail = (what: string, cause?: unknown): never => {
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CLIENT_CERT, what, cause === undefined ? {} : { cause });
  };
  const certBlock = splitPem(cert).find((b) => b.label === 'CERTIFICATE');
  if (certBlock === undefined) return fail(`client certificate ${setting.certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certBlock.text);
  } catch (err) {
    return fail(`client certificate ${setting.certFile} cannot be parsed (${reason(err)})`, err);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    return fail(`client key ${setting.keyFile} is not a readable private key (PEM, unencrypted): ${reason(err)}`, err);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    fail(`client key ${setting.keyFile} does not belong to client certificate ${setting.certFile} ("${x509.subject.split('\n').join(', ')}"); ` +
      'mount the key that was issued with this certificate (for a cert-manager Secret: tls.crt with tls.key)');
  }
  return { setting, cert, key, summary: summarise(x509, deps.now), files: [setting.certFile, setting.keyFile] };
}

function readClientFile(file: string, what: string, fs: TrustFs): string {
  try {
    return fs.readFileSync(file).toString('utf8');
  } catch (err) {
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CLIENT_CERT, `${what} ${file} cannot be read (${reason(err)}); check the path and the mount`, { cause: err });
  }
}

function makeContext(ca: readonly string[], client: ClientCert | undefined, spec: TrustSpec): TrustGeneration['secureContext'] {
  try {
    return createSecureContext({
      ca: [...ca],
      ...(client === undefined ? {} : { cert: client.cert, key: client.key }),
      ...(spec.allowPartialChain === true ? { allowPartialTrustChain: true } : {}),
    });
  } catch (err) {
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CLIENT_CERT, `the TLS settings of ${spec.name} were refused by OpenSSL: ${reason(err)}`, { cause: err });
  }
}

/** The proxy route of the connection's endpoint, for the report (credentials masked). */
function routeReport(spec: TrustSpec): { proxy?: string } {
  if (spec.proxy === undefined) return {};
  if (spec.endpoint === undefined || spec.endpoint === '') return { proxy: spec.proxy.none ? 'direct (no proxy configured)' : `by endpoint: ${spec.proxy.summary}` };
  return { proxy: describeRouteTo(spec.proxy, spec.endpoint) };
}
