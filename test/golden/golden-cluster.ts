/**
 * The API server of the golden comparisons: a real kube-apiserver holding the
 * Services of go-v0.22/objects.json, created as a user would and their
 * load-balancer status written through the status subresource, as a cloud
 * controller would.
 */
import { readFileSync } from 'node:fs';
import { startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, type Obj } from '../support/real-kube/deployed.ts';

const OBJECTS = new URL('./go-v0.22/objects.json', import.meta.url);

export async function startGoldenCluster(): Promise<RealKube> {
  const kube = await startRealKube();
  try {
    const objects = JSON.parse(readFileSync(OBJECTS, 'utf8')) as Obj[];
    const namespaces = new Set(objects.map((o) => o.metadata.namespace ?? 'default'));
    for (const ns of namespaces) if (ns !== 'default') await kube.kubectl(['create', 'namespace', ns]);
    for (const obj of objects) {
      const { status, ...object } = obj as Obj & { status?: Record<string, unknown> };
      await createWithStatus(kube, object, status);
    }
  } catch (err) {
    await kube.close();
    throw err;
  }
  return kube;
}
