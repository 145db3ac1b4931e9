/** Kubernetes Events (events.k8s.io/v1) for src/controller/events.ts, over the Kubernetes client. */
import type { EventSink } from '../controller/events.ts';
import type { KubeClient } from './client.ts';
import type { ResourceType } from './types.ts';

export const EVENTS: ResourceType = { group: 'events.k8s.io', version: 'v1', resource: 'events', namespaced: true, kind: 'Event' };

export function eventSink(client: KubeClient): EventSink {
  return {
    async create(_namespace, event, signal) {
      await client.create(EVENTS, { ...event, metadata: { ...event.metadata } }, signal);
    },
  };
}
