/**
 * `--provider=webhook`: the controller's provider is an HTTP server speaking
 * the ExternalDNS webhook protocol (version 1), as in ExternalDNS v0.22.
 *
 * Start-up negotiates once (`GET <url>` with the Accept header; up to 5 tries
 * with exponential backoff for transport errors and 5xx, 3xx/4xx stop at
 * once), insists on the exact media type in the answer, and keeps the domain
 * filter the webhook returns. Then each call is one attempt: a 500-510 answer
 * is transient (ExternalDNS's soft error, retried next run), any other
 * unexpected status, an unreadable body or a transport failure is fatal.
 */
import type { Dispatcher } from 'undici';
import { redactUrls } from '../../util/url-secrets.ts';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { domainFilterFromWire } from '../../endpoint/domain-filter.ts';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { changesToWire, endpointsFromWire, endpointToWire } from '../../endpoint/wire.ts';
import { ExtdnsError, errorMessage, type ErrorKind } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { CallCounter, type ProviderStats } from '../stats.ts';
import type { Changes } from '../../plan/plan.ts';
import type { Clock, Random } from '../../util/clock.ts';
import type { Provider } from '../provider.ts';
import { PERMISSIVE_CAPABILITIES } from '../capabilities.ts';
import { WebhookErrors } from './errors.ts';
import { errorText, exchange, parseJsonAnswer, type Exchange, type ExchangeRequest } from './http.ts';
import { WEBHOOK_MEDIA_TYPE } from './media-type.ts';
import { standardThrottle } from '../kit/throttle.ts';

export interface WebhookClientOptions {
  /** --webhook-provider-url. */
  url: string;
  /** --webhook-provider-read-timeout (ms). */
  readTimeoutMs: number;
  /** --webhook-provider-write-timeout (ms). */
  writeTimeoutMs: number;
  /** --webhook-provider-max-body-size (bytes; 0 = no limit). */
  maxBodySize: number;
}

export interface WebhookClientDeps {
  logger: Logger;
  clock: Clock;
  /** Jitter of the negotiation backoff; none when absent. */
  random?: Random | undefined;
  /** From the trust store when the URL is https. */
  dispatcher?: Dispatcher | undefined;
  /** Re-reads the trust files after a TLS failure; true when they changed. */
  onTlsFailure?: (() => boolean) | undefined;
  /** Stops the negotiation retries (process shutdown). */
  signal?: AbortSignal | undefined;
}

export type WebhookProvider = Provider & ProviderStats;

/** cenkalti/backoff v5 defaults, with ExternalDNS's WithMaxTries(5). */
export const NEGOTIATION_BACKOFF = { tries: 5, initialMs: 500, multiplier: 1.5, randomization: 0.5, maxMs: 60_000 } as const;


/** `<url>/<path>` the way Go's URL.JoinPath builds it (a path prefix is kept, slashes are not doubled). */
export function joinUrl(base: URL, path: string): string {
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}/${path}${base.search}`;
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_CONFIG, `--webhook-provider-url "${redactUrls(url)}" is not a URL; give one like http://localhost:8888`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_CONFIG, `--webhook-provider-url "${redactUrls(url)}" must use http or https`);
  }
  return parsed;
}

/** The error for an answer with an unexpected status: 500-510 transient, the rest fatal, with the server's own text. */
function statusError(what: string, res: Exchange, expected: number, kind?: ErrorKind): ExtdnsError {
  const text = errorText(res.text);
  const said = text === '' ? '' : `: ${text}`;
  if (res.status >= 500 && res.status <= 510) {
    return new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_SERVER_ERROR, `${what} answered ${res.status}${said} (retried at the next sync)`);
  }
  if (res.status === 409) {
    return new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_CONFLICT, `${what} answered 409${said} (the next sync reads the records again and plans anew)`);
  }
  return new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_REQUEST_REJECTED, `${what} answered ${res.status} instead of ${expected}${said}`, kind === undefined ? {} : { kind });
}

export async function createWebhookProvider(options: WebhookClientOptions, deps: WebhookClientDeps): Promise<WebhookProvider> {
  const base = parseUrl(options.url);
  // Credentials in the URL go in an Authorization header, as Go's http client sends them; the URL (in every message) loses them.
  const authorization = base.username === '' ? undefined
    : `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  base.username = '';
  base.password = '';
  const log = deps.logger;
  const counter = new CallCounter(['records', 'applychanges', 'adjustendpoints']);
  const http = {
    timeoutMs: options.readTimeoutMs + options.writeTimeoutMs, maxBodySize: options.maxBodySize, dispatcher: deps.dispatcher, onTlsFailure: deps.onTlsFailure,
    // A webhook that rate-limits (429, or 503 with Retry-After) is waited out up to 3 times, each wait at most 30 s (as for PowerDNS); longer, and the answer is the call's error, retried next run. Go's client fails the call at once.
    throttle: standardThrottle(deps.clock), counter,
  };
  const send = (req: ExchangeRequest): Promise<Exchange> =>
    exchange(authorization === undefined ? req : { ...req, headers: { ...req.headers, Authorization: authorization } }, http);
  const filter = await negotiate(base, send, deps);
  log.info('Webhook provider negotiated', { url: base.href, domainFilter: filter.toWire() });
  const recordsUrl = joinUrl(base, 'records');
  const adjustUrl = joinUrl(base, 'adjustendpoints');
  const idle = new AbortController().signal;

  return {
    records: (signal) => counter.count('records', async () => {
      const what = `GET ${recordsUrl}`;
      const res = await send({ method: 'GET', url: recordsUrl, headers: { Accept: WEBHOOK_MEDIA_TYPE }, signal });
      if (res.status !== 200) throw statusError(what, res, 200);
      return readEndpoints(what, res.text);
    }),
    applyChanges: (changes: Changes, signal) => counter.count('applychanges', async () => {
      const what = `POST ${recordsUrl}`;
      const body = `${JSON.stringify(changesToWire(changes))}\n`;
      const res = await send({ method: 'POST', url: recordsUrl, headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body, signal });
      if (res.status === 400 || res.status === 422) throw statusError(what, res, 204, 'refused-change');
      if (res.status !== 204) throw statusError(what, res, 204);
    }),
    adjustEndpoints: (endpoints: Endpoint[]) => counter.count('adjustendpoints', async () => {
      const what = `POST ${adjustUrl}`;
      const body = `${JSON.stringify(endpoints.map(endpointToWire))}\n`;
      const headers = { 'Content-Type': WEBHOOK_MEDIA_TYPE, Accept: WEBHOOK_MEDIA_TYPE };
      const res = await send({ method: 'POST', url: adjustUrl, headers, body, signal: idle });
      if (res.status !== 200) throw statusError(what, res, 200);
      return readEndpoints(what, res.text);
    }),
    domainFilter: (): DomainFilter => filter,
    // The remote decides what it holds; extdns applies only the rules every provider gets.
    capabilities: PERMISSIVE_CAPABILITIES,
    stats: () => counter.snapshot(),
  };
}

function readEndpoints(what: string, text: string): Endpoint[] {
  const json = parseJsonAnswer(what, text);
  try {
    return endpointsFromWire(json, 'endpoints');
  } catch (err) {
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_BAD_RESPONSE, `${what} answered with endpoints extdns cannot read: ${errorMessage(err)}`, { cause: err });
  }
}

/** The delay before try `n + 1` (n ≥ 1): 500 ms × 1.5^(n-1), ±50 % when jittered. */
export function negotiationDelayMs(n: number, random: Random | undefined): number {
  const b = NEGOTIATION_BACKOFF;
  const interval = Math.min(b.maxMs, b.initialMs * b.multiplier ** (n - 1));
  if (random === undefined) return interval;
  const delta = b.randomization * interval;
  return interval - delta + random.next() * 2 * delta;
}

async function negotiate(base: URL, send: (req: ExchangeRequest) => Promise<Exchange>, deps: WebhookClientDeps): Promise<DomainFilter> {
  const url = base.href;
  const what = `GET ${url}`;
  const signal = deps.signal ?? new AbortController().signal;
  let last = '';
  for (let attempt = 1; attempt <= NEGOTIATION_BACKOFF.tries; attempt++) {
    if (attempt > 1) await deps.clock.sleep(negotiationDelayMs(attempt - 1, deps.random), signal);
    let res: Exchange;
    try {
      res = await send({ method: 'GET', url, headers: { Accept: WEBHOOK_MEDIA_TYPE }, signal });
    } catch (err) {
      if (signal.aborted) throw err;
      last = errorMessage(err);
      deps.logger.debug('Webhook negotiation failed; retrying', { attempt, error: last });
      continue;
    }
    if (res.status >= 500) {
      last = `${what} answered ${res.status}${errorText(res.text) === '' ? '' : `: ${errorText(res.text)}`}`;
      deps.logger.debug('Webhook negotiation failed; retrying', { attempt, status: res.status });
      continue;
    }
    if (res.status >= 300) throw negotiationError(`${what} answered ${res.status}${errorText(res.text) === '' ? '' : `: ${errorText(res.text)}`}; the webhook must answer 200`);
    return readNegotiation(what, res);
  }
  throw negotiationError(`failed to connect to the webhook after ${NEGOTIATION_BACKOFF.tries} tries: ${last}`);
}

function negotiationError(message: string, cause?: unknown): ExtdnsError {
  return new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_NEGOTIATION, message, cause === undefined ? {} : { cause });
}

function readNegotiation(what: string, res: Exchange): DomainFilter {
  const contentType = res.header('content-type') ?? '';
  if (contentType !== WEBHOOK_MEDIA_TYPE) {
    throw negotiationError(`${what} answered with Content-Type "${contentType}"; a webhook provider must answer exactly "${WEBHOOK_MEDIA_TYPE}" (is this URL a webhook provider, and does it speak version 1?)`);
  }
  try {
    return domainFilterFromWire(parseJsonAnswer(what, res.text), 'domainFilter');
  } catch (err) {
    throw negotiationError(`${what} answered with a domain filter extdns cannot read: ${errorMessage(err)}`, err);
  }
}
