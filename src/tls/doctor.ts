/**
 * `extdns doctor` for one endpoint: DNS → TCP → TLS handshake with the
 * effective trust but without rejecting, then our own analysis of the
 * presented chain (./verdict.ts). Each step that fails gets its own verdict.
 */
import { X509Certificate } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { redactUrls } from '../util/url-secrets.ts';
import { openConnection, targetOf, targetUrl, type Target, type TlsParams } from './connect.ts';
import { describeRoute, maskedProxy, NO_PROXY_CONFIG, type ProxyConfig, type ProxyRoute } from './proxy.ts';
import type { Clock } from '../util/clock.ts';
import { summarise } from './pem.ts';
import { describeSource } from './report.ts';
import type { CertSummary, TlsCaMode, TrustGeneration } from './tls.ts';
import { analyseChain, type Finding, type Verdict } from './verdict.ts';

export interface DoctorTrust {
  readonly generation: TrustGeneration;
  readonly serverName?: string | undefined;
  readonly skipVerify?: string | undefined;
  readonly allowPartialChain?: boolean | undefined;
  /** The connection's proxies: doctor takes the route the sync takes. */
  readonly proxy?: ProxyConfig | undefined;
}

export interface DoctorDeps {
  readonly clock: Clock;
  /** Per step (DNS, TCP, TLS, first response); default 5 s. */
  readonly timeoutMs?: number;
  readonly lookup?: (host: string) => Promise<{ address: string }>;
}

export interface Diagnosis {
  readonly endpoint: string;
  readonly connection: string;
  readonly ok: boolean;
  /** The first finding's verdict, or ok. */
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly address?: string;
  readonly protocol?: string;
  /** Node's own verification result, for reference. */
  readonly nodeError?: string;
  readonly chain: readonly CertSummary[];
  readonly trust: { readonly mode: TlsCaMode; readonly total: number; readonly sources: readonly string[] };
  readonly notes: readonly string[];
}

class StepError extends Error {
  readonly finding: Finding;
  constructor(finding: Finding) {
    super(finding.message);
    this.finding = finding;
  }
}

export async function diagnose(url: string, trust: DoctorTrust, deps: DoctorDeps): Promise<Diagnosis> {
  const gen = trust.generation;
  const base = {
    endpoint: redactUrls(url), connection: gen.report.name,
    trust: { mode: gen.report.mode, total: gen.report.total, sources: gen.report.sources.map(describeSource) },
  };
  const notes: string[] = [];
  if (trust.skipVerify !== undefined) notes.push(`${trust.skipVerify} is set: extdns does not verify this server, whatever doctor finds`);
  if (gen.report.mode === 'append' && gen.report.sources.some((s) => s.certificates !== undefined)) {
    notes.push('public roots are trusted too (append mode); use --tls-ca-mode=replace to trust only your CA');
  }
  let target: Target;
  try {
    target = parseTarget(url);
  } catch (err) {
    return finish({ ...base, chain: [], notes }, [{ verdict: 'tls-error', message: `"${redactUrls(url)}" is not a valid URL (${errText(err)})`, fix: 'pass a URL like https://host:port' }], trust);
  }
  const route = (trust.proxy ?? NO_PROXY_CONFIG).routeFor(targetUrl(target));
  notes.push(`route: ${describeRoute(route)}, as the sync connects`);
  try {
    const address = route.kind === 'direct' ? await resolve(target.host, deps) : undefined;
    const withAddress = address === undefined ? {} : { address };
    if (target.protocol === 'http:') {
      (await open(target, undefined, { route, gen, deps })).destroy();
      notes.push('plain HTTP: no TLS is used, so trust settings do not apply');
      return finish({ ...base, ...withAddress, chain: [], notes }, [], trust);
    }
    const result = await handshake(target, route, trust, deps);
    return finish({ ...base, ...withAddress, ...result.extra, notes }, result.findings, trust);
  } catch (err) {
    if (err instanceof StepError) return finish({ ...base, chain: [], notes }, [err.finding], trust);
    throw err;
  }
}

function finish(partial: Omit<Diagnosis, 'ok' | 'verdict' | 'findings'>, findings: Finding[], trust: DoctorTrust): Diagnosis {
  const first = findings[0];
  return { ...partial, ok: first === undefined || trust.skipVerify !== undefined, verdict: first?.verdict ?? 'ok', findings };
}

function parseTarget(url: string): Target {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`scheme ${u.protocol} is not http or https`);
  return targetOf(u.protocol, u.hostname, u.port);
}

async function resolve(host: string, deps: DoctorDeps): Promise<string> {
  if (isIP(host) !== 0) return host;
  try {
    return (await (deps.lookup ?? ((h: string) => dnsLookup(h)))(host)).address;
  } catch (err) {
    throw new StepError({
      verdict: 'name-not-resolved',
      message: `the name ${host} does not resolve (${errCode(err)}); this is a DNS problem, not a TLS one`,
      fix: 'check the spelling of the endpoint and that this machine (or pod) can resolve it: DNS config, search domains, VPC endpoints; '
        + 'if only your proxy can resolve it, set HTTPS_PROXY (and check NO_PROXY)',
    });
  }
}

/**
 * Opens the connection with ./connect.ts, exactly as the sync's agents do (route, server name, trust), but
 * without rejecting: the chain is analysed here. Failures before TLS become findings (StepError).
 */
function open(target: Target, tls: TlsParams | undefined, via: { route: ProxyRoute; gen: TrustGeneration; deps: DoctorDeps }): Promise<Socket | TLSSocket> {
  const { route, gen, deps } = via;
  const timeoutMs = deps.timeoutMs ?? 5000;
  return new Promise((resolvePromise, reject) => {
    openConnection(target, tls, { route, proxyContext: gen.secureContext, timeoutMs }, (err, socket) => {
      if (err === null && socket !== null) {
        resolvePromise(socket);
        return;
      }
      const failure = err ?? new Error('no socket');
      reject(connectFinding(failure, target, route, timeoutMs) ?? failure);
    });
  });
}

/** A failure of the TCP step or of the proxy, as a finding; undefined for TLS failures (analysed by the caller). */
function connectFinding(err: Error, target: Target, route: ProxyRoute, timeoutMs: number): StepError | undefined {
  const code = errCode(err);
  const where = `${target.host}:${target.port}`;
  if (code === 'EXTDNS_PROXY_CONNECT') {
    return new StepError({ verdict: 'proxy-failed', message: errText(err),
      fix: 'check HTTPS_PROXY / HTTP_PROXY (host, port, credentials) and that the proxy allows this endpoint; or add the host to NO_PROXY' });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new StepError({ verdict: 'timeout', message: `no answer from ${route.kind === 'proxy' ? `the proxy ${maskedProxy(route.url)}` : where} within ${timeoutMs} ms; this is a network problem, not a TLS one`,
      fix: 'check firewalls, security groups, network policies and any proxy between here and the endpoint' });
  }
  if (code === 'ECONNREFUSED') {
    return new StepError({ verdict: 'connection-refused', message: `nothing listens on ${where} (connection refused); this is not a TLS problem`,
      fix: 'check the port in the endpoint URL and that the service is running' });
  }
  if (/^(ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EPIPE)$/.test(code) && route.kind === 'direct') {
    return new StepError({ verdict: 'network-error', message: `cannot connect to ${where}: ${errText(err)}`, fix: 'check the network path to the endpoint' });
  }
  return undefined;
}

interface HandshakeResult {
  readonly findings: Finding[];
  readonly extra: { chain: CertSummary[]; protocol?: string; nodeError?: string };
}

async function handshake(target: Target, route: ProxyRoute, trust: DoctorTrust, deps: DoctorDeps): Promise<HandshakeResult> {
  const gen = trust.generation;
  const sentCert = gen.clientCert !== undefined;
  let tlsSocket: TLSSocket | undefined;
  try {
    tlsSocket = await open(target, { secureContext: gen.secureContext, verify: false, serverName: trust.serverName }, { route, gen, deps }) as TLSSocket;
    const result = inspect(tlsSocket, target, trust, deps);
    if (route.kind === 'proxy') result.findings.unshift(...inspectingProxyFinding(result.findings, result.extra.chain, route));
    // TLS 1.3 servers check the client certificate after the client thinks the handshake is done: ask for a response to find out.
    const afterError = await firstResponse(tlsSocket, target, deps.timeoutMs ?? 5000);
    if (afterError !== undefined) result.findings.push(clientCertFinding(afterError, sentCert) ?? tlsFailure(afterError));
    if (result.findings.length === 0 && result.extra.nodeError !== undefined) {
      result.findings.push({ verdict: 'tls-error', message: `Node reports ${result.extra.nodeError} for this server`,
        fix: 'compare the chain above with your CA files' });
    }
    return result;
  } catch (err) {
    if (err instanceof StepError) throw err;
    const finding = notTlsFinding(err) ?? clientCertFinding(err, sentCert) ?? tlsFailure(err);
    return { findings: [finding], extra: { chain: [] } };
  } finally {
    tlsSocket?.destroy();
  }
}

const TRUST_VERDICTS: ReadonlySet<Verdict> = new Set(['unknown-ca', 'untrusted-root', 'self-signed', 'missing-intermediate']);

/**
 * Through a proxy, a chain the trust does not cover is most often the proxy's own: a TLS-inspecting proxy
 * re-signs every certificate with its CA. Say so first, with the CA's subject and the fix.
 */
function inspectingProxyFinding(findings: readonly Finding[], chain: readonly CertSummary[], route: Extract<ProxyRoute, { kind: 'proxy' }>): Finding[] {
  if (!findings.some((f) => TRUST_VERDICTS.has(f.verdict))) return [];
  const top = chain[chain.length - 1];
  const issuer = top?.issuer ?? 'an unknown CA';
  return [{
    verdict: 'inspecting-proxy',
    message: `a proxy is in the path (${maskedProxy(route.url)} from ${route.from}) and the certificate presented for this endpoint was issued by "${issuer}", `
      + 'which is not trusted: a TLS-inspecting proxy re-signs every certificate with its own CA, so this is most likely the proxy\'s CA',
    fix: `give the proxy's CA "${issuer}" (PEM) with --tls-ca (your network team has it; a browser behind the proxy shows it too), `
      + 'or add the host to NO_PROXY if it should not go through the proxy',
  }];
}

/** The presented chain and our analysis of it, right after the handshake. */
function inspect(tlsSocket: TLSSocket, target: Target, trust: DoctorTrust, deps: DoctorDeps): HandshakeResult {
  const gen = trust.generation;
  const peer = tlsSocket.getPeerCertificate(true);
  const chain = chainOf(peer);
  const protocol = tlsSocket.getProtocol();
  const nodeError = tlsSocket.authorizationError as Error | string | null;
  const extra = {
    chain: chain.map((c) => summarise(c, deps.clock.now())),
    ...(protocol === null ? {} : { protocol }),
    ...(nodeError === null ? {} : { nodeError: String(nodeError) }),
  };
  const findings = analyseChain({
    chain, trust: parsedTrust(gen), excluded: () => parsedExcluded(gen), host: trust.serverName ?? target.host,
    peer: chain.length > 0 ? peer : undefined, now: deps.clock.now(), allowPartialChain: trust.allowPartialChain === true,
    nodeError: extra.nodeError,
    sourcesSearched: gen.report.sources.filter((s) => !(s.note ?? '').startsWith('not used')).map((s) => `${s.name} (${s.count})`).join(', '),
  });
  return { findings, extra };
}

function chainOf(peer: DetailedPeerCertificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let cur: DetailedPeerCertificate | undefined = peer;
  while (cur?.raw !== undefined && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    out.push(new X509Certificate(cur.raw));
    cur = cur.issuerCertificate;
  }
  return out;
}

const parsedCache = new WeakMap<readonly string[], X509Certificate[]>();
function parseAll(pems: readonly string[]): X509Certificate[] {
  let parsed = parsedCache.get(pems);
  if (parsed === undefined) {
    parsed = [];
    for (const p of pems) {
      try {
        parsed.push(new X509Certificate(p));
      } catch {
        // a damaged block in a system bundle: OpenSSL skips it too
      }
    }
    parsedCache.set(pems, parsed);
  }
  return parsed;
}
const parsedTrust = (gen: TrustGeneration): X509Certificate[] => parseAll(gen.caPems);
const parsedExcluded = (gen: TrustGeneration): X509Certificate[] => parseAll(gen.excludedBasePems);

/**
 * Sends a GET and reads the answer; resolves with an error if the server breaks the connection, or answers
 * that it refused our client certificate. A GET, not a HEAD: nginx (ssl_verify_client on) completes the
 * handshake and says why only in the body of its 400 answer, which a HEAD answer leaves out.
 */
function firstResponse(socket: TLSSocket, target: Target, timeoutMs: number): Promise<unknown> {
  return new Promise((resolvePromise) => {
    let answer = '';
    const settle = (): void => { resolvePromise(httpClientCertError(answer)); };
    socket.removeAllListeners('error').removeAllListeners('close');
    socket.setTimeout(timeoutMs, settle);
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (answer.length > 8192) settle();
    });
    socket.once('error', (err) => { resolvePromise(err); });
    socket.once('end', () => {
      if (answer === '') resolvePromise(Object.assign(new Error('the server closed the connection without answering'), { code: 'ECONNRESET' }));
      else settle();
    });
    socket.write(`GET / HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: extdns-doctor\r\nConnection: close\r\n\r\n`);
  });
}

function httpClientCertError(answer: string): Error | undefined {
  if (/No required SSL certificate/i.test(answer)) return Object.assign(new Error('certificate required (the server answered HTTP 400)'), { code: 'EHTTP400' });
  if (/SSL certificate error/i.test(answer)) return Object.assign(new Error('bad certificate (the server answered HTTP 400)'), { code: 'EHTTP400' });
  return undefined;
}

function notTlsFinding(err: unknown): Finding | undefined {
  if (!/wrong version number|packet length too long|http request/i.test(errText(err))) return undefined;
  return { verdict: 'not-tls', message: 'the endpoint answered, but not with TLS: it looks like a plain-HTTP port',
    fix: 'use http:// in the endpoint URL, or the port where the server speaks HTTPS' };
}

function clientCertFinding(err: unknown, sentCert: boolean): Finding | undefined {
  const code = errCode(err);
  const text = errText(err);
  const alert = /certificate required|handshake failure|bad certificate|unknown ca|certificate unknown|certificate expired/i.test(text) ||
    code.startsWith('ERR_SSL_') && code.includes('ALERT');
  if (!sentCert && alert) {
    return { verdict: 'client-cert-required', message: `the server requires a client certificate and none is configured (${code})`,
      fix: 'set --tls-client-cert and --tls-client-cert-key (or the provider\'s own client certificate settings)' };
  }
  if (sentCert && (alert || code === 'ECONNRESET' || code === 'EPIPE')) {
    return { verdict: 'client-cert-rejected', message: `the server rejected our client certificate (${code}: ${text})`,
      fix: 'check that the client certificate is issued by a CA the server trusts, is not expired, and has clientAuth in its extended key usage' };
  }
  return undefined;
}

function tlsFailure(err: unknown): Finding {
  return { verdict: 'tls-error', message: `the TLS connection failed: ${errCode(err)} ${errText(err)}`.trim(), fix: 'check that the endpoint is a TLS server and that no proxy interferes' };
}

function errCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
