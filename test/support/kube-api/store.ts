/**
 * The test API server's storage: one map of objects per resource, one global
 * resourceVersion counter (as etcd's revision), an event history for watches
 * that compact() truncates, and list snapshots for `continue` tokens.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceDef } from './resources.ts';

export type KubeObj = Record<string, unknown> & { metadata: Meta };
export interface Meta {
  name: string;
  namespace?: string | undefined;
  resourceVersion?: string | undefined;
  uid?: string | undefined;
  generation?: number | undefined;
  creationTimestamp?: string | undefined;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [k: string]: unknown;
}

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  readonly rv: number;
  readonly def: ResourceDef;
  readonly type: WatchType;
  readonly object: KubeObj;
  /** The object before the change (MODIFIED, DELETED). */
  readonly old?: KubeObj | undefined;
}

export type Listener = (e: StoredEvent) => void;

export const resKey = (def: { group: string; resource: string }): string => `${def.group}/${def.resource}`;
const objKey = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

export class Store {
  #rv = 1;
  #compactedRv = 0;
  readonly #objects = new Map<string, Map<string, KubeObj>>();
  #history: StoredEvent[] = [];
  readonly #listeners = new Set<Listener>();
  readonly #now: () => Date;

  readonly #historyLimit: number;

  /** `historyLimit`: events kept for watches; older ones are compacted away as etcd does (watches from before get 410). */
  constructor(now: () => Date, historyLimit = 20_000) {
    this.#now = now;
    this.#historyLimit = historyLimit;
  }

  get resourceVersion(): number {
    return this.#rv;
  }

  get compactedRv(): number {
    return this.#compactedRv;
  }

  /** Forgets history: watches and continue tokens from before now get 410 Gone. */
  compact(): void {
    this.#compactedRv = this.#rv;
    this.#history = [];
  }

  subscribe(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  list(def: ResourceDef, namespace?: string): KubeObj[] {
    const all = [...(this.#objects.get(resKey(def))?.values() ?? [])];
    const inNs = namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
    return inNs.sort((a, b) => objKey(a.metadata.namespace, a.metadata.name).localeCompare(objKey(b.metadata.namespace, b.metadata.name)));
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObj | undefined {
    return this.#objects.get(resKey(def))?.get(objKey(namespace, name));
  }

  /** Events after `rv` for one resource, oldest first. */
  since(def: ResourceDef, rv: number): StoredEvent[] {
    return this.#history.filter((e) => e.rv > rv && resKey(e.def) === resKey(def));
  }

  create(def: ResourceDef, obj: KubeObj): KubeObj {
    const stored = structuredClone(obj);
    const meta = stored.metadata;
    meta.uid = randomUUID();
    meta.creationTimestamp = this.#now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    meta.generation = 1;
    this.#commit(def, 'ADDED', stored, undefined);
    return stored;
  }

  /** Replaces an existing object (the caller decided on generation and conflicts). */
  replace(def: ResourceDef, obj: KubeObj, old: KubeObj): KubeObj {
    const stored = structuredClone(obj);
    this.#commit(def, 'MODIFIED', stored, old);
    return stored;
  }

  delete(def: ResourceDef, old: KubeObj): KubeObj {
    const gone = structuredClone(old);
    this.#commit(def, 'DELETED', gone, old);
    return gone;
  }

  #commit(def: ResourceDef, type: WatchType, obj: KubeObj, old: KubeObj | undefined): void {
    this.#rv++;
    obj.metadata.resourceVersion = String(this.#rv);
    const k = resKey(def);
    let m = this.#objects.get(k);
    if (m === undefined) {
      m = new Map();
      this.#objects.set(k, m);
    }
    const key = objKey(obj.metadata.namespace, obj.metadata.name);
    if (type === 'DELETED') m.delete(key);
    else m.set(key, obj);
    const event: StoredEvent = { rv: this.#rv, def, type, object: obj, old };
    this.#history.push(event);
    if (this.#history.length > this.#historyLimit) {
      const dropped = this.#history.splice(0, Math.floor(this.#historyLimit / 2));
      this.#compactedRv = dropped.at(-1)?.rv ?? this.#compactedRv;
    }
    for (const l of this.#listeners) l(event);
  }
}
