/**
 * etcd v3 through its JSON gateway (/v3/kv/range, /v3/kv/txn,
 * /v3/auth/authenticate), on the kit's HTTP exchange with the dispatcher
 * src/tls built for each endpoint. Keys and values travel base64-encoded,
 * revisions as decimal strings. ETCD_URLS may list several endpoints: a
 * request goes to the one that answered last and moves on when one cannot be
 * reached. With ETCD_USERNAME/ETCD_PASSWORD, a token is fetched once and again
 * when etcd says it expired.
 */
import type { Dispatcher } from 'undici';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Clock } from '../../util/clock.ts';
import { errorCodeOf, isTlsFailure } from '../../tls/classify.ts';
import { httpExchange, type HttpAnswer, type HttpOptions } from '../kit/http.ts';
import { redactor } from '../kit/redact.ts';
import { standardThrottle } from '../kit/throttle.ts';
import { CallCounter, type ProviderStatsSnapshot } from '../stats.ts';
import { CorednsErrors } from './errors.ts';

export interface EtcdEndpoint {
  readonly url: string;
  readonly dispatcher?: Dispatcher | undefined;
  readonly onTlsFailure?: (() => boolean) | undefined;
}

export interface EtcdKv {
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
}

export interface EtcdSnapshot {
  readonly kvs: EtcdKv[];
  /** The store revision the snapshot was read at. */
  readonly revision: number;
}

export interface EtcdChangeCheck {
  /** Keys under the prefix now. */
  readonly count: number;
  /** Keys put after the revision. */
  readonly changed: number;
  readonly revision: number;
}

export type EtcdOp = { readonly put: string; readonly value: string } | { readonly del: string };

/** The key must still have this mod revision (0: must not exist) for the transaction to apply. */
export interface EtcdGuard {
  readonly key: string;
  readonly modRevision: number;
}

export interface EtcdClient {
  /** Every key under the prefix, read in pages at one revision. */
  readPrefix(prefix: string, signal: AbortSignal): Promise<EtcdSnapshot>;
  /** One small read that says whether anything under the prefix changed since `revision`. */
  changedSince(prefix: string, revision: number, signal: AbortSignal): Promise<EtcdChangeCheck>;
  /** One transaction: applied when every guard holds (true), else nothing is written (false). */
  txn(guards: readonly EtcdGuard[], ops: readonly EtcdOp[], signal: AbortSignal): Promise<boolean>;
  stats(): ProviderStatsSnapshot;
}

export interface EtcdClientOptions {
  endpoints: readonly EtcdEndpoint[];
  username?: string | undefined;
  password?: string | undefined;
  timeoutMs?: number | undefined;
  /** Whether a client certificate is configured (a TLS connection etcd closes at once then most likely wanted one). */
  clientCert?: boolean | undefined;
  /** Keys per range page (default 2000). */
  pageSize?: number | undefined;
  logger: Logger;
  /**
   * Waits out a 429 on it and sends again (../kit/throttle.ts): the gateway answers 429 for etcd's
   * "too many requests" (ResourceExhausted, refused before it is proposed, so sending again is safe).
   * Without it the answer is the error at once.
   */
  clock?: Clock | undefined;
}


const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: unknown): string => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : '');
const num = (s: unknown): number => (typeof s === 'string' || typeof s === 'number' ? Number(s) : 0);

/** The end of the range holding every key that starts with `prefix` (etcd's WithPrefix). */
export function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    const b = bytes[i] ?? 0;
    if (b < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1));
      end[i] = b + 1;
      return end.toString('base64');
    }
  }
  return b64('\0');
}

interface GatewayAnswer { [k: string]: unknown }

export function createEtcdClient(options: EtcdClientOptions): EtcdClient {
  const counter = new CallCounter(['range', 'txn']);
  const redact = redactor(...(options.password === undefined ? [] : [options.password]));
  const pageSize = options.pageSize ?? 2000;
  let current = 0;
  let token: string | undefined;

  const http = (endpoint: EtcdEndpoint): HttpOptions => ({
    timeoutMs: options.timeoutMs ?? 30_000,
    dispatcher: endpoint.dispatcher,
    onTlsFailure: endpoint.onTlsFailure,
    counter,
    logger: options.logger,
    // A 429 is waited out up to 3 times (etcd names no Retry-After: 1 s, doubling), each wait at most 30 s; then the sync fails, retried next run.
    throttle: standardThrottle(options.clock),
    failures: {
      tls: (what, err) => transportError(what, err, redact),
      unreachable: (what, err) => (isClosedAtHandshake(endpoint.url, err, options.clientCert === true)
        ? new ExtdnsError(CorednsErrors.EXTDNS_COREDNS_TLS, `${what} failed: etcd closed the TLS connection at once (${redact(String(err))}); with --client-cert-auth it does so to clients without a certificate: set ETCD_CERT_FILE/ETCD_KEY_FILE (or --tls-client-cert/--tls-client-cert-key)`, { cause: err })
        : transportError(what, err, redact)),
    },
  });

  /** One POST, to the endpoint that answered last, then to the others when it cannot be reached. */
  async function post(path: string, body: unknown, operation: string, signal: AbortSignal): Promise<HttpAnswer> {
    let lastError: unknown;
    for (let n = 0; n < options.endpoints.length; n++) {
      const i = (current + n) % options.endpoints.length;
      const endpoint = options.endpoints[i] as EtcdEndpoint;
      const url = `${endpoint.url.replace(/\/+$/, '')}${path}`;
      try {
        const answer = await httpExchange({
          method: 'POST', url, what: `POST ${url}`, operation, signal, body: JSON.stringify(body),
          headers: { 'Content-Type': 'application/json', ...(token === undefined || operation === 'authenticate' ? {} : { Authorization: token }) },
        }, http(endpoint));
        current = i;
        return answer;
      } catch (err) {
        if (!ExtdnsError.is(err) || err.code !== CorednsErrors.EXTDNS_COREDNS_UNREACHABLE.code) throw err;
        lastError = err;
      }
    }
    throw lastError;
  }

  async function authenticate(signal: AbortSignal): Promise<void> {
    const res = await post('/v3/auth/authenticate', { name: options.username, password: options.password }, 'authenticate', signal);
    const body = parse(res, '/v3/auth/authenticate', redact);
    if (typeof body.token !== 'string') throw new ExtdnsError(CorednsErrors.EXTDNS_COREDNS_AUTH, 'etcd answered /v3/auth/authenticate without a token');
    token = body.token;
  }

  /** A gateway call with the auth token; fetched first, and once more when etcd says it is no longer valid. */
  async function call(path: string, body: unknown, operation: string, signal: AbortSignal): Promise<GatewayAnswer> {
    if (options.username !== undefined && token === undefined) await authenticate(signal);
    try {
      return parse(await post(path, body, operation, signal), path, redact);
    } catch (err) {
      if (options.username === undefined || !ExtdnsError.is(err) || !/invalid auth token|token.*(expired|not found)/i.test(err.message)) throw err;
      token = undefined;
      await authenticate(signal);
      return parse(await post(path, body, operation, signal), path, redact);
    }
  }

  return {
    stats: () => counter.snapshot(),
    readPrefix: (prefix, signal) => readPaged(call, prefix, pageSize, signal),
    async changedSince(prefix, revision, signal) {
      // count_only would ignore min_mod_revision; keys_only with it lists only the keys put since, while count stays the total.
      const body = await call('/v3/kv/range', { key: b64(prefix), range_end: prefixEnd(prefix), keys_only: true, min_mod_revision: String(revision + 1) }, 'range', signal);
      return {
        count: num(body.count),
        changed: Array.isArray(body.kvs) ? body.kvs.length : 0,
        revision: num((body.header as GatewayAnswer | undefined)?.revision),
      };
    },
    async txn(guards, ops, signal) {
      const body = await call('/v3/kv/txn', {
        compare: guards.map((g) => ({ key: b64(g.key), target: 'MOD', result: 'EQUAL', mod_revision: String(g.modRevision) })),
        success: ops.map((op) => ('put' in op
          ? { request_put: { key: b64(op.put), value: b64(op.value) } }
          : { request_delete_range: { key: b64(op.del) } })),
      }, 'txn', signal);
      return body.succeeded === true;
    },
  };
}

type GatewayCall = (path: string, body: unknown, operation: string, signal: AbortSignal) => Promise<GatewayAnswer>;

/** Every key under the prefix, in pages of `pageSize`, all read at the revision of the first page. */
async function readPaged(call: GatewayCall, prefix: string, pageSize: number, signal: AbortSignal): Promise<EtcdSnapshot> {
  const kvs: EtcdKv[] = [];
  const end = prefixEnd(prefix);
  let from = b64(prefix);
  let revision = 0;
  for (;;) {
    const body = await call('/v3/kv/range', { key: from, range_end: end, limit: String(pageSize), ...(revision === 0 ? {} : { revision: String(revision) }) }, 'range', signal);
    revision = num((body.header as GatewayAnswer | undefined)?.revision);
    const page = Array.isArray(body.kvs) ? (body.kvs as GatewayAnswer[]) : [];
    for (const kv of page) kvs.push({ key: unb64(kv.key), value: unb64(kv.value), modRevision: num(kv.mod_revision) });
    const last = page[page.length - 1];
    if (body.more !== true || last === undefined) return { kvs, revision };
    from = Buffer.concat([Buffer.from(String(last.key), 'base64'), Buffer.from([0])]).toString('base64');
  }
}

function parse(res: HttpAnswer, path: string, redact: (s: string) => string): GatewayAnswer {
  const body = jsonOf(res.text);
  if (res.status === 200 && body !== undefined) return body;
  const reason = redact(typeof body?.error === 'string' ? body.error : typeof body?.message === 'string' ? body.message : res.text.slice(0, 200));
  if (/CommonName of client sending a request against gateway/i.test(reason)) {
    return fail(CorednsErrors.EXTDNS_COREDNS_AUTH, `etcd refused ${path}: ${reason}. With auth enabled, etcd's JSON gateway refuses clients whose certificate has a CommonName: use ETCD_USERNAME/ETCD_PASSWORD with a client certificate without a CommonName, or no client certificate`);
  }
  if (/authentication failed|invalid auth token|permission denied|user name is empty|auth.*not enabled/i.test(reason) || res.status === 401 || res.status === 403) {
    return fail(CorednsErrors.EXTDNS_COREDNS_AUTH, `etcd refused ${path} (status ${res.status}): ${reason}. Check ETCD_USERNAME / ETCD_PASSWORD and the user's role on the --coredns-prefix keys`);
  }
  return fail(CorednsErrors.EXTDNS_COREDNS_ETCD_ERROR, `etcd answered ${path} with status ${res.status}: ${reason === '' ? '(no reason given)' : reason}`, res.status < 500 && res.status !== 429 ? false : undefined);
}

function jsonOf(text: string): GatewayAnswer | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? (body as GatewayAnswer) : undefined;
  } catch {
    return undefined;
  }
}

function fail(spec: (typeof CorednsErrors)[keyof typeof CorednsErrors], message: string, transient?: boolean): never {
  throw new ExtdnsError(spec, message, transient === undefined ? {} : { transient });
}

/** etcd with --client-cert-auth ends the connection right after a TLS 1.3 handshake that carried no client certificate. */
function isClosedAtHandshake(url: string, err: unknown, clientCert: boolean): boolean {
  return !clientCert && url.toLowerCase().startsWith('https://') && /UND_ERR_SOCKET|ECONNRESET/.test(errorCodeOf(err));
}

function transportError(what: string, err: unknown, redact: (s: string) => string): ExtdnsError {
  const code = errorCodeOf(err);
  const message = redact(err instanceof Error ? err.message : String(err));
  if (isTlsFailure(err)) {
    return new ExtdnsError(CorednsErrors.EXTDNS_COREDNS_TLS, `${what} failed: TLS ${code === '' ? 'error' : code}: ${message}. Trust the CA that issued etcd's certificate with --tls-ca or ETCD_CA_FILE; a client certificate goes in ETCD_CERT_FILE/ETCD_KEY_FILE (or --tls-client-cert/--tls-client-cert-key); \`extdns doctor\` explains the chain`, { cause: err });
  }
  return new ExtdnsError(CorednsErrors.EXTDNS_COREDNS_UNREACHABLE, `${what} failed: could not connect (${code === '' ? message : `${code}: ${message}`}); will retry next run`, { cause: err });
}
