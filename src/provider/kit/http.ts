/**
 * The one HTTP exchange of the providers that speak HTTP themselves (PowerDNS,
 * the webhook client; Route53 goes through the AWS SDK on the trust module's
 * https.Agent). On undici's request with the dispatcher src/tls built for the
 * connection (its proxy route included), it:
 * - counts each attempt for extdns_provider_api_* (a 4xx/5xx answer or a
 *   transport failure is an error, a 429 a throttle);
 * - retries once when TLS failed and the trust files had changed meanwhile
 *   (a sync racing a certificate rotation), using the TLS failure classifier
 *   of src/tls/classify.ts;
 * - with a throttle policy, waits out a 429 (or a 503 with Retry-After) and
 *   sends again, bounded (./throttle.ts); each throttled answer is counted;
 * - caps the body, and turns transport failures into the provider's own
 *   errors (whose text the provider redacts, see ./redact.ts).
 * Other status handling is the provider's: each API says it differently.
 */
import type { Dispatcher } from 'undici';
import { request } from '../../tls/undici-core.ts';
import type { Logger } from '../../log/logger.ts';
import { isTlsFailure } from '../../tls/classify.ts';
import type { CallCounter } from '../stats.ts';
import { isThrottle, throttleWait, type ThrottlePolicy } from './throttle.ts';
import { withTrustRetry } from './trust-retry.ts';

export interface HttpAnswer {
  status: number;
  /** Header values by lower-case name (the first value when repeated). */
  header(name: string): string | undefined;
  text: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
  /** How the request is named in messages, e.g. `GET https://pdns:8081/api/v1/servers/localhost/zones`. */
  what: string;
  /** The operation counted for this request; not counted when absent (the caller counts). */
  operation?: string | undefined;
}

/** The provider's own errors for what can go wrong below HTTP. */
export interface HttpFailures {
  /** TLS failed (after the retry, when there was one). */
  tls(what: string, err: unknown): Error;
  /** Any other transport failure: refused, reset, timed out, DNS. */
  unreachable(what: string, err: unknown): Error;
  /** The body passed maxBodySize. */
  tooLarge?(what: string, limit: number): Error;
}

export interface HttpOptions {
  /** Headers and each gap in the body. */
  timeoutMs: number;
  /** 0 or absent = no limit. */
  maxBodySize?: number | undefined;
  dispatcher?: Dispatcher | undefined;
  /** Re-reads the trust files after a TLS failure; true when they changed. */
  onTlsFailure?: (() => boolean) | undefined;
  /** An answer that is a TLS refusal by a front (nginx answers a refused client certificate with a 400 page). */
  isTlsRefusal?: ((answer: HttpAnswer) => boolean) | undefined;
  failures: HttpFailures;
  counter?: CallCounter | undefined;
  /** Says the one retry after a trust change (debugging a rotation) and each wait for a rate limit; silent when absent. */
  logger?: Logger | undefined;
  /** Wait out 429s (and 503s with Retry-After) and send again; absent = the answer goes straight back. */
  throttle?: ThrottlePolicy | undefined;
}

/** A TLS failure on its way to the retry decision (then turned into the provider's error). */
class TlsFailed extends Error {
  readonly original: unknown;
  constructor(original: unknown) {
    super('tls');
    this.original = original;
  }
}

export async function httpExchange(req: HttpRequest, options: HttpOptions): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await trustedExchange(req, options);
    const retryAfter = answer.header('retry-after');
    if (!isThrottle(answer.status, retryAfter) || options.throttle === undefined) return answer;
    const wait = throttleWait(options.throttle, attempt, retryAfter);
    if (wait === undefined) return answer;
    options.logger?.debug('Rate limited: waiting before sending again', { method: req.method, url: req.what, status: answer.status, waitMs: wait, attempt: attempt + 1 });
    await options.throttle.clock.sleep(wait, req.signal);
  }
}

/** One exchange, with the one retry after a trust change (./trust-retry.ts). */
async function trustedExchange(req: HttpRequest, options: HttpOptions): Promise<HttpAnswer> {
  try {
    return await withTrustRetry(() => counted(req, options), {
      tlsFailed: (err) => err instanceof TlsFailed,
      refusal: options.isTlsRefusal,
      onTlsFailure: options.onTlsFailure,
      logger: options.logger,
      fields: { method: req.method, url: req.what },
    });
  } catch (err) {
    throw err instanceof TlsFailed ? options.failures.tls(req.what, err.original) : err;
  }
}

async function counted(req: HttpRequest, options: HttpOptions): Promise<HttpAnswer> {
  const { counter } = options;
  try {
    const answer = await attempt(req, options);
    if (counter !== undefined) {
      // A caller that counts whole operations itself (the webhook) leaves `operation` out but still has its throttles counted.
      if (req.operation !== undefined) counter.record(req.operation, answer.status >= 400);
      if (isThrottle(answer.status, answer.header('retry-after'))) counter.throttled();
    }
    return answer;
  } catch (err) {
    if (counter !== undefined && req.operation !== undefined) counter.record(req.operation, true);
    throw err;
  }
}

async function attempt(req: HttpRequest, options: HttpOptions): Promise<HttpAnswer> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      signal: req.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (err) {
    if (req.signal.aborted) throw err;
    if (isTlsFailure(err)) throw new TlsFailed(err);
    throw options.failures.unreachable(req.what, err);
  }
  const text = await readCapped(res, req, options);
  return {
    status: res.statusCode,
    header: (name) => {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    },
    text,
  };
}

async function readCapped(res: Dispatcher.ResponseData, req: HttpRequest, options: HttpOptions): Promise<string> {
  const limit = options.maxBodySize ?? 0;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (limit > 0 && size > limit) {
        res.body.destroy();
        throw options.failures.tooLarge?.(req.what, limit) ?? new Error(`${req.what} answered with a body larger than ${limit} bytes`);
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (req.signal.aborted || (limit > 0 && size > limit)) throw err;
    throw options.failures.unreachable(req.what, err);
  }
  return Buffer.concat(chunks).toString('utf8');
}
