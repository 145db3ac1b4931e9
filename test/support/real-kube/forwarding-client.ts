/** A KubeClient that passes every call to another one: the base of test clients that watch or filter some calls. */
import type { KubeClient, PatchTarget } from '../../../src/kube/client.ts';
import { createKubeClient } from '../../../src/kube/client.ts';
import { resolveKubeConnection } from '../../../src/kube/kubeconfig.ts';
import type { ApiObject, ListOptions, ObjectList, ResourceType, WatchEvent, WatchOptions } from '../../../src/kube/types.ts';
import type { Clock } from '../../../src/util/clock.ts';

/** A client for `kubeconfig` with no rate limit and no request timeout. */
export async function unlimitedClient(kubeconfig: string, clock: Clock): Promise<KubeClient> {
  const connection = await resolveKubeConnection({ kubeconfig, env: {}, clock });
  return createKubeClient({ connection, clock, qps: 1e6, burst: 1e6, requestTimeoutMs: 0 });
}

export class ForwardingClient implements KubeClient {
  protected readonly inner: KubeClient;

  constructor(inner: KubeClient) {
    this.inner = inner;
  }

  get server(): string { return this.inner.server; }
  get defaultNamespace(): string { return this.inner.defaultNamespace; }

  list<T extends ApiObject>(type: ResourceType, options: ListOptions, signal?: AbortSignal): Promise<ObjectList<T>> {
    return this.inner.list<T>(type, options, signal);
  }

  listEach<T extends ApiObject>(type: ResourceType, options: ListOptions, each: (item: T) => void, signal?: AbortSignal): Promise<ObjectList<T>> {
    return this.inner.listEach<T>(type, options, each, signal);
  }

  watch<T extends ApiObject>(type: ResourceType, options: WatchOptions, signal?: AbortSignal): AsyncIterable<WatchEvent<T>> {
    return this.inner.watch<T>(type, options, signal);
  }

  get<T extends ApiObject>(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.inner.get<T>(type, namespace, name, signal);
  }

  create<T extends ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T> { return this.inner.create(type, object, signal); }
  update<T extends ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T> { return this.inner.update(type, object, signal); }
  updateStatus<T extends ApiObject>(type: ResourceType, object: T, signal?: AbortSignal): Promise<T> { return this.inner.updateStatus(type, object, signal); }

  patch<T extends ApiObject>(type: ResourceType, target: PatchTarget, patch: unknown, signal?: AbortSignal): Promise<T> {
    return this.inner.patch<T>(type, target, patch, signal);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<void> {
    return this.inner.delete(type, namespace, name, signal);
  }

  close(): Promise<void> { return this.inner.close(); }
}

/** The clients of one test file (unlimitedClient), closed together by its after() hook. */
export interface ClientPool {
  open(kubeconfig: string): Promise<KubeClient>;
  closeAll(): Promise<void>;
}

export function clientPool(clock: Clock): ClientPool {
  const clients: KubeClient[] = [];
  return {
    async open(kubeconfig) {
      const c = await unlimitedClient(kubeconfig, clock);
      clients.push(c);
      return c;
    },
    async closeAll() {
      for (const c of clients.splice(0)) await c.close();
    },
  };
}
