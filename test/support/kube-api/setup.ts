/** Shared set-up for tests of src/kube against the test API server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClient, type KubeClient } from '../../../src/kube/client.ts';
import { resolveKubeConnection } from '../../../src/kube/kubeconfig.ts';
import type { ApiObject } from '../../../src/kube/types.ts';
import type { Clock } from '../../../src/util/clock.ts';
import { createPki, type Pki } from '../pki.ts';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from './server.ts';

export interface KubeFixture {
  readonly pki: Pki;
  readonly api: KubeApiServer;
  readonly dir: string;
  /** A client through a kubeconfig written for `token`. */
  client(options: { clock: Clock; token?: string; qps?: number; burst?: number; requestTimeoutMs?: number }): Promise<KubeClient>;
  close(): Promise<void>;
}

export async function kubeFixture(options: Omit<KubeApiServerOptions, 'pki'> = {}): Promise<KubeFixture> {
  const pki = await createPki();
  const api = await startKubeApiServer({ ...options, pki });
  const dir = await mkdtemp(join(tmpdir(), 'extdns-kube-'));
  const clients: KubeClient[] = [];
  return {
    pki, api, dir,
    async client(o) {
      const token = o.token ?? 'admin-token';
      const kubeconfig = await api.kubeconfig(token, dir, `kubeconfig-${token}`);
      const connection = await resolveKubeConnection({ kubeconfig, env: {}, clock: o.clock });
      const c = createKubeClient({ connection, clock: o.clock, qps: o.qps ?? 1e6, burst: o.burst ?? 1e6, requestTimeoutMs: o.requestTimeoutMs ?? 0 });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await api.close();
      await rm(dir, { recursive: true, force: true });
      await pki.cleanup();
    },
  };
}

export { eventually } from '../eventually.ts';

export const SERVICES = { group: '', version: 'v1', resource: 'services', namespaced: true, kind: 'Service' } as const;
export const DNS_ENDPOINTS = { group: 'externaldns.k8s.io', version: 'v1alpha1', resource: 'dnsendpoints', namespaced: true, kind: 'DNSEndpoint' } as const;
export const NODES = { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' } as const;

export function service(name: string, extra: Record<string, unknown> = {}, namespace = 'default'): ApiObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ClusterIP' }, ...extra };
}

/** Reads a watch to its end. */
export async function drain(events: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const e of events) if (e !== undefined) n++;
  return n;
}
