/**
 * The Kubernetes API client: JSON over HTTPS through src/tls/kube.ts, one
 * token-bucket limiter for every request (--kube-api-qps / --kube-api-burst),
 * a time limit per request (--kube-api-request-timeout; never on watches),
 * credentials asked for on every request (rotating tokens, exec plugins), and
 * coded errors (api-error.ts). A 401 makes the credentials refresh and the
 * request go once more.
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { createKubeDispatcher } from '../tls/kube.ts';
import { request } from '../tls/undici-core.ts';
import type { ProxyConfig } from '../tls/proxy.ts';
import type { Clock } from '../util/clock.ts';
import { connectionError, errorFromResponse, errorFromWatchStatus, KubeApiError, type RequestContext } from './api-error.ts';
import type { Credential } from './credentials.ts';
import { KubeErrors } from './errors.ts';
import { utf8Lines } from './lines.ts';
import type { KeepShape } from './kept-text.ts';
import { ListBodyParser } from './list-stream.ts';
import type { KubeConnection } from './kubeconfig.ts';
import { tokenBucket, type RateLimiter } from './rate-limit.ts';
import {
  groupVersion, type ApiObject, type ListOptions, type ObjectList, type ResourceType, type WatchEvent, type WatchOptions,
} from './types.ts';

export interface KubeClientOptions {
  readonly connection: KubeConnection;
  readonly clock: Clock;
  /** --kube-api-qps, --kube-api-burst */
  readonly qps: number;
  readonly burst: number;
  /** --kube-api-request-timeout in ms; 0: none. */
  readonly requestTimeoutMs: number;
  readonly userAgent?: string;
  /** The cluster's proxy-url, else the environment's proxies (client-go); none when absent. */
  readonly proxy?: ProxyConfig | undefined;
}

export interface KubeClient {
  readonly server: string;
  /** Namespace of the kubeconfig context or the service account. */
  readonly defaultNamespace: string;
  list<T extends ApiObject = ApiObject>(type: ResourceType, options: ListOptions, signal?: AbortSignal): Promise<ObjectList<T>>;
  /**
   * One list request, each item handed to `each` as it is read from the response (list-stream.ts): the
   * page is never held whole. Items come with only the fields `options.keep` names, when given (the rest is
   * checked as JSON and skipped, never parsed); else without metadata.managedFields (about half of a Pod's
   * JSON, read by nothing extdns does), cut before they are parsed. Resolves with the list's resourceVersion and continue
   * token (no items).
   */
  listEach<T extends ApiObject = ApiObject>(type: ResourceType, options: ListOptions, each: (item: T) => void, signal?: AbortSignal): Promise<ObjectList<T>>;
  /** Streams events until the server ends the watch or `signal` aborts; an ERROR event (e.g. 410) is thrown. */
  watch<T extends ApiObject = ApiObject>(type: ResourceType, options: WatchOptions, signal?: AbortSignal): AsyncIterable<WatchEvent<T>>;
  get<T extends ApiObject = ApiObject>(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T>;
  create<T extends ApiObject = ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T>;
  /** PUT; carries metadata.resourceVersion, so a stale object fails with EXTDNS_KUBE_CONFLICT. */
  update<T extends ApiObject = ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T>;
  /** PUT to /status. */
  updateStatus<T extends ApiObject = ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T>;
  /** JSON merge patch (application/merge-patch+json); `subresource: 'status'` patches the status. */
  patch<T extends ApiObject = ApiObject>(type: ResourceType, target: PatchTarget, patch: unknown, signal?: AbortSignal): Promise<T>;
  delete(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface PatchTarget {
  readonly namespace?: string | undefined;
  readonly name: string;
  readonly subresource?: 'status' | undefined;
}

type Response = Dispatcher.ResponseData & { release(): void };

/** As client-go: a 429 or 5xx that carries Retry-After was not processed; wait as told and send again, a few times. */
export const MAX_RETRY_AFTER = 3;
const MAX_RETRY_AFTER_MS = 10_000;

function retryAfterMs(res: Dispatcher.ResponseData): number | undefined {
  if (res.statusCode !== 429 && (res.statusCode < 500 || res.statusCode > 504)) return undefined;
  const header = res.headers['retry-after'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (header === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
}

interface Call {
  readonly ctx: RequestContext;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: URLSearchParams | undefined;
  readonly body?: unknown;
  readonly contentType?: string | undefined;
  readonly watch?: boolean | undefined;
}

export function resourcePath(type: ResourceType, namespace?: string, name?: string, subresource?: string): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const ns = type.namespaced && namespace !== undefined && namespace !== '' ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const rest = [name, subresource].filter((x): x is string => x !== undefined).map(encodeURIComponent).join('/');
  return `${base}${ns}/${type.resource}${rest === '' ? '' : `/${rest}`}`;
}

function query(entries: Record<string, string | number | boolean | undefined>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q;
}

function nsOf(type: ResourceType, obj: ApiObject): string | undefined {
  return type.namespaced ? obj.metadata.namespace : undefined;
}

export function createKubeClient(options: KubeClientOptions): KubeClient {
  return new HttpKubeClient(options);
}

class HttpKubeClient implements KubeClient {
  readonly #o: KubeClientOptions;
  readonly #limiter: RateLimiter;
  readonly #dispatchers = new Map<string, Dispatcher>();

  constructor(options: KubeClientOptions) {
    this.#o = options;
    this.#limiter = tokenBucket({ qps: options.qps, burst: options.burst, clock: options.clock });
  }

  get server(): string {
    return this.#o.connection.server;
  }

  get defaultNamespace(): string {
    return this.#o.connection.namespace;
  }

  async list<T extends ApiObject>(type: ResourceType, o: ListOptions, signal?: AbortSignal): Promise<ObjectList<T>> {
    const items: T[] = [];
    const meta = await this.listEach<T>(type, o, (item) => { items.push(item); }, signal);
    return { ...meta, items };
  }

  async listEach<T extends ApiObject>(type: ResourceType, o: ListOptions, each: (item: T) => void, signal?: AbortSignal): Promise<ObjectList<T>> {
    const call: Call = {
      ctx: ctxOf(type, 'list', o.namespace), method: 'GET', path: resourcePath(type, o.namespace),
      query: query({ labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit: o.limit, continue: o.continue, resourceVersion: o.resourceVersion }),
    };
    const apiVersion = groupVersion(type);
    const fields = await this.#stream(call, o.keep, (raw) => {
      const item = raw as T;
      each(item.kind === undefined && type.kind !== undefined ? { apiVersion, kind: type.kind, ...item } : item);
    }, signal) as { metadata?: { resourceVersion?: string; continue?: string } };
    const cont = fields.metadata?.continue;
    return { items: [], resourceVersion: fields.metadata?.resourceVersion ?? '', ...(cont === undefined || cont === '' ? {} : { continue: cont }) };
  }

  async *watch<T extends ApiObject>(type: ResourceType, o: WatchOptions, signal?: AbortSignal): AsyncIterable<WatchEvent<T>> {
    const ctx = ctxOf(type, 'watch', o.namespace);
    const res = await this.#send({
      ctx, method: 'GET', path: resourcePath(type, o.namespace), watch: true,
      query: query({
        watch: 1, resourceVersion: o.resourceVersion, allowWatchBookmarks: o.allowWatchBookmarks === true ? 'true' : undefined,
        timeoutSeconds: o.timeoutSeconds, labelSelector: o.labelSelector, fieldSelector: o.fieldSelector,
      }),
    }, signal);
    try {
      for await (const raw of utf8Lines(res.body)) {
        const line = raw.trim();
        if (line !== '') yield parseWatchLine<T>(line, ctx);
      }
    } catch (err) {
      if (signal?.aborted === true || KubeApiError.isKube(err)) throw err;
      throw connectionError(err, this.server, ctx);
    } finally {
      res.body.destroy();
    }
  }

  get<T extends ApiObject>(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.#json<T>({ ctx: ctxOf(type, 'get', namespace, name), method: 'GET', path: resourcePath(type, namespace, name) }, signal);
  }

  create<T extends ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T> {
    const ns = nsOf(type, object);
    return this.#json<T>({ ctx: ctxOf(type, 'create', ns), method: 'POST', path: resourcePath(type, ns), body: withType(type, object) }, signal);
  }

  update<T extends ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T> {
    const ns = nsOf(type, object);
    const name = object.metadata.name;
    return this.#json<T>({ ctx: ctxOf(type, 'update', ns, name), method: 'PUT', path: resourcePath(type, ns, name), body: withType(type, object) }, signal);
  }

  updateStatus<T extends ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T> {
    const ns = nsOf(type, object);
    const name = object.metadata.name;
    return this.#json<T>({
      ctx: { ...ctxOf(type, 'update', ns, name), subresource: 'status' }, method: 'PUT',
      path: resourcePath(type, ns, name, 'status'), body: withType(type, object),
    }, signal);
  }

  patch<T extends ApiObject>(type: ResourceType, t: PatchTarget, patch: unknown, signal?: AbortSignal): Promise<T> {
    return this.#json<T>({
      ctx: { ...ctxOf(type, 'patch', t.namespace, t.name), subresource: t.subresource }, method: 'PATCH',
      path: resourcePath(type, t.namespace, t.name, t.subresource), body: patch, contentType: 'application/merge-patch+json',
    }, signal);
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<void> {
    await this.#json({ ctx: ctxOf(type, 'delete', namespace, name), method: 'DELETE', path: resourcePath(type, namespace, name) }, signal);
  }

  async close(): Promise<void> {
    const all = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    await Promise.all(all.map((d) => d.close()));
  }

  /**
   * Sends a list `call` and parses the response body as it arrives, each item (only the fields `keep` names,
   * when given) to `each`; returns the body's other top-level fields. What `each` throws is thrown as it is.
   */
  async #stream(call: Call, keep: KeepShape | undefined, each: (item: unknown) => void, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const res = await this.#send(call, signal);
    let failed: { error: unknown } | undefined;
    const parser = new ListBodyParser((item) => {
      try {
        each(item);
      } catch (error) {
        failed = { error };
        throw error;
      }
    }, keep === undefined ? { dropManagedFields: true } : { keep });
    try {
      await eachChunk(res.body, (chunk) => { parser.push(chunk); });
      return parser.end();
    } catch (err) {
      if (failed !== undefined) throw failed.error;
      if (signal?.aborted === true) throw signal.reason as Error;
      if (err instanceof SyntaxError) {
        throw new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAVAILABLE, `the Kubernetes API answered ${call.ctx.verb} with a body that is not JSON`, { status: res.statusCode, cause: err });
      }
      if (KubeApiError.isKube(err)) throw err;
      throw connectionError(err, this.server, call.ctx);
    } finally {
      res.body.destroy();
      res.release();
    }
  }

  async #json<T>(call: Call, signal?: AbortSignal): Promise<T> {
    const res = await this.#send(call, signal);
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      if (signal?.aborted === true) throw signal.reason as Error;
      throw connectionError(err, this.server, call.ctx);
    } finally {
      res.release();
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAVAILABLE, `the Kubernetes API answered ${call.ctx.verb} with a body that is not JSON`, { status: res.statusCode, cause: err });
    }
  }

  /** Sends once, and once more after a 401 with fresh credentials. Resolves only for 2xx. */
  async #send(call: Call, signal?: AbortSignal): Promise<Response> {
    let refreshed = false;
    for (let retries = 0; ; retries++) {
      const res = await this.#attempt(call, signal);
      const wait = retryAfterMs(res);
      if (res.statusCode === 401 && !refreshed) {
        refreshed = true;
      } else if (wait === undefined || retries >= MAX_RETRY_AFTER) {
        return this.#check(res, call);
      }
      await res.body.dump();
      res.release();
      if (res.statusCode === 401) this.#o.connection.credentials.refused();
      else await this.#o.clock.sleep(wait ?? 0, signal);
    }
  }

  async #check(res: Response, call: Call): Promise<Response> {
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    const text = await res.body.text().catch(() => '');
    res.release();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    const retry = res.headers['retry-after'];
    throw errorFromResponse(res.statusCode, body, call.ctx, Array.isArray(retry) ? retry[0] : retry);
  }

  /** One request. The time limit (not on watches) covers the body too: `release()` ends it once the body is read. */
  async #attempt(call: Call, signal?: AbortSignal): Promise<Response> {
    await this.#limiter.acquire(signal);
    const cred = await this.#o.connection.credentials.current(signal);
    const timeoutMs = call.watch === true ? 0 : this.#o.requestTimeoutMs;
    const timeout = new AbortController();
    const sleeping = new AbortController();
    if (timeoutMs > 0) {
      this.#o.clock.sleep(timeoutMs, sleeping.signal).then(() => { timeout.abort(new Error('timeout')); }, () => undefined);
    }
    const release = (): void => { sleeping.abort(); };
    const url = `${this.server}${call.path}${call.query === undefined || call.query.size === 0 ? '' : `?${call.query.toString()}`}`;
    try {
      const res = await request(url, {
        method: call.method,
        headers: headersOf(call, cred, this.#o.userAgent),
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        dispatcher: this.#dispatcher(cred),
        signal: signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, signal]),
        ...(call.watch === true ? { bodyTimeout: 0 } : {}),
      });
      return Object.assign(res, { release });
    } catch (err) {
      release();
      if (signal?.aborted === true) throw signal.reason as Error;
      if (timeout.signal.aborted) throw this.#timeoutError(call, timeoutMs, err);
      throw connectionError(err, this.server, call.ctx);
    }
  }

  #timeoutError(call: Call, timeoutMs: number, cause: unknown): KubeApiError {
    return new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAVAILABLE,
      `the Kubernetes API at ${this.server} did not answer ${call.ctx.verb} ${call.ctx.resource} within ${timeoutMs} ms (--kube-api-request-timeout)`,
      { status: 0, cause });
  }

  #dispatcher(cred: Credential): Dispatcher {
    const key = cred.cert === undefined ? '' : `${cred.cert}\0${cred.key ?? ''}`;
    let d = this.#dispatchers.get(key);
    if (d === undefined) {
      const tls = this.#o.connection.tls;
      d = createKubeDispatcher(cred.cert === undefined ? tls : { ...tls, cert: cred.cert, key: cred.key }, this.#o.proxy);
      this.#dispatchers.set(key, d);
    }
    return d;
  }
}

/**
 * Hands each chunk of `body` to `each` as it arrives; resolves at its end, rejects with what `each` throws
 * (the body is then destroyed) or with the body's error. Unlike `for await`, chunks that arrive while one is
 * being read are not first copied together into one.
 */
function eachChunk(body: Readable, each: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      try {
        each(chunk);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        body.destroy();
      }
    });
    body.once('end', resolve);
    body.once('error', reject);
    // A body destroyed without an error never ends: refused here (after 'end' this changes nothing).
    body.once('close', () => { reject(new Error('the response body closed before its end')); });
  });
}

function headersOf(call: Call, cred: Credential, userAgent = 'extdns'): Record<string, string> {
  return {
    accept: 'application/json',
    'user-agent': userAgent,
    ...(cred.authorization === undefined ? {} : { authorization: cred.authorization }),
    ...(call.body === undefined ? {} : { 'content-type': call.contentType ?? 'application/json' }),
  };
}

function ctxOf(type: ResourceType, verb: string, namespace?: string, name?: string): RequestContext {
  return {
    verb, group: type.group, version: type.version, resource: type.resource,
    ...(type.namespaced && namespace !== undefined && namespace !== '' ? { namespace } : {}),
    ...(name === undefined ? {} : { name }),
  };
}

function withType<T extends ApiObject>(type: ResourceType, obj: T): T {
  return { ...obj, apiVersion: obj.apiVersion ?? groupVersion(type), ...(obj.kind === undefined && type.kind !== undefined ? { kind: type.kind } : {}) };
}

function parseWatchLine<T extends ApiObject>(line: string, ctx: RequestContext): WatchEvent<T> {
  let e: { type?: unknown; object?: unknown };
  try {
    e = JSON.parse(line) as { type?: unknown; object?: unknown };
  } catch (err) {
    throw new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAVAILABLE, `a watch of ${ctx.resource} sent a line that is not JSON`, { status: 0, cause: err });
  }
  if (e.type === 'ERROR') throw errorFromWatchStatus(e.object, ctx);
  if (e.type === 'BOOKMARK') {
    const rv = (e.object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
    return { type: 'BOOKMARK', resourceVersion: typeof rv === 'string' ? rv : '' };
  }
  if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') return { type: e.type, object: e.object as T };
  throw new KubeApiError(KubeErrors.EXTDNS_KUBE_UNAVAILABLE, `a watch of ${ctx.resource} sent an event of unknown type ${JSON.stringify(e.type)}`, { status: 0 });
}
