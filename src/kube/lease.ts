/**
 * The Lease calls leader election makes (src/controller/leader.ts), over the
 * Kubernetes client: coordination.k8s.io/v1 leases, with the resourceVersion
 * carried on update so that two replicas can never both win.
 */
import type { LeaseApi, LeaseRecord, StoredLease } from '../controller/leader.ts';
import { KubeApiError } from './api-error.ts';
import type { KubeClient } from './client.ts';
import type { ApiObject, ResourceType } from './types.ts';

export const LEASES: ResourceType = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true, kind: 'Lease' };

interface LeaseObject extends ApiObject {
  spec?: Partial<LeaseRecord>;
}

export function leaseApi(client: KubeClient, namespace: string, name: string): LeaseApi {
  const object = (record: LeaseRecord, resourceVersion?: string): LeaseObject => ({
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
    spec: { ...record },
  });
  return {
    async get(signal) {
      try {
        return toStored(await client.get<LeaseObject>(LEASES, namespace, name, signal));
      } catch (err) {
        if (KubeApiError.isKube(err) && err.status === 404) return undefined;
        throw err;
      }
    },
    async create(record, signal) {
      try {
        await client.create(LEASES, object(record), signal);
        return true;
      } catch (err) {
        if (KubeApiError.isKube(err) && err.status === 409) return false;
        throw err;
      }
    },
    async watch(onChange, signal) {
      const events = client.watch<LeaseObject>(LEASES, { namespace, fieldSelector: `metadata.name=${name}`, timeoutSeconds: 300 }, signal);
      for await (const event of events) {
        if (event.type === 'ADDED' || event.type === 'MODIFIED') onChange(toStored(event.object));
      }
    },
    async update(record, resourceVersion, signal) {
      try {
        await client.update(LEASES, object(record, resourceVersion), signal);
        return true;
      } catch (err) {
        if (KubeApiError.isKube(err) && err.status === 409) return false;
        throw err;
      }
    },
  };
}

function toStored(obj: LeaseObject): StoredLease {
  const spec = obj.spec ?? {};
  return {
    resourceVersion: obj.metadata.resourceVersion ?? '',
    record: {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      acquireTime: spec.acquireTime ?? '',
      renewTime: spec.renewTime ?? '',
      leaseTransitions: spec.leaseTransitions ?? 0,
    },
  };
}
