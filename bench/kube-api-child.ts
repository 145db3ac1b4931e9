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
import { parseArgs } from 'node:util';
import { createPki } from '../test/support/pki.ts';
import { startKubeApiServer, type KubeApiServer } from '../test/support/kube-api/server.ts';
import { ingress, NAMESPACES, node, NODES, pod, service } from './kube-objects.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '0' },
    ingresses: { type: 'string', default: '0' },
    pods: { type: 'string', default: '0' },
    namespaces: { type: 'string', default: '' },
  },
});

function fill(api: KubeApiServer): void {
  const count = (v: string): number => Number.parseInt(v, 10) || 0;
  const extra = values.namespaces === '' ? [] : values.namespaces.split(',');
  for (const n of [...Array.from({ length: NAMESPACES }, (_, i) => `team-${i}`), ...extra]) {
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
  }
  for (let i = 0; i < NODES; i++) api.create(node(i));
  for (let i = 0; i < count(values.services); i++) api.create(service(i));
  for (let i = 0; i < count(values.ingresses); i++) api.create(ingress(i));
  for (let i = 0; i < count(values.pods); i++) api.create(pod(i));
}

const pki = await createPki();
const api = await startKubeApiServer({ pki });
const dir = await mkdtemp(join(tmpdir(), 'extdns-bench-kube-'));
fill(api);
const kubeconfig = await api.kubeconfig('admin-token', dir);
const caFile = await pki.write('bench-ca.pem', api.caPem);
process.stdout.write(`${JSON.stringify({ url: api.url, caFile, kubeconfig })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await api.close();
  await rm(dir, { recursive: true, force: true });
  await pki.cleanup();
  process.exit(0);
}
process.stdin.on('end', () => { void stop(); });
process.stdin.on('close', () => { void stop(); });
process.stdin.resume();
process.on('SIGTERM', () => { void stop(); });
