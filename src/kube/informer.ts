/**
 * A watch cache for one resource type, as client-go's reflector + store:
 * list (from the API server's watch cache, resourceVersion 0 or the last
 * version seen, as client-go does: kube-apiserver then ignores `limit` and
 * sends the whole list in one response, which is read and pruned item by
 * item; paged when the server pages it), then watch from the list's resourceVersion with bookmarks;
 * when the watch ends, watch again from the last version seen; on 410 Gone,
 * list again (a consistent list, resourceVersion "") and report what appeared, changed or vanished meanwhile; on any
 * other failure, retry with exponential backoff and jitter. It never stops on
 * its own: every retry is logged with its reason and lastError() keeps it.
 * `transform` runs on each object before it is stored, so caches keep only
 * the fields their readers need.
 */
import { errorMessage } from '../errors/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Clock, Random } from '../util/clock.ts';
import { KubeApiError } from './api-error.ts';
import type { KubeClient } from './client.ts';
import type { KeepShape } from './kept-text.ts';
import type { ApiObject, ResourceType } from './types.ts';

export interface InformerEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
  /** The stored object this one replaced (MODIFIED) or the last one stored (DELETED). */
  readonly old?: T | undefined;
}

export interface InformerOptions<T> {
  readonly client: KubeClient;
  readonly resource: ResourceType;
  /** Only this namespace (namespaced resources); absent: all namespaces. */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Applied to every object before it is stored (pruning); identity by default. */
  readonly transform?: ((obj: ApiObject) => T) | undefined;
  /** Every field `transform` reads: listed objects are parsed with only these (ListOptions.keep). */
  readonly keep?: KeepShape | undefined;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Items per list page (client-go: 500). */
  readonly pageSize?: number | undefined;
  /** Retry delays: first, and cap (client-go's reflector: 800 ms, 30 s). */
  readonly backoffInitialMs?: number | undefined;
  readonly backoffMaxMs?: number | undefined;
  /**
   * The timeoutSeconds of every watch, in place of client-go's random 5 to 10 minutes. The real server sends its
   * BOOKMARK 2 s before a watch's timeout (and otherwise once a minute): tests set a few seconds to see one.
   */
  readonly watchTimeoutSeconds?: number | undefined;
}

export interface Informer<T> {
  /** Runs until `signal` aborts; the promise resolves then (it never rejects). */
  start(signal: AbortSignal): Promise<void>;
  /** True once the first list has been stored. */
  hasSynced(): boolean;
  /** Resolves at the first sync; rejects when `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void>;
  /** Stored objects, only those of `namespace` when given. */
  list(namespace?: string): T[];
  get(namespace: string | undefined, name: string): T | undefined;
  /** Called after the store changed; returns an unsubscribe function. */
  onChange(handler: (event: InformerEvent<T>) => void): () => void;
  /** The last failure of a list or watch, cleared by the next successful list or watch event. */
  lastError(): Error | undefined;
  /** The resourceVersion the cache is at ("" before the first list). */
  resourceVersion(): string;
}

export function createInformer<T = ApiObject>(options: InformerOptions<T>): Informer<T> {
  return new WatchCache<T>(options);
}

const keyOf = (o: ApiObject): { ns: string; name: string } => ({ ns: o.metadata.namespace ?? '', name: o.metadata.name });

/** The metadata.resourceVersion a stored (transformed) object still carries, if any. */
function storedVersion(stored: unknown): string | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const meta = (stored as { metadata?: unknown }).metadata;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const rv = (meta as { resourceVersion?: unknown }).resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}

/** One listed object, already transformed. */
interface Listed<T> {
  readonly ns: string;
  readonly name: string;
  readonly version: string;
  readonly stored: T;
}

/** Every object of one list, transformed, and the list's resourceVersion. */
interface ListResult<T> {
  entries: Listed<T>[];
  resourceVersion: string;
}

class WatchCache<T> implements Informer<T> {
  readonly #o: InformerOptions<T>;
  readonly #log: Logger;
  readonly #transform: (obj: ApiObject) => T;
  /** namespace → name → object. */
  #items = new Map<string, Map<string, T>>();
  /**
   * Versions of stored objects whose stored form does not carry it (a transform may drop metadata); an object that
   * keeps its own metadata.resourceVersion (every pruned one) has no entry: 30k keys and entries saved.
   */
  #versions = new Map<string, string>();
  readonly #handlers = new Set<(e: InformerEvent<T>) => void>();
  readonly #syncWaiters = new Set<() => void>();
  #synced = false;
  #rv = '';
  #error: Error | undefined;
  #failures = 0;
  #running: Promise<void> | undefined;
  /** The server-side timeout of the current watch, in seconds. */
  #watchTimeout = 0;

  constructor(options: InformerOptions<T>) {
    this.#o = options;
    this.#transform = options.transform ?? ((o) => o as T);
    const r = options.resource;
    this.#log = options.logger.child({ resource: r.group === '' ? r.resource : `${r.resource}.${r.group}` });
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  resourceVersion(): string {
    return this.#rv;
  }

  lastError(): Error | undefined {
    return this.#error;
  }

  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason as Error);
        return;
      }
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.#syncWaiters.delete(done);
        reject(signal?.reason as Error);
      };
      this.#syncWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.#items.get(namespace)?.values() ?? [])];
    return [...this.#items.values()].flatMap((m) => [...m.values()]);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#items.get(namespace ?? '')?.get(name);
  }

  onChange(handler: (event: InformerEvent<T>) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  start(signal: AbortSignal): Promise<void> {
    // Idempotent: a second start() shares the running loop.
    this.#running ??= this.#run(signal);
    return this.#running;
  }

  async #run(signal: AbortSignal): Promise<void> {
    let needList = true;
    // As client-go's reflector: lists are served from the API server's watch cache (resourceVersion 0, or not older
    // than what this cache has seen) and come in few requests; after a 410 the next list is a consistent one.
    let listFrom: 'cache' | 'consistent' = 'cache';
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#relist(signal, listFrom);
          needList = false;
          listFrom = 'cache';
        }
        const started = this.#o.clock.now();
        const received = await this.#watchOnce(signal);
        if (signal.aborted) break;
        // As client-go: a watch that ends at once without delivering anything counts as a failure (backoff).
        const lasted = this.#o.clock.now() - started;
        this.#failures = received || lasted >= 1000 ? 0 : this.#failures + 1;
        if (this.#failures === 0 && lasted >= this.#watchTimeout * 1000) {
          this.#log.debug('The watch reached its timeout; watching again', { resourceVersion: this.#rv });
          continue;
        }
        await this.#pause('the watch stream ended early', signal);
      } catch (err) {
        if (signal.aborted) break;
        if (KubeApiError.isKube(err) && err.status === 410) {
          this.#log.warn('The watch cache is too far behind (410 Gone); listing again', { resourceVersion: this.#rv, reason: err.message });
          needList = true;
          listFrom = 'consistent';
          continue;
        }
        this.#error = err instanceof Error ? err : new Error(String(err));
        this.#failures++;
        await this.#pause(errorMessage(err), signal, KubeApiError.isKube(err) ? err.retryAfterMs : undefined);
      }
    }
  }

  /** Waits the backoff for the current failure count (none after a healthy watch), logging the reconnect. */
  async #pause(reason: string, signal: AbortSignal, retryAfterMs = 0): Promise<void> {
    const delay = this.#failures === 0 ? 0 : Math.max(retryAfterMs, this.#backoff(this.#failures));
    this.#log.warn('Reconnecting to the Kubernetes API', { reason, resourceVersion: this.#rv, retryInMs: delay, synced: this.#synced });
    if (delay === 0) return;
    try {
      await this.#o.clock.sleep(delay, signal);
    } catch {
      // aborted: the loop ends
    }
  }

  #backoff(failures: number): number {
    const initial = this.#o.backoffInitialMs ?? 800;
    const max = this.#o.backoffMaxMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.min(failures - 1, 30));
    return Math.round(Math.min(max, base * (1 + this.#o.random.next())));
  }

  #query(): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
    const o = this.#o;
    return {
      ...(o.resource.namespaced && o.namespace !== undefined && o.namespace !== '' ? { namespace: o.namespace } : {}),
      ...(o.labelSelector === undefined || o.labelSelector === '' ? {} : { labelSelector: o.labelSelector }),
      ...(o.fieldSelector === undefined || o.fieldSelector === '' ? {} : { fieldSelector: o.fieldSelector }),
    };
  }

  /** Lists every page, replaces the store, and reports the differences. */
  async #relist(signal: AbortSignal, from: 'cache' | 'consistent'): Promise<void> {
    const resourceVersion = from === 'consistent' ? '' : this.#rv === '' ? '0' : this.#rv;
    const listed = await this.#listAll(resourceVersion, signal);
    const next = new Map<string, Map<string, T>>();
    const versions = new Map<string, string>();
    const events: InformerEvent<T>[] = [];
    for (const { ns, name, version, stored } of listed.entries) {
      const id = `${ns}/${name}`;
      const old = this.#items.get(ns)?.get(name);
      let bucket = next.get(ns);
      if (bucket === undefined) next.set(ns, (bucket = new Map<string, T>()));
      bucket.set(name, stored);
      if (storedVersion(stored) !== version) versions.set(id, version);
      if (old === undefined) events.push({ type: 'ADDED', object: stored });
      else if (this.#versionOf(id, old) !== version) events.push({ type: 'MODIFIED', object: stored, old });
    }
    for (const [ns, bucket] of this.#items) {
      for (const [name, old] of bucket) if (next.get(ns)?.has(name) !== true) events.push({ type: 'DELETED', object: old, old });
    }
    this.#items = next;
    this.#versions = versions;
    this.#rv = listed.resourceVersion;
    this.#error = undefined;
    this.#failures = 0;
    this.#log.debug('Listed', { count: listed.entries.length, resourceVersion: listed.resourceVersion });
    this.#markSynced();
    for (const e of events) this.#emit(e);
  }

  /**
   * Every page of the list, each object transformed (pruned) as it is read
   * from the response (KubeClient.listEach): neither a whole page nor its
   * objects before pruning are ever held, so the first list of 10,000 Pods
   * costs little more than the cache itself.
   */
  async #listAll(resourceVersion: string, signal: AbortSignal): Promise<ListResult<T>> {
    // As client-go's reflector: a list at a given version goes without `limit`, else the API server reads it from
    // etcd (an exact-version list); at "0" the watch cache ignores `limit` anyway; a consistent list ("") is paged.
    const limit = resourceVersion === '' || resourceVersion === '0' ? this.#o.pageSize ?? 500 : undefined;
    const entries: Listed<T>[] = [];
    const keep = (obj: ApiObject): void => {
      const stored = this.#safeTransform(obj);
      if (stored !== undefined) entries.push({ ...keyOf(obj), version: obj.metadata.resourceVersion ?? '', stored });
    };
    let cont: string | undefined;
    let rv = '';
    do {
      try {
        // The first page says where to read from; a continue token carries that itself (the API refuses both).
        const from = cont === undefined ? (resourceVersion === '' ? {} : { resourceVersion }) : { continue: cont };
        const page = await this.#o.client.listEach(this.#o.resource, { ...this.#query(), limit, ...from, keep: this.#o.keep }, keep, signal);
        rv = page.resourceVersion;
        cont = page.continue;
      } catch (err) {
        // An expired continue token: start over in one unpaged list, as client-go does.
        if (!(cont !== undefined && KubeApiError.isKube(err) && err.status === 410)) throw err;
        entries.length = 0;
        const whole = await this.#o.client.listEach(this.#o.resource, { ...this.#query(), keep: this.#o.keep }, keep, signal);
        return { entries, resourceVersion: whole.resourceVersion };
      }
    } while (cont !== undefined);
    return { entries, resourceVersion: rv };
  }

  #markSynced(): void {
    if (this.#synced) return;
    this.#synced = true;
    for (const w of this.#syncWaiters) w();
    this.#syncWaiters.clear();
  }

  /**
   * One watch stream; returns whether it delivered anything (events or bookmarks).
   * A watchdog ends a stream that outlives its server-side timeout by a minute:
   * a network partition can swallow the server's end of the stream.
   */
  async #watchOnce(signal: AbortSignal): Promise<boolean> {
    // client-go asks the server to end each watch after 5 to 10 minutes, spreading reconnects.
    const timeoutSeconds = this.#o.watchTimeoutSeconds ?? Math.floor(300 * (1 + this.#o.random.next()));
    this.#watchTimeout = timeoutSeconds;
    const stop = new AbortController();
    const watchdog = new AbortController();
    this.#o.clock.sleep((timeoutSeconds + 60) * 1000, watchdog.signal).then(() => { stop.abort(new Error('watch outlived its timeout')); }, () => undefined);
    let received = false;
    try {
      const stream = this.#o.client.watch(this.#o.resource,
        { ...this.#query(), resourceVersion: this.#rv, allowWatchBookmarks: true, timeoutSeconds }, AbortSignal.any([signal, stop.signal]));
      for await (const e of stream) {
        received = true;
        this.#error = undefined;
        this.#failures = 0;
        if (e.type === 'BOOKMARK') {
          if (e.resourceVersion !== '') this.#rv = e.resourceVersion;
          continue;
        }
        this.#apply(e.type, e.object);
      }
    } catch (err) {
      if (!stop.signal.aborted || signal.aborted) throw err;
      this.#log.warn('A watch outlived its timeout with no end from the server; watching again', { timeoutSeconds });
    } finally {
      watchdog.abort();
    }
    return received;
  }

  /** Runs the transform; an object it cannot handle is logged and left out, never stopping the cache. */
  #safeTransform(obj: ApiObject): T | undefined {
    try {
      return this.#transform(obj);
    } catch (err) {
      this.#log.warn('Skipping an object the cache cannot store', { object: `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, error: errorMessage(err) });
      return undefined;
    }
  }

  #apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: ApiObject): void {
    const { ns, name } = keyOf(obj);
    const id = `${ns}/${name}`;
    const old = this.#items.get(ns)?.get(name);
    if (obj.metadata.resourceVersion !== undefined) this.#rv = obj.metadata.resourceVersion;
    if (type === 'DELETED') {
      this.#items.get(ns)?.delete(name);
      if (this.#items.get(ns)?.size === 0) this.#items.delete(ns);
      this.#versions.delete(id);
      if (old !== undefined) this.#emit({ type, object: old, old });
      return;
    }
    const stored = this.#safeTransform(obj);
    if (stored === undefined) return;
    let bucket = this.#items.get(ns);
    if (bucket === undefined) this.#items.set(ns, (bucket = new Map<string, T>()));
    bucket.set(name, stored);
    const version = obj.metadata.resourceVersion ?? '';
    if (storedVersion(stored) === version) this.#versions.delete(id);
    else this.#versions.set(id, version);
    this.#emit({ type: old === undefined ? 'ADDED' : 'MODIFIED', object: stored, old });
  }

  /** The resourceVersion of a stored object: its own, or the one kept apart for it. */
  #versionOf(id: string, stored: T): string | undefined {
    return this.#versions.get(id) ?? storedVersion(stored);
  }

  #emit(e: InformerEvent<T>): void {
    for (const h of this.#handlers) {
      try {
        h(e);
      } catch (err) {
        this.#log.error('A watch cache change handler failed', { error: errorMessage(err) });
      }
    }
  }
}
