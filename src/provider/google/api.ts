/**
 * The Cloud DNS v1 REST calls extdns makes (managedZones.list, rrsets.list,
 * changes.create), on the kit's HTTP exchange so that the trust module's
 * dispatcher (CA, proxy route) carries every request. The access token comes
 * from ./auth.ts. Google's error envelope is `{error:{code,message,errors}}`.
 */
import type { Dispatcher } from 'undici';
import { ExtdnsError, errorMessage } from '../../errors/errors.ts';
import type { Clock } from '../../util/clock.ts';
import type { Logger } from '../../log/logger.ts';
import { httpExchange, type HttpAnswer } from '../kit/http.ts';
import { standardThrottle } from '../kit/throttle.ts';
import { CallCounter } from '../stats.ts';
import { GoogleErrors } from './errors.ts';

export interface GoogleZone {
  name: string;
  dnsName: string;
  visibility: string;
}

export interface GoogleRrset {
  name: string;
  type: string;
  ttl: number;
  rrdatas: string[];
}

export interface GoogleChange {
  additions: GoogleRrset[];
  deletions: GoogleRrset[];
}

/** A change Cloud DNS refused: its status and Google's reason. */
export class ChangeRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface GoogleApiOptions {
  /** e.g. https://dns.googleapis.com/dns/v1/ (CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS). */
  base: string;
  project: string;
  token: () => Promise<string>;
  dispatcher?: Dispatcher | undefined;
  onTlsFailure?: (() => boolean) | undefined;
  logger: Logger;
  timeoutMs?: number;
  /** Waits out a 429 (or a 503 with Retry-After) on it and sends again (../kit/throttle.ts); without it the answer is the error at once. */
  clock?: Clock | undefined;
}


export interface GoogleApi {
  zones(signal: AbortSignal): Promise<GoogleZone[]>;
  rrsets(zone: string, signal: AbortSignal): Promise<GoogleRrset[]>;
  /** Throws ChangeRefused on a 4xx other than 401/403/429. */
  change(zone: string, change: GoogleChange, signal: AbortSignal): Promise<void>;
  readonly counter: CallCounter;
}

export function createGoogleApi(options: GoogleApiOptions): GoogleApi {
  const counter = new CallCounter();
  const base = options.base.endsWith('/') ? options.base : `${options.base}/`;
  const projectUrl = `${base}projects/${encodeURIComponent(options.project)}/managedZones`;
  const call = async (url: string, operation: string, signal: AbortSignal, body?: unknown): Promise<HttpAnswer> => {
    const method = body === undefined ? 'GET' : 'POST';
    const token = await options.token();
    return httpExchange({
      method, url, signal, operation, what: `${method} ${url}`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }, {
      timeoutMs: options.timeoutMs ?? 30_000,
      dispatcher: options.dispatcher,
      onTlsFailure: options.onTlsFailure,
      counter,
      logger: options.logger,
      // A rate limit is waited out up to 3 times, each wait at most 30 s (Cloud DNS names none: 1 s, doubling); longer, and the sync is retried next run.
      throttle: standardThrottle(options.clock),
      failures: {
        tls: (what, err) => new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_TLS, `TLS failed for ${what}: ${errorMessage(err)}. The CA that issued the endpoint's certificate is not trusted: give it with --tls-ca; \`extdns doctor\` explains the chain`, { cause: err }),
        unreachable: (what, err) => new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_UNREACHABLE, `could not reach Cloud DNS (${what}): ${errorMessage(err)}`),
      },
    });
  };
  const pages = async <T>(url: string, key: string, operation: string, signal: AbortSignal): Promise<T[]> => {
    const out: T[] = [];
    let pageToken: string | undefined;
    do {
      const pageUrl = pageToken === undefined ? url : `${url}?pageToken=${encodeURIComponent(pageToken)}`;
      const page = readJson(expectOk(await call(pageUrl, operation, signal), pageUrl), pageUrl);
      const items = page[key];
      if (items !== undefined && !Array.isArray(items)) throw badResponse(pageUrl, `${key} is not a list`);
      out.push(...((items ?? []) as T[]));
      pageToken = typeof page.nextPageToken === 'string' && page.nextPageToken !== '' ? page.nextPageToken : undefined;
    } while (pageToken !== undefined);
    return out;
  };
  return {
    counter,
    zones: (signal) => pages<GoogleZone>(projectUrl, 'managedZones', 'ListManagedZones', signal),
    rrsets: (zone, signal) => pages<GoogleRrset>(`${projectUrl}/${encodeURIComponent(zone)}/rrsets`, 'rrsets', 'ListResourceRecordSets', signal),
    async change(zone, change, signal) {
      const url = `${projectUrl}/${encodeURIComponent(zone)}/changes`;
      const answer = await call(url, 'CreateChange', signal, change);
      if (answer.status >= 400 && answer.status < 500 && ![401, 403, 429].includes(answer.status)) {
        throw new ChangeRefused(answer.status, googleMessage(answer));
      }
      expectOk(answer, url);
    },
  };
}

function expectOk(answer: HttpAnswer, url: string): HttpAnswer {
  if (answer.status < 400) return answer;
  const message = `${url} answered ${answer.status}: ${googleMessage(answer)}`;
  if (answer.status === 429) {
    const retry = answer.header('retry-after');
    throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_THROTTLED, `${message}${retry === undefined ? '' : ` (Retry-After: ${retry})`}; retried next run`);
  }
  if (answer.status === 401 || answer.status === 403) throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_UNAUTHORIZED, message);
  if (answer.status >= 500) throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_SERVER_ERROR, message);
  throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_CHANGE_REJECTED, message);
}

/** Google's own text from the error envelope, or the raw body's start. */
function googleMessage(answer: HttpAnswer): string {
  try {
    const body = JSON.parse(answer.text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return answer.text.slice(0, 200);
}

function readJson(answer: HttpAnswer, url: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(answer.text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw badResponse(url, 'not a JSON object');
}

function badResponse(url: string, why: string): ExtdnsError {
  return new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_BAD_RESPONSE, `${url} answered with a body extdns cannot read: ${why}`);
}
