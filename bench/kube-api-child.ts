/**
 * The test Kubernetes API server (test/support/kube-api) in a process of its
 * own, for the kube rows of `npm run bench`: the measured extdns must not share
 * its heap or event loop with the API server. Filled through the server's test
 * hooks with realistic objects, then prints one JSON line
 * `{"url","caFile","kubeconfig"}` on stdout and stays up until stdin closes
 * (the parent exits or ends it) or SIGTERM.
 *
 *   node bench/kube-api-child.ts [--services=N] [--ingresses=N] [--pods=N] [--namespaces=a,b]
 */
import { rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPki } from '../test/support/pki.ts';
import { startKubeApiServer, type KubeApiServer } from '../test/support/kube-api/server.ts';
import { announceAndServe, childArgs } from './kube-child.ts';
import { ingress, NAMESPACES, node, NODES, pod, service } from './kube-objects.ts';

const args = childArgs();

function fill(api: KubeApiServer): void {
  for (const n of [...Array.from({ length: NAMESPACES }, (_, i) => `team-${i}`), ...args.namespaces]) {
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
  }
  for (let i = 0; i < NODES; i++) api.create(node(i));
  for (let i = 0; i < args.services; i++) api.create(service(i));
  for (let i = 0; i < args.ingresses; i++) api.create(ingress(i));
  for (let i = 0; i < args.pods; i++) api.create(pod(i));
}

const pki = await createPki();
const api = await startKubeApiServer({ pki });
const dir = await mkdtemp(join(tmpdir(), 'extdns-bench-kube-'));
fill(api);
const kubeconfig = await api.kubeconfig('admin-token', dir);
const caFile = await pki.write('bench-ca.pem', api.caPem);
announceAndServe({ url: api.url, caFile, kubeconfig }, async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
  await pki.cleanup();
});
