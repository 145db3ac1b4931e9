/**
 * One watch cache per (resource, namespace, label selector), shared by every
 * source that asks for it: the service and pod sources both read Nodes, but
 * only one Node watch runs. Caches created after start() start at once.
 */
import type { Logger } from '../log/logger.ts';
import type { Clock, Random } from '../util/clock.ts';
import type { KubeClient } from './client.ts';
import type { KeepShape } from './kept-text.ts';
import { createInformer, type Informer } from './informer.ts';
import type { ApiObject, ResourceType } from './types.ts';

export interface InformerScope {
  /** Only this namespace; absent or "": all. */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
}

export interface InformerHub {
  /**
   * The shared cache for this resource and scope; `transform`, and `keep` (every field it reads: lists are parsed
   * with only these), are taken from the first caller.
   */
  informer<T>(resource: ResourceType, scope: InformerScope, transform: (obj: ApiObject) => T, keep?: KeepShape): Informer<T>;
  /** Starts every cache, now and as they are created, until `signal` aborts. */
  start(signal: AbortSignal): void;
  /** Every cache has stored its first list. */
  synced(): boolean;
  /** `resource` names of the caches not synced yet, with their last error. */
  notSynced(): string[];
  /** Resolves when every cache has synced, or after `maxWaitMs` on the clock, whichever is first; rejects when `signal` aborts. */
  waitForSync(signal: AbortSignal, maxWaitMs: number): Promise<void>;
}

export interface InformerHubDeps {
  readonly client: KubeClient;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

export function createInformerHub(deps: InformerHubDeps): InformerHub {
  const caches = new Map<string, { name: string; informer: Informer<unknown> }>();
  let running: AbortSignal | undefined;
  const launch = (informer: Informer<unknown>, signal: AbortSignal): void => {
    // start() never rejects: it retries with backoff until the signal aborts.
    void informer.start(signal);
  };
  return {
    informer<T>(resource: ResourceType, scope: InformerScope, transform: (obj: ApiObject) => T, keep?: KeepShape): Informer<T> {
      const namespace = scope.namespace === '' ? undefined : scope.namespace;
      const key = [resource.group, resource.version, resource.resource, namespace ?? '*', scope.labelSelector ?? ''].join('|');
      const found = caches.get(key);
      if (found !== undefined) return found.informer as Informer<T>;
      const informer = createInformer<T>({
        client: deps.client, resource, namespace: resource.namespaced ? namespace : undefined,
        labelSelector: scope.labelSelector === '' ? undefined : scope.labelSelector,
        transform, keep, clock: deps.clock, random: deps.random, logger: deps.logger,
      });
      const name = resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
      caches.set(key, { name, informer: informer });
      if (running !== undefined) launch(informer, running);
      return informer;
    },
    start(signal) {
      running = signal;
      for (const { informer } of caches.values()) launch(informer, signal);
    },
    async waitForSync(signal, maxWaitMs) {
      const stop = new AbortController();
      const onAbort = (): void => { stop.abort(signal.reason); };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.race([
          Promise.all([...caches.values()].map((c) => c.informer.waitForSync(stop.signal))),
          deps.clock.sleep(maxWaitMs, stop.signal),
        ]);
      } catch {
        // aborted: checked below
      } finally {
        signal.removeEventListener('abort', onAbort);
        stop.abort();
      }
      signal.throwIfAborted();
    },
    synced: () => [...caches.values()].every((c) => c.informer.hasSynced()),
    notSynced: () => [...caches.values()].filter((c) => !c.informer.hasSynced()).map((c) => {
      const error = c.informer.lastError();
      return error === undefined ? c.name : `${c.name} (${error.message})`;
    }),
  };
}
