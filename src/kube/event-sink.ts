/**
 * Kubernetes Events (events.k8s.io/v1) for src/controller/events.ts, over the Kubernetes client.
 * The event's `regarding` gets the object's UID, as ExternalDNS sets it: `kubectl describe` selects
 * events by the object's UID and would not show them without it. UIDs are read once per object.
 */
import type { EventSink, ObjectReference } from '../controller/events.ts';
import type { KubeClient } from './client.ts';
import type { ResourceType } from './types.ts';

export const EVENTS: ResourceType = { group: 'events.k8s.io', version: 'v1', resource: 'events', namespaced: true, kind: 'Event' };

/** UIDs remembered at most (a new object with an old name gets a new UID: the cache is cleared when full). */
const MAX_UIDS = 5_000;

export function eventSink(client: KubeClient): EventSink {
  const uids = new Map<string, string>();
  const uidOf = async (ref: ObjectReference, signal: AbortSignal): Promise<string | undefined> => {
    const key = `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
    const known = uids.get(key);
    if (known !== undefined) return known;
    try {
      const obj = await client.get(resourceOf(ref), ref.namespace, ref.name, signal);
      const uid = obj.metadata.uid;
      if (typeof uid !== 'string' || uid === '') return undefined;
      if (uids.size >= MAX_UIDS) uids.clear();
      uids.set(key, uid);
      return uid;
    } catch {
      // Deleted meanwhile, or no get permission: the event still goes out, without the UID.
      return undefined;
    }
  };
  return {
    async create(_namespace, event, signal) {
      const uid = event.regarding.uid ?? await uidOf(event.regarding, signal);
      const regarding: ObjectReference = { ...event.regarding, ...(uid === undefined ? {} : { uid }) };
      await client.create(EVENTS, { ...event, metadata: { ...event.metadata }, regarding }, signal);
    },
  };
}

/** The API resource of a referenced object (the kinds sources report: plural = lower-case kind + s, Ingress + es). */
function resourceOf(ref: ObjectReference): ResourceType {
  const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
  const lower = ref.kind.toLowerCase();
  return { group: group ?? '', version: version ?? 'v1', resource: lower.endsWith('s') ? `${lower}es` : `${lower}s`, namespaced: ref.namespace !== undefined, kind: ref.kind };
}
