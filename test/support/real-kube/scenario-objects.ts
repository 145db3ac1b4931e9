/**
 * Puts a test scenario's objects into the real cluster as admin (each made
 * valid by validObject, its status written through the status subresource)
 * and takes them out again, so the next scenario starts from the same
 * cluster. Namespaces are never deleted (without a controller-manager a
 * deleted Namespace stays Terminating): they are created on first use, and a
 * scenario's Namespace object only sets labels and annotations, which are put
 * back afterwards. Deletes use gracePeriodSeconds=0: no kubelet will confirm
 * that a Pod bound to a node has stopped.
 */
import { request } from 'node:https';
import { resourcePath, type KubeClient } from '../../../src/kube/client.ts';
import type { ApiObject, ResourceType } from '../../../src/kube/types.ts';
import { LOOKUP_RESOURCES, SOURCE_KINDS } from '../../../src/source/translate.ts';
import type { RealKube } from './cluster.ts';
import { validObject } from './valid-objects.ts';

type Undo = () => Promise<void>;

const TYPES = new Map<string, ResourceType>(
  [...Object.values(SOURCE_KINDS), ...Object.values(LOOKUP_RESOURCES)].map((r) => [r.kind, {
    group: r.group, version: r.version, resource: r.resource, namespaced: r.namespaced, kind: r.kind,
  }]),
);
const NAMESPACES = TYPES.get('Namespace')!;

function typeOf(kind: string): ResourceType {
  const type = TYPES.get(kind);
  if (type === undefined) throw new Error(`no resource type for kind ${kind}`);
  return type;
}

export class ScenarioObjects {
  readonly #kube: RealKube;
  readonly #admin: KubeClient;
  readonly #namespaces = new Set(['default', 'kube-system']);

  constructor(kube: RealKube, admin: KubeClient) {
    this.#kube = kube;
    this.#admin = admin;
  }

  /** Creates `objects` in order; resolves to what puts the cluster back (also after a failure part way). */
  async create(objects: readonly unknown[]): Promise<Undo> {
    const undo: Undo[] = [];
    const putBack: Undo = async () => {
      for (const u of undo.reverse()) await u();
    };
    try {
      for (const raw of objects) undo.push(await this.#createOne(raw));
    } catch (err) {
      await putBack();
      throw err;
    }
    return putBack;
  }

  async #createOne(raw: unknown): Promise<Undo> {
    const { object, status } = validObject(raw);
    if (object.kind === 'Namespace') return this.#labelNamespace(object);
    const type = typeOf(String(object.kind));
    const namespace = type.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
    if (namespace !== undefined) await this.#ensureNamespace(namespace);
    const name = object.metadata.name;
    await this.#admin.create(type, { ...object, metadata: { ...object.metadata, ...(namespace === undefined ? {} : { namespace }) } });
    const remove = (): Promise<void> => this.#forceDelete(type, namespace, name);
    try {
      if (status !== undefined) await this.#admin.patch(type, { namespace, name, subresource: 'status' }, { status });
    } catch (err) {
      await remove();
      throw err;
    }
    return remove;
  }

  async #ensureNamespace(name: string): Promise<void> {
    if (this.#namespaces.has(name)) return;
    await this.#admin.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch((err: unknown) => {
      if ((err as { status?: number }).status !== 409) throw err;
    });
    this.#namespaces.add(name);
  }

  /** Gives an existing (or new) Namespace the scenario's labels and annotations; the undo restores the old ones. */
  async #labelNamespace(wanted: ApiObject): Promise<Undo> {
    const name = wanted.metadata.name;
    await this.#ensureNamespace(name);
    const before = await this.#admin.get(NAMESPACES, undefined, name);
    const setMeta = async (labels?: Record<string, string>, annotations?: Record<string, string>): Promise<void> => {
      const now = await this.#admin.get(NAMESPACES, undefined, name);
      await this.#admin.update(NAMESPACES, { ...now, metadata: { ...now.metadata, labels, annotations } });
    };
    await setMeta({ ...wanted.metadata.labels, 'kubernetes.io/metadata.name': name }, wanted.metadata.annotations);
    return () => setMeta(before.metadata.labels, before.metadata.annotations);
  }

  /** DELETE with gracePeriodSeconds=0, as admin; an object already gone is fine. */
  #forceDelete(type: ResourceType, namespace: string | undefined, name: string): Promise<void> {
    const { pki, server } = this.#kube;
    const url = `${server}${resourcePath(type, namespace, name)}?gracePeriodSeconds=0`;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'DELETE', ca: pki.caPem, cert: pki.adminCertPem, key: pki.adminKeyPem }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => { body += d; });
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          if (code < 300 || code === 404) resolve();
          else reject(new Error(`DELETE ${url}: ${code} ${body}`));
        });
      });
      req.on('error', reject);
      req.end();
    });
  }
}
