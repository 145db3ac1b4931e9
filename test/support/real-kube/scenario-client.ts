/**
 * The KubeClient the scenario runs read through (api.test.ts), around the one
 * holding the deployed ServiceAccount's token:
 * - it remembers every request the API server refused with 403, so a test
 *   fails when the deployed RBAC is short of what a source reads (a refused
 *   list or watch is retried by the informer, so it would otherwise show only
 *   as a slow sync);
 * - it hides the objects the cluster keeps for itself (`hidden`: the
 *   `kubernetes` Service the API server recreates every 10 s, the Service of
 *   extdns's own deployment) from lists and watches, because a scenario
 *   describes a cluster that holds only its own objects;
 * - its lists are consistent ones: the informers' first list asks for
 *   resourceVersion 0 (as client-go's), which the API server answers from its
 *   watch cache, and that may lag the writes a scenario made a moment before
 *   by a few milliseconds; a running extdns gets them with the next watch
 *   events, but a scenario compares what the caches hold at their first sync.
 * Sources only list, watch and get.
 */
import { KubeApiError } from '../../../src/kube/api-error.ts';
import type { KubeClient } from '../../../src/kube/client.ts';
import type { ApiObject, ListOptions, ObjectList, ResourceType, WatchEvent, WatchOptions } from '../../../src/kube/types.ts';
import { ForwardingClient } from './forwarding-client.ts';

export interface RecordingClient {
  readonly client: KubeClient;
  /** "verb group/resource: message" of every 403 so far. */
  readonly forbidden: string[];
}

/** namespace/name of the Services a real cluster with extdns deployed holds before any scenario. */
export const CLUSTER_OWN_SERVICES = new Set(['default/kubernetes', 'extdns/extdns']);

function isClusterOwn(type: ResourceType, o: ApiObject): boolean {
  return type.group === '' && type.resource === 'services' && CLUSTER_OWN_SERVICES.has(`${o.metadata.namespace ?? ''}/${o.metadata.name}`);
}

/** A list at resourceVersion 0 made a consistent one (see above). */
const consistentOf = (options: ListOptions): ListOptions => (options.resourceVersion === '0' ? { ...options, resourceVersion: undefined } : options);

/** 403s of lists, watches and gets noted, the cluster's own Services left out; every other answer as `inner` gave it. */
class ScenarioClient extends ForwardingClient {
  readonly forbidden: string[] = [];

  override async list<T extends ApiObject>(type: ResourceType, options: ListOptions, signal?: AbortSignal): Promise<ObjectList<T>> {
    const list = await this.#noted('list', type, this.inner.list<T>(type, consistentOf(options), signal));
    return { ...list, items: list.items.filter((o) => !isClusterOwn(type, o)) };
  }

  override listEach<T extends ApiObject>(type: ResourceType, options: ListOptions, each: (item: T) => void, signal?: AbortSignal): Promise<ObjectList<T>> {
    return this.#noted('list', type, this.inner.listEach<T>(type, consistentOf(options), (o) => { if (!isClusterOwn(type, o)) each(o); }, signal));
  }

  override async *watch<T extends ApiObject>(type: ResourceType, options: WatchOptions, signal?: AbortSignal): AsyncIterable<WatchEvent<T>> {
    try {
      for await (const event of this.inner.watch<T>(type, options, signal)) {
        if (event.type === 'BOOKMARK' || !isClusterOwn(type, event.object)) yield event;
      }
    } catch (err) {
      this.#note('watch', type, err);
      throw err;
    }
  }

  override get<T extends ApiObject>(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.#noted('get', type, this.inner.get<T>(type, namespace, name, signal));
  }

  async #noted<R>(verb: string, type: ResourceType, call: Promise<R>): Promise<R> {
    try {
      return await call;
    } catch (err) {
      this.#note(verb, type, err);
      throw err;
    }
  }

  #note(verb: string, type: ResourceType, err: unknown): void {
    if (err instanceof KubeApiError && err.status === 403) this.forbidden.push(`${verb} ${type.group}/${type.resource}: ${err.message}`);
  }
}

export function scenarioClient(inner: KubeClient): RecordingClient {
  const client = new ScenarioClient(inner);
  return { client, forbidden: client.forbidden };
}
