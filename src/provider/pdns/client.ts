/**
 * The wire client for the PowerDNS Authoritative HTTP API v1: list zones,
 * read one zone with its RRsets, PATCH RRsets. Transport security comes only
 * from the dispatcher passed in (built by src/tls); without one, undici's
 * default is used (plain http in tests). The API key goes into one header and
 * nowhere else: not into logs, not into error messages.
 */
import { CallCounter, type ProviderStatsSnapshot } from '../stats.ts';
import type { Dispatcher } from 'undici';
import { httpExchange, type HttpAnswer, type HttpOptions } from '../kit/http.ts';
import { redactor } from '../kit/redact.ts';
import { standardThrottle } from '../kit/throttle.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Clock } from '../../util/clock.ts';
import { errorCodeOf, isTlsFailure } from '../../tls/classify.ts';
import { PdnsErrors } from './errors.ts';

export interface PdnsZoneSummary {
  /** The API's zone id (used in URLs), e.g. `example.com.`. */
  id: string;
  /** The zone name with its trailing dot, as PowerDNS returns it. */
  name: string;
  serial: number;
  editedSerial: number;
}

export interface PdnsRecord {
  content: string;
  disabled: boolean;
}

export interface PdnsRrset {
  name: string;
  type: string;
  ttl: number;
  records: PdnsRecord[];
}

export interface PdnsZone extends PdnsZoneSummary {
  rrsets: PdnsRrset[];
}

export type PdnsChangeType = 'REPLACE' | 'DELETE';

/** One element of a PATCH body; DELETE carries neither ttl nor records. */
export interface PdnsRrsetChange {
  name: string;
  type: string;
  changetype: PdnsChangeType;
  ttl?: number;
  records?: PdnsRecord[];
}

/**
 * One PATCH body: the RRset changes and their JSON, `{"rrsets":[...]}`,
 * serialised once: ./apply.ts measures the body by that text, then it is sent
 * as it is.
 */
export interface RrsetPatch {
  readonly rrsets: readonly PdnsRrsetChange[];
  readonly json: string;
}

export function rrsetPatch(rrsets: readonly PdnsRrsetChange[]): RrsetPatch {
  return { rrsets, json: JSON.stringify({ rrsets }) };
}

/** A PATCH PowerDNS refused because of its content (400/422 with PowerDNS's JSON error). */
export interface PatchRejection {
  status: number;
  /** PowerDNS's own `error` text. */
  error: string;
}

export interface PdnsClient {
  listZones(signal: AbortSignal): Promise<PdnsZoneSummary[]>;
  getZone(zoneId: string, signal: AbortSignal): Promise<PdnsZone>;
  /**
   * Applies the RRset changes atomically. Resolves to undefined on success, or to the
   * rejection when PowerDNS refused the content; every other failure throws.
   */
  patchZone(zoneId: string, patch: RrsetPatch, signal: AbortSignal): Promise<PatchRejection | undefined>;
  /** Requests per API operation since start (for metrics). */
  stats(): ProviderStatsSnapshot;
}

export interface PdnsClientOptions {
  /** --pdns-server, e.g. `https://pdns.example.net:8081` (a path prefix is kept). */
  server: string;
  serverId: string;
  apiKey: string;
  /** Per-request limit for headers and for each gap in the body. */
  timeoutMs?: number;
}

export interface PdnsClientDeps {
  logger: Logger;
  dispatcher?: Dispatcher | undefined;
  /**
   * Called when TLS fails: re-reads the trust files at once and says whether they changed. Lets a
   * sync that races a certificate rotation (server re-issued, Secret already updated) retry once
   * with the new trust instead of failing.
   */
  onTlsFailure?: (() => boolean) | undefined;
  /** Waits out a 429 (PowerDNS behind a rate-limiting front) on this clock; answered at once when absent. */
  clock?: Clock | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function createPdnsClient(options: PdnsClientOptions, deps: PdnsClientDeps): PdnsClient {
  const base = apiBase(options);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // deps.logger carries provider=pdns already (src/cli/provider-wiring.ts adds the tag, once).
  const log = deps.logger;
  const zonesPath = `/servers/${encodeURIComponent(options.serverId)}/zones`;
  const counter = new CallCounter(['listZones', 'getZone', 'patchZone']);
  const redact = redactor(options.apiKey);

  const http: HttpOptions = {
    timeoutMs: timeout,
    dispatcher: deps.dispatcher,
    onTlsFailure: deps.onTlsFailure,
    isTlsRefusal: isTlsFrontRefusal,
    counter,
    logger: log,
    // A rate limit is waited out up to 3 times, each wait at most 30 s; longer, and the sync is retried next run.
    throttle: standardThrottle(deps.clock),
    failures: {
      tls: (what, err) => transportError(what, err, redact),
      unreachable: (what, err) => transportError(what, err, redact),
    },
  };

  function call(method: 'GET' | 'PATCH', path: string, body: string | undefined, signal: AbortSignal): Promise<HttpAnswer> {
    log.trace('PowerDNS API request', { method, path });
    return httpExchange({
      method,
      url: `${base.url}${path}`,
      what: `${method} ${base.display}${path}`,
      operation: method === 'PATCH' ? 'patchZone' : path === zonesPath ? 'listZones' : 'getZone',
      headers: { 'X-API-Key': options.apiKey, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body,
      signal,
    }, http);
  }

  async function getJson(path: string, signal: AbortSignal): Promise<unknown> {
    const res = await call('GET', path, undefined, signal);
    if (res.status !== 200) throw statusError(`GET ${base.display}${path}`, res, redact);
    try {
      return JSON.parse(res.text) as unknown;
    } catch (err) {
      throw new ExtdnsError(PdnsErrors.EXTDNS_PDNS_BAD_RESPONSE, `GET ${base.display}${path} answered 200 with a body that is not JSON; is --pdns-server pointing at the PowerDNS API?`, { cause: err });
    }
  }

  const zonePath = (id: string): string => `${zonesPath}/${encodeURIComponent(id)}`;

  return {
    stats: () => counter.snapshot(),
    async listZones(signal) {
      const body = await getJson(zonesPath, signal);
      if (!Array.isArray(body)) throw badShape(`GET ${base.display}${zonesPath}`, 'a list of zones');
      return body.map((z: unknown) => zoneSummary(z, zonesPath));
    },
    async getZone(zoneId, signal) {
      const body = await getJson(zonePath(zoneId), signal);
      const summary = zoneSummary(body, zonePath(zoneId));
      const rrsets = (body as { rrsets?: unknown }).rrsets;
      if (!Array.isArray(rrsets)) throw badShape(`GET ${base.display}${zonePath(zoneId)}`, 'a zone with rrsets');
      return { ...summary, rrsets: rrsets.map(rrsetOf) };
    },
    async patchZone(zoneId, patch, signal) {
      const path = zonePath(zoneId);
      const res = await call('PATCH', path, patch.json, signal);
      if (res.status === 204 || res.status === 200) return undefined;
      const error = powerDnsErrorText(res.text);
      if ((res.status === 422 || res.status === 400) && error !== undefined) return { status: res.status, error: redact(error) };
      throw statusError(`PATCH ${base.display}${path}`, res, redact);
    },
  };
}

interface ApiBase {
  /** Full base URL, `<server>[/prefix]/api/v1`. */
  url: string;
  /** The same, for messages (no credentials, even if someone put them in the URL). */
  display: string;
}

function apiBase(options: PdnsClientOptions): ApiBase {
  let parsed: URL;
  try {
    parsed = new URL(options.server);
  } catch {
    throw new ExtdnsError(PdnsErrors.EXTDNS_PDNS_CONFIG, `--pdns-server "${options.server}" is not a URL; give one like http://pdns.example.net:8081`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ExtdnsError(PdnsErrors.EXTDNS_PDNS_CONFIG, `--pdns-server "${parsed.origin}" must use http or https`);
  }
  const prefix = parsed.pathname.replace(/\/+$/, '');
  const url = `${parsed.origin}${prefix}/api/v1`;
  return { url, display: url };
}

function zoneSummary(value: unknown, where: string): PdnsZoneSummary {
  const z = value as { id?: unknown; name?: unknown; serial?: unknown; edited_serial?: unknown };
  if (typeof z !== 'object' || z === null || typeof z.id !== 'string' || typeof z.name !== 'string') {
    throw badShape(`GET ${where}`, 'zones with an id and a name');
  }
  return {
    id: z.id,
    name: z.name,
    serial: typeof z.serial === 'number' ? z.serial : 0,
    editedSerial: typeof z.edited_serial === 'number' ? z.edited_serial : 0,
  };
}

function rrsetOf(value: unknown): PdnsRrset {
  const r = value as { name?: unknown; type?: unknown; ttl?: unknown; records?: unknown };
  const records = Array.isArray(r.records) ? r.records : [];
  return {
    name: typeof r.name === 'string' ? r.name : '',
    type: typeof r.type === 'string' ? r.type : '',
    ttl: typeof r.ttl === 'number' ? r.ttl : 0,
    records: records.map((x: unknown) => {
      const rec = x as { content?: unknown; disabled?: unknown };
      return { content: typeof rec.content === 'string' ? rec.content : '', disabled: rec.disabled === true };
    }),
  };
}

function badShape(what: string, expected: string): ExtdnsError {
  return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_BAD_RESPONSE, `${what} did not answer with ${expected}; is --pdns-server pointing at the PowerDNS API?`);
}

/** PowerDNS puts its reason in `{"error": "..."}`; a front proxy may answer HTML instead. */
export function powerDnsErrorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** A short reason from any body: PowerDNS's error, an HTML title, or the first line. */
function reasonOf(body: string): string {
  const fromApi = powerDnsErrorText(body);
  if (fromApi !== undefined) return fromApi;
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
  if (title !== undefined) return title.trim();
  const line = body.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** nginx and similar fronts answer a missing or refused client certificate with a 400 page. */
function isTlsFrontRefusal(res: { status: number; text: string }): boolean {
  return res.status === 400 && /SSL certificate/i.test(res.text);
}

function statusError(what: string, res: { status: number; text: string }, redact: (s: string) => string): ExtdnsError {
  const reason = redact(reasonOf(res.text));
  const said = reason === '' ? '' : `: ${reason}`;
  if (res.status >= 500) {
    return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_SERVER_ERROR, `${what} failed with status ${res.status}${said}; will retry next run`);
  }
  if (isTlsFrontRefusal(res)) {
    // nginx and similar fronts answer a missing or refused client certificate with a 400 page.
    const missing = /no required/i.test(reason);
    return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_TLS, `${what} was refused by the TLS front${said}: ${missing ? 'it requires a client certificate; set --tls-client-cert and --tls-client-cert-key' : 'it rejected the client certificate; check that --tls-client-cert was issued by a CA the server trusts and has not expired'}`);
  }
  if (res.status === 401 || res.status === 403) {
    return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_UNAUTHORIZED, `${what} was refused with status ${res.status}${said}; check --pdns-api-key against the server's api-key`);
  }
  if (res.status === 404) {
    return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_REQUEST_REJECTED, `${what} answered 404${said}; check --pdns-server and --pdns-server-id, or the zone was deleted meanwhile`, { transient: true });
  }
  return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_REQUEST_REJECTED, `${what} was rejected with status ${res.status}${said}`, { transient: res.status === 429 || res.status === 408 });
}

function transportError(what: string, err: unknown, redact: (s: string) => string): ExtdnsError {
  const code = errorCodeOf(err);
  const message = redact(err instanceof Error ? err.message : String(err));
  if (isTlsFailure(err)) {
    return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_TLS, `${what} failed: TLS ${code === '' ? 'error' : code}: ${message}. Check --tls-ca (the CA that issued the server's certificate), --tls-client-cert/--tls-client-cert-key and --pdns-skip-tls-verify; \`extdns doctor\` explains the chain`, { cause: err });
  }
  const timedOut = /TIMEOUT/.test(code);
  return new ExtdnsError(PdnsErrors.EXTDNS_PDNS_UNREACHABLE, `${what} failed: ${timedOut ? 'timed out' : 'could not connect'} (${code === '' ? message : `${code}: ${message}`}); will retry next run`, { cause: err });
}
