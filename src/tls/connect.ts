/**
 * The one way extdns opens a connection to an endpoint: TCP directly or
 * through an HTTP CONNECT tunnel (./proxy.ts decides), then TLS with the
 * connection's trust. The sync's agents (./agents.ts) and `extdns doctor`
 * both call it, so doctor connects exactly as the sync does: same route,
 * same server name (none for an IP: the IP itself is checked, as undici
 * and Go do), same trust.
 *
 * Through a proxy the certificate is checked here rather than by Node, so a
 * failure can say who issued the certificate: a TLS-inspecting proxy
 * re-signs every certificate with its own CA, and that CA's subject is the
 * fix the operator needs (`--tls-ca`).
 */
import { X509Certificate } from 'node:crypto';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureContext, type TLSSocket } from 'node:tls';
import { ExtdnsError } from '../errors/errors.ts';
import { TlsErrors } from './errors.ts';
import { oneLine } from './pem.ts';
import { maskedProxy, type ProxyRoute } from './proxy.ts';

export interface Target {
  readonly protocol: 'http:' | 'https:';
  /** Host name or IP, without brackets. */
  readonly host: string;
  readonly port: number;
}

export interface TlsParams {
  readonly secureContext: SecureContext;
  /** False only for a provider's skip-verify flag, and for doctor (which inspects instead). */
  readonly verify: boolean;
  /** tls-server-name style override; otherwise the host (no SNI for an IP). */
  readonly serverName?: string | undefined;
  /** ALPN protocols offered; http/1.1 unless given (DNS over TLS offers `dot`, RFC 9103). */
  readonly alpnProtocols?: readonly string[] | undefined;
}

export interface OpenOptions {
  readonly route: ProxyRoute;
  /** Trust for an https:// proxy itself (the connection's own trust). */
  readonly proxyContext?: SecureContext | undefined;
  readonly timeoutMs?: number | undefined;
}

type Done = (err: Error | null, socket: Socket | TLSSocket | null) => void;

/** `scheme://host:port` of a request, as a Target. */
export function targetOf(protocol: string, hostname: string, port: string | number): Target {
  const p = protocol === 'http:' ? 'http:' : 'https:';
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return { protocol: p, host, port: port === '' || port === undefined ? (p === 'https:' ? 443 : 80) : Number(port) };
}

export function targetUrl(t: Target): string {
  return `${t.protocol}//${isIP(t.host) === 6 ? `[${t.host}]` : t.host}:${t.port}`;
}

/** The server name sent and checked: the override, else the host name; an IP gets none (its IP SANs are checked). */
export function serverNameFor(target: Target, override?: string): string | undefined {
  return override ?? (isIP(target.host) === 0 ? target.host : undefined);
}

/** Opens a connection to `target` (TLS when `tls` is given), calling `done` once it is ready to carry HTTP. */
export function openConnection(target: Target, tls: TlsParams | undefined, options: OpenOptions, done: Done): void {
  let finished = false;
  const finish: Done = (err, socket) => {
    if (finished) return;
    finished = true;
    raw.setTimeout(0);
    // As undici's own connector does: no Nagle delay, TCP keep-alive on pooled connections.
    if (err === null) raw.setNoDelay(true).setKeepAlive(true, 60_000);
    done(err, socket);
  };
  const raw = options.route.kind === 'proxy' ? connectProxy(options.route, options.proxyContext) : netConnect({ host: target.host, port: target.port });
  const timeoutMs = options.timeoutMs ?? 10_000;
  raw.setTimeout(timeoutMs, () => {
    raw.destroy(Object.assign(new Error(`connect timeout after ${timeoutMs} ms (${describeHop(target, options.route)})`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
  });
  raw.once('error', (err) => { finish(hopError(err, target, options.route), null); });
  // A peer that drops the connection without an error must not leave the caller waiting (finish is a no-op once done).
  const onClose = (): void => { finish(hopError(Object.assign(new Error('the connection closed before it was ready'), { code: 'ECONNRESET' }), target, options.route), null); };
  raw.once('close', onClose);
  const ready = (socket: Socket): void => {
    // From here the TLS socket reports its own failures (its 'error' comes before its 'close').
    raw.off('close', onClose);
    if (tls === undefined) {
      finish(null, socket);
      return;
    }
    startTls(socket, { target, tls, route: options.route }, finish);
  };
  if (options.route.kind === 'direct') {
    raw.once('connect', () => { ready(raw); });
    return;
  }
  const route = options.route;
  raw.once(route.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
    tunnel(raw, target, route).then(() => { ready(raw); }, (err: unknown) => {
      raw.destroy();
      finish(err as Error, null);
    });
  });
}

function connectProxy(route: Extract<ProxyRoute, { kind: 'proxy' }>, context: SecureContext | undefined): Socket {
  const host = route.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(route.url.port || (route.url.protocol === 'https:' ? 443 : 80));
  if (route.url.protocol !== 'https:') return netConnect({ host, port });
  // An https:// proxy is verified with the connection's own trust, always (skip-verify is for the endpoint only).
  return tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...(context === undefined ? {} : { secureContext: context }), ALPNProtocols: ['http/1.1'] });
}

/** Sends CONNECT and waits for the proxy's 2xx; rejects with EXTDNS_PROXY_CONNECT otherwise. */
function tunnel(socket: Socket, target: Target, route: Extract<ProxyRoute, { kind: 'proxy' }>): Promise<void> {
  const authority = `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`;
  const auth = route.url.username === '' ? ''
    : `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(route.url.username)}:${decodeURIComponent(route.url.password)}`).toString('base64')}\r\n`;
  return new Promise((resolvePromise, reject) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) fail(`the proxy's answer to CONNECT is too long`);
        return;
      }
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      const status = /^HTTP\/1\.[01] (\d{3})([^\r\n]*)/.exec(head.toString('latin1'));
      const code = Number(status?.[1] ?? 0);
      if (code >= 200 && code < 300) resolvePromise();
      else fail(`the proxy answered CONNECT ${authority} with ${status === null ? 'something that is not HTTP' : `${code}${status[2] ?? ''}`}${code === 407 ? '; the proxy wants credentials: put them in the proxy URL (http://user:password@proxy:port)' : ''}`);
    };
    const onEnd = (): void => { fail(`the proxy closed the connection instead of answering CONNECT ${authority}`); };
    socket.once('close', onEnd);
    const fail = (why: string): void => {
      socket.off('data', onData);
      socket.off('close', onEnd);
      reject(new ExtdnsError(TlsErrors.EXTDNS_PROXY_CONNECT, `${why} (proxy ${maskedProxy(route.url)} from ${route.from})`));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
  });
}

function startTls(socket: Socket, hop: { target: Target; tls: TlsParams; route: ProxyRoute }, finish: Done): void {
  const { target, tls, route } = hop;
  const servername = serverNameFor(target, tls.serverName);
  // Direct, Node verifies and reports its own error; through a proxy extdns checks, to name the issuer and the proxy.
  const nodeChecks = tls.verify && route.kind === 'direct';
  const secure = tlsConnect({
    socket, host: target.host, secureContext: tls.secureContext, rejectUnauthorized: nodeChecks, ALPNProtocols: [...(tls.alpnProtocols ?? ['http/1.1'])],
    ...(servername === undefined ? {} : { servername }),
  });
  secure.once('error', (err: Error) => { finish(err, null); });
  secure.once('close', () => { finish(Object.assign(new Error('the server closed the connection during the TLS handshake'), { code: 'ECONNRESET' }), null); });
  secure.once('secureConnect', () => {
    if (tls.verify && !secure.authorized) {
      const err = verificationError(secure, target, route);
      secure.destroy();
      finish(err, null);
      return;
    }
    finish(null, secure);
  });
}

/** Node's code with a message naming the certificate's issuer and, through a proxy, the proxy. */
function verificationError(secure: TLSSocket, target: Target, route: ProxyRoute): Error {
  const code = String(secure.authorizationError ?? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  const issuer = topIssuer(secure);
  const what = `the certificate of ${targetUrl(target)} is not trusted (${code}: ${VERIFY_MESSAGES[code] ?? 'verification failed'})`;
  const by = issuer === undefined ? '' : `; it was issued by "${issuer}"`;
  const proxy = route.kind !== 'proxy' ? ''
    : `; a proxy is in the path (${maskedProxy(route.url)} from ${route.from}): a TLS-inspecting proxy re-signs every certificate with its own CA. `
      + `If "${issuer ?? 'that issuer'}" is your proxy's CA, give it with --tls-ca (or NO_PROXY to go direct)`;
  return Object.assign(new Error(`${what}${by}${proxy}`), { code });
}

/** The issuer of the last certificate the server sent: the CA the client would need. */
function topIssuer(secure: TLSSocket): string | undefined {
  let cur = secure.getPeerCertificate(true);
  const seen = new Set<string>();
  let last: X509Certificate | undefined;
  while (cur?.raw !== undefined && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    last = new X509Certificate(cur.raw);
    cur = cur.issuerCertificate;
  }
  return last === undefined ? undefined : oneLine(last.issuer);
}

const VERIFY_MESSAGES: Readonly<Record<string, string>> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: "the host name or IP is not in the certificate's subject alternative names",
};

function describeHop(target: Target, route: ProxyRoute): string {
  return route.kind === 'proxy' ? `to proxy ${maskedProxy(route.url)} for ${targetUrl(target)}` : `to ${targetUrl(target)}`;
}

/** A failure before the endpoint answered: through a proxy, say it was the proxy. */
function hopError(err: Error, target: Target, route: ProxyRoute): Error {
  if (route.kind === 'direct' || ExtdnsError.is(err)) return err;
  const code = (err as { code?: unknown }).code;
  const wrapped = new ExtdnsError(TlsErrors.EXTDNS_PROXY_CONNECT, `cannot reach the proxy ${maskedProxy(route.url)} (from ${route.from}) for ${targetUrl(target)}: ${err.message}`, { cause: err });
  // A TLS failure of an https:// proxy stays recognisable as TLS (src/tls/classify.ts reads the cause's code).
  return typeof code === 'string' && /^(UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_TLS_|ERR_SSL_)/.test(code) ? Object.assign(err, { message: wrapped.message }) : wrapped;
}
