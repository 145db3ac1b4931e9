/**
 * CloudflareApi on the official `cloudflare` SDK. Every request goes through
 * the fetch given here (undici on the trust module's dispatcher: --tls-ca and
 * HTTPS_PROXY reach it). The SDK's own retries are off: 429s are retried here,
 * after Retry-After on the injected clock, and counted.
 */
import Cloudflare from 'cloudflare';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { ExtdnsError } from '../../errors/errors.ts';
import type { CallCounter } from '../stats.ts';
import type { Clock } from '../../util/clock.ts';
import { isTlsFailure } from '../../tls/classify.ts';
import type { CfRecord, CfRecordData, CloudflareApi } from './api.ts';
import { credentialSecrets, type CloudflareCredentials } from './credentials.ts';
import { redactor } from '../kit/redact.ts';
import { retryAfterMs } from '../kit/throttle.ts';
import { CloudflareErrors } from './errors.ts';

export interface SdkApiOptions {
  credentials: CloudflareCredentials;
  /** CLOUDFLARE_BASE_URL, else the SDK's default. */
  baseUrl?: string | undefined;
  recordsPerPage: number;
  dispatcher?: Dispatcher | undefined;
  clock: Clock;
  counter: CallCounter;
  onTlsFailure?: (() => boolean) | undefined;
  /** 429 answers retried per request before giving up for this run. */
  rateLimitRetries?: number;
}

const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 60_000;

export function createSdkApi(options: SdkApiOptions): CloudflareApi {
  const { dispatcher } = options;
  const fetch = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), ...(dispatcher === undefined ? {} : { dispatcher }) })) as unknown as typeof globalThis.fetch;
  const client = new Cloudflare({
    ...credentialOptions(options.credentials),
    ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
    maxRetries: 0,
    fetch,
  });
  const call = <T>(operation: string, fn: () => Promise<T>, signal: AbortSignal): Promise<T> => withRateLimit(options, operation, fn, signal);
  /** A write whose refusal of its content (400/409/422) is an answer, not an error. */
  const write = (operation: string, fn: () => Promise<unknown>, signal: AbortSignal): Promise<string | undefined> => call(operation, async () => {
    try {
      await fn();
      return undefined;
    } catch (err) {
      if (err instanceof Cloudflare.BadRequestError || err instanceof Cloudflare.ConflictError || err instanceof Cloudflare.UnprocessableEntityError) return cloudflareReason(err);
      throw err;
    }
  }, signal);
  return {
    zones: async (signal) => (await listPages('listZones', (page) => client.zones.list({ per_page: 50, page }, { signal }), call, signal))
      .map((z) => ({ id: z.id, name: z.name, paid: paidPlan(z) })),
    records: async (zoneId, signal) => (await listPages('listRecords',
      (page) => client.dns.records.list({ zone_id: zoneId, per_page: options.recordsPerPage, page }, { signal }), call, signal))
      .map(cfRecord),
    batch: (zoneId, batch, signal) => write('batchRecords',
      () => client.dns.records.batch({ zone_id: zoneId, ...batch } as Parameters<typeof client.dns.records.batch>[0], { signal }), signal),
    customHostnames: async (zoneId, signal) => (await listPages('listCustomHostnames',
      (page) => client.customHostnames.list({ zone_id: zoneId, per_page: 50, page }, { signal }), call, signal))
      .map((c) => ({ id: c.id, hostname: c.hostname, origin: c.custom_origin_server ?? '' })),
    createCustomHostname: (zoneId, input, signal) => write('createCustomHostname', () => client.customHostnames.create({
      zone_id: zoneId, hostname: input.hostname, custom_origin_server: input.origin,
      ssl: {
        type: 'dv', method: 'http', bundle_method: 'ubiquitous',
        settings: { min_tls_version: input.minTlsVersion as '1.0' | '1.1' | '1.2' | '1.3' },
        ...(input.certificateAuthority === undefined ? {} : { certificate_authority: input.certificateAuthority as 'google' | 'lets_encrypt' | 'ssl_com' }),
      },
    }, { signal }), signal),
    deleteCustomHostname: (zoneId, id, signal) => write('deleteCustomHostname', () => client.customHostnames.delete(id, { zone_id: zoneId }, { signal }), signal),
    regionalHostnames: async (zoneId, signal) => (await call('listRegionalHostnames',
      async () => (await client.addressing.regionalHostnames.list({ zone_id: zoneId }, { signal })).result, signal))
      .map((r) => ({ hostname: r.hostname, regionKey: r.region_key })),
    createRegionalHostname: (zoneId, rh, signal) => write('createRegionalHostname',
      () => client.addressing.regionalHostnames.create({ zone_id: zoneId, hostname: rh.hostname, region_key: rh.regionKey }, { signal }), signal),
    editRegionalHostname: (zoneId, rh, signal) => write('editRegionalHostname',
      () => client.addressing.regionalHostnames.edit(rh.hostname, { zone_id: zoneId, region_key: rh.regionKey }, { signal }), signal),
    deleteRegionalHostname: (zoneId, hostname, signal) => write('deleteRegionalHostname',
      () => client.addressing.regionalHostnames.delete(hostname, { zone_id: zoneId }, { signal }), signal),
  };
}

/** ExternalDNS reads the (deprecated, still answered) plan.is_subscribed for the comment length limit. */
function paidPlan(zone: object): boolean {
  return (zone as { plan?: { is_subscribed?: boolean } }).plan?.is_subscribed === true;
}

/** A listed record in the provider's terms (MX priority, SRV data, comment and tags kept). */
function cfRecord(r: Cloudflare.DNS.RecordResponse): CfRecord {
  const data = (r as { data?: unknown }).data;
  const priority = (r as { priority?: unknown }).priority;
  return {
    id: r.id, name: r.name, type: r.type, content: r.content ?? '', ttl: r.ttl, proxied: r.proxied,
    ...(typeof priority === 'number' ? { priority } : {}),
    ...(typeof data === 'object' && data !== null ? { data: data as CfRecordData } : {}),
    ...(typeof r.comment === 'string' && r.comment !== '' ? { comment: r.comment } : {}),
    ...(Array.isArray(r.tags) && r.tags.length > 0 ? { tags: r.tags } : {}),
  };
}

interface V4Page<T> {
  result: T[];
  result_info?: { page?: number | undefined; total_pages?: number | undefined } | undefined;
}

/**
 * Every page of a v4 list, one counted request each. The SDK's iterator asks for one more (empty)
 * page after the last; result_info.total_pages says when to stop instead.
 */
async function listPages<T>(operation: string, fetchPage: (page: number) => PromiseLike<V4Page<T>>,
  call: <R>(operation: string, fn: () => Promise<R>, signal: AbortSignal) => Promise<R>, signal: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const body = await call(operation, async () => fetchPage(page), signal);
    out.push(...body.result);
    const total = body.result_info?.total_pages;
    if (body.result.length === 0 || total === undefined || page >= total) return out;
  }
}

/** The credentials never reach an error text (and so never a log), whatever an API or proxy echoes back. */
function redacted(err: unknown, credentials: CloudflareCredentials): unknown {
  if (!ExtdnsError.is(err)) return err;
  const redact = redactor(...credentialSecrets(credentials));
  const message = redact(err.message);
  return message === err.message ? err : Object.assign(err, { message });
}

function credentialOptions(c: CloudflareCredentials): { apiToken: string | null; apiKey: string | null; apiEmail: string | null } {
  return c.kind === 'token'
    ? { apiToken: c.token, apiKey: null, apiEmail: null }
    : { apiToken: null, apiKey: c.key, apiEmail: c.email };
}

/** Runs one API call; a 429 waits Retry-After (counted as a throttle) and tries again. */
async function withRateLimit<T>(options: SdkApiOptions, operation: string, fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
  const retries = options.rateLimitRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      return await options.counter.count(operation, fn);
    } catch (err) {
      if (!(err instanceof Cloudflare.RateLimitError)) throw redacted(translate(err, options), options.credentials);
      options.counter.throttled();
      if (attempt >= retries) {
        throw new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_RATE_LIMITED, `Cloudflare ${operation}: still rate limited (429) after ${retries} retries; retried next run`, { cause: err });
      }
      await options.clock.sleep(waitMs(err.headers, options.clock.now()), signal);
    }
  }
}

/**
 * The wait before the next try: Retry-After as the kit reads it (seconds or an HTTP-date, ../kit/throttle.ts),
 * 1 s when absent, at most 60 s. Not the kit's throttleWait: the SDK does not go through the kit's
 * httpExchange (its 429 reaches us as a RateLimitError, each try counted as a call), and Cloudflare keeps
 * its documented waits: a longer Retry-After waited at the 60 s cap, 1 s without one, 5 tries (docs/compat.md).
 */
function waitMs(headers: Headers | undefined, now: number): number {
  const asked = retryAfterMs(headers?.get('retry-after') ?? undefined, now);
  return Math.min(asked ?? DEFAULT_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS);
}

function cloudflareReason(err: { readonly errors: readonly { code?: number | undefined; message?: string | undefined }[]; readonly message: string }): string {
  const parts = err.errors.map((e) => `${String(e.code ?? '')} ${e.message ?? ''}`.trim());
  return parts.length > 0 ? parts.join('; ') : err.message;
}

function translate(err: unknown, options: SdkApiOptions): unknown {
  if (ExtdnsError.is(err) || err instanceof Cloudflare.APIUserAbortError) return err;
  if (err instanceof Cloudflare.APIConnectionError) {
    const cause: unknown = err.cause;
    if (isTlsFailure(cause) || isTlsFailure((cause as { cause?: unknown } | undefined)?.cause)) {
      options.onTlsFailure?.();
      return new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_TLS, `TLS connection to the Cloudflare API failed: ${describeCause(cause)}; check --tls-ca`, { cause: err });
    }
    return new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_UNREACHABLE, `Cloudflare API unreachable: ${describeCause(cause)}`, { cause: err });
  }
  if (err instanceof Cloudflare.AuthenticationError || err instanceof Cloudflare.PermissionDeniedError) {
    return new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_UNAUTHORIZED, `Cloudflare refused the credentials (${err.status}): ${cloudflareReason(err)}`, { cause: err });
  }
  if (err instanceof Cloudflare.APIError) {
    const status: unknown = err.status;
    const transient = typeof status !== 'number' || status >= 500;
    const errors: readonly { code?: number | undefined; message?: string | undefined }[] = err.errors;
    return new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_API_ERROR, `Cloudflare API error (${String(status)}): ${cloudflareReason({ errors, message: err.message })}`, { cause: err, transient });
  }
  return err;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner: unknown = (cause as { cause?: unknown }).cause;
  return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
}
