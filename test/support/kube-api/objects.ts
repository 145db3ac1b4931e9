/** get / list / create / update / patch / delete on the store, with kube-apiserver's answers. */
import { randomBytes } from 'node:crypto';
import { groupVersion, type ResourceDef } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { statuses, type StatusBody } from './status.ts';
import { strategicMergePatch } from './strategic.ts';
import type { KubeObj, Store } from './store.ts';

export interface ObjectRequest {
  readonly def: ResourceDef;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly subresource?: string | undefined;
  readonly query: URLSearchParams;
  readonly body?: unknown;
  readonly contentType: string;
  readonly accept: string;
}

export interface Reply {
  code: number;
  body: unknown;
}

const fail = (s: StatusBody): Reply => ({ code: s.code, body: s });
const target = (r: ObjectRequest): { group: string; resource: string; name?: string | undefined } =>
  ({ group: r.def.group, resource: r.def.resource, name: r.name });

/** Sets apiVersion and kind (the store keeps them; list items of built-in types drop them on the way out). */
export function typed(def: ResourceDef, obj: KubeObj): KubeObj {
  return { apiVersion: groupVersion(def), kind: def.kind, ...obj };
}

export type Matcher = (o: KubeObj) => boolean;

/** Parses labelSelector / fieldSelector into one matcher, or a 400 reply. */
export function selectorOf(query: URLSearchParams): Matcher | Reply {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  if (typeof labels === 'string') return fail(statuses.badRequest(labels));
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  if (typeof fields === 'string') return fail(statuses.badRequest(fields));
  return (o) => labels(o.metadata.labels ?? {}) && fields({ name: o.metadata.name, namespace: o.metadata.namespace ?? '' });
}

const MAX_CURSORS = 64;

interface Snapshot {
  rv: number;
  items: KubeObj[];
}

/** A list cursor: `continue` tokens point into a frozen snapshot, as etcd serves a paged list at one revision. */
export class Lists {
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  list(r: ObjectRequest): Reply {
    const match = selectorOf(r.query);
    if (typeof match !== 'function') return match;
    const limit = Number(r.query.get('limit') ?? '0');
    const token = r.query.get('continue');
    let snap: Snapshot;
    let offset = 0;
    if (token !== null && token !== '') {
      const decoded = this.#decode(token);
      if (typeof decoded === 'string') return fail(statuses.badRequest(decoded));
      if (decoded.rv < this.#store.compactedRv || !this.#snapshots.has(decoded.id)) {
        return fail(statuses.expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'));
      }
      snap = this.#snapshots.get(decoded.id) ?? { rv: 0, items: [] };
      offset = decoded.offset;
    } else {
      snap = { rv: this.#store.resourceVersion, items: this.#store.list(r.def, r.namespace).filter(match).map((o) => structuredClone(o)) };
    }
    const page = limit > 0 ? snap.items.slice(offset, offset + limit) : snap.items.slice(offset);
    const rest = snap.items.length - offset - page.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(snap.rv) };
    if (rest > 0) {
      const id = randomBytes(6).toString('hex');
      this.#snapshots.set(id, snap);
      // Bounded memory: the oldest cursors expire (their next page gets 410, as after a compaction).
      if (this.#snapshots.size > MAX_CURSORS) this.#snapshots.delete(this.#snapshots.keys().next().value ?? '');
      metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: snap.rv, id, offset: offset + page.length })).toString('base64');
      metadata.remainingItemCount = rest;
    }
    const items = page.map((o) => (r.def.crd === true ? typed(r.def, o) : stripType(o)));
    if (wantsTable(r.accept)) return { code: 200, body: table(items, metadata) };
    return { code: 200, body: { kind: `${r.def.kind}List`, apiVersion: groupVersion(r.def), metadata, items } };
  }

  forget(): void {
    this.#snapshots.clear();
  }

  #decode(token: string): { rv: number; id: string; offset: number } | string {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv?: unknown; id?: unknown; offset?: unknown };
      if (typeof parsed.rv === 'number' && typeof parsed.id === 'string' && typeof parsed.offset === 'number') {
        return { rv: parsed.rv, id: parsed.id, offset: parsed.offset };
      }
    } catch {
      // fall through
    }
    return 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
  }
}

function stripType(o: KubeObj): KubeObj {
  const rest = { ...o };
  delete rest.apiVersion;
  delete rest.kind;
  return rest;
}

export function wantsTable(accept: string): boolean {
  return accept.includes('as=Table');
}

function age(ts: unknown): string {
  if (typeof ts !== 'string') return '<unknown>';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/** The server-side printing answer kubectl asks for (meta.k8s.io/v1 Table): Name and Age columns. */
export function table(items: readonly KubeObj[], metadata: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata,
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
    ],
    rows: items.map((o) => ({
      cells: [o.metadata.name, age(o.metadata.creationTimestamp)],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

export function getObject(store: Store, r: ObjectRequest): Reply {
  const obj = store.get(r.def, r.namespace, r.name ?? '');
  if (obj === undefined) return fail(statuses.notFound(target(r)));
  if (wantsTable(r.accept)) return { code: 200, body: table([obj], { resourceVersion: obj.metadata.resourceVersion }) };
  return { code: 200, body: typed(r.def, obj) };
}

function asObject(body: unknown): KubeObj | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const o = body as Record<string, unknown>;
  const meta = o.metadata;
  if (typeof meta !== 'object' || meta === null) return { ...o, metadata: { name: '' } };
  return o as KubeObj;
}

export function createObject(store: Store, r: ObjectRequest): Reply {
  const obj = asObject(r.body);
  if (obj === undefined) return fail(statuses.badRequest('the body of the request could not be decoded as an object'));
  const meta = obj.metadata;
  if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string') {
    meta.name = `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  }
  if (meta.name === undefined || meta.name === '') {
    return fail(statuses.invalid(r.def.kind, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]));
  }
  if (r.def.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== r.namespace) {
      return fail(statuses.badRequest('the namespace of the provided object does not match the namespace sent on the request'));
    }
    meta.namespace = r.namespace ?? 'default';
    const nsDef = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
    if (store.get(nsDef, undefined, meta.namespace) === undefined) {
      return fail(statuses.notFound({ group: '', resource: 'namespaces', name: meta.namespace }));
    }
  } else delete meta.namespace;
  if (store.get(r.def, meta.namespace, meta.name) !== undefined) {
    return fail(statuses.alreadyExists({ group: r.def.group, resource: r.def.resource, name: meta.name }));
  }
  const clean = typed(r.def, obj);
  delete clean.metadata.resourceVersion;
  if (r.def.status === true) delete clean.status; // status is set through /status only
  return { code: 201, body: typed(r.def, store.create(r.def, clean)) };
}

/** Builds the object an update stores: status-only on /status, status kept from the old object otherwise. */
export function mergeForUpdate(def: ResourceDef, incoming: KubeObj, old: KubeObj, subresource: string | undefined): KubeObj {
  let next: KubeObj;
  if (subresource === 'status') {
    next = { ...structuredClone(old), status: incoming.status };
    if (incoming.status === undefined) delete next.status;
  } else {
    next = { ...incoming, metadata: { ...incoming.metadata } };
    if (def.status === true) {
      if (old.status === undefined) delete next.status;
      else next.status = old.status;
    }
  }
  next.metadata.uid = old.metadata.uid;
  next.metadata.creationTimestamp = old.metadata.creationTimestamp;
  next.metadata.namespace = old.metadata.namespace;
  next.metadata.generation = specChanged(next, old) ? (old.metadata.generation ?? 1) + 1 : old.metadata.generation;
  if (next.metadata.namespace === undefined) delete next.metadata.namespace;
  if (next.metadata.generation === undefined) delete next.metadata.generation;
  return typed(def, next);
}

function bodyOf(o: KubeObj): string {
  return stableJson({ ...o, metadata: undefined, status: undefined, apiVersion: undefined, kind: undefined });
}

function specChanged(a: KubeObj, b: KubeObj): boolean {
  return bodyOf(a) !== bodyOf(b);
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function sameObject(a: KubeObj, b: KubeObj): boolean {
  const strip = (o: KubeObj): string => stableJson({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return strip(a) === strip(b);
}

export function updateObject(store: Store, r: ObjectRequest): Reply {
  const incoming = asObject(r.body);
  if (incoming === undefined) return fail(statuses.badRequest('the body of the request could not be decoded as an object'));
  const old = store.get(r.def, r.namespace, r.name ?? '');
  if (old === undefined) return fail(statuses.notFound(target(r)));
  if (incoming.metadata.name !== undefined && incoming.metadata.name !== r.name) {
    return fail(statuses.badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${r.name ?? ''})`));
  }
  return store_(store, r, incoming, old);
}

function store_(store: Store, r: ObjectRequest, incoming: KubeObj, old: KubeObj): Reply {
  const rv = incoming.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) return fail(statuses.conflict(target(r)));
  const next = mergeForUpdate(r.def, { ...incoming, metadata: { ...incoming.metadata, name: old.metadata.name } }, old, r.subresource);
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (sameObject(next, typed(r.def, old))) return { code: 200, body: typed(r.def, old) };
  return { code: 200, body: typed(r.def, store.replace(r.def, next, old)) };
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) Reflect.deleteProperty(out, k);
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const PATCH_TYPES = ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

export function patchObject(store: Store, r: ObjectRequest): Reply {
  const type = r.contentType.split(';')[0]?.trim() ?? '';
  if (!PATCH_TYPES.includes(type)) return fail(statuses.unsupportedMediaType(type));
  const old = store.get(r.def, r.namespace, r.name ?? '');
  if (old === undefined) return fail(statuses.notFound(target(r)));
  const apply = type === 'application/strategic-merge-patch+json' ? strategicMergePatch : mergePatch;
  const patched = asObject(apply(structuredClone(old), r.body));
  if (patched === undefined) return fail(statuses.badRequest('the patch did not produce an object'));
  return store_(store, r, patched, old);
}

export function deleteObject(store: Store, r: ObjectRequest): Reply {
  const old = store.get(r.def, r.namespace, r.name ?? '');
  if (old === undefined) return fail(statuses.notFound(target(r)));
  store.delete(r.def, old);
  return {
    code: 200,
    body: {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
      details: { name: r.name, ...(r.def.group === '' ? {} : { group: r.def.group }), kind: r.def.resource, uid: old.metadata.uid },
    },
  };
}
