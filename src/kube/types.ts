/** The shapes the Kubernetes client passes around. */
import type { KeepShape } from './kept-text.ts';

/** One resource type of the API (group "" is the core group). */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  /** Plural, lower case: services, ingresses, dnsendpoints. */
  readonly resource: string;
  readonly namespaced: boolean;
  /** The kind of its objects, set on list items (built-in lists leave it out of each item). */
  readonly kind?: string | undefined;
}

export interface ApiObjectMeta {
  name: string;
  namespace?: string | undefined;
  resourceVersion?: string | undefined;
  uid?: string | undefined;
  generation?: number | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  [key: string]: unknown;
}

export interface ApiObject {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata: ApiObjectMeta;
  [key: string]: unknown;
}

export interface ObjectList<T extends ApiObject = ApiObject> {
  readonly items: T[];
  /** The list's resourceVersion: watch from here. */
  readonly resourceVersion: string;
  /** Set when more pages follow. */
  readonly continue?: string | undefined;
}

export type WatchEvent<T extends ApiObject = ApiObject> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

export interface ListOptions {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly limit?: number | undefined;
  readonly continue?: string | undefined;
  readonly resourceVersion?: string | undefined;
  /**
   * The fields of each item the caller reads (listEach): the others are checked as JSON but not parsed
   * (kept-text.ts). Absent: whole items, without metadata.managedFields.
   */
  readonly keep?: KeepShape | undefined;
}

export interface WatchOptions {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Start after this version; absent or "0": the server first sends ADDED for every current object. */
  readonly resourceVersion?: string | undefined;
  readonly allowWatchBookmarks?: boolean | undefined;
  /** Server-side end of the stream. */
  readonly timeoutSeconds?: number | undefined;
}

export function groupVersion(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}
