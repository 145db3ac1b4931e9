/**
 * DNSEndpoint `status.conditions`: after each sync, every DNSEndpoint that
 * asked for records gets a `Ready` condition saying how it went: True/Synced,
 * or False with OwnedByOther (another owner id, or nobody, holds a name),
 * Rejected (an endpoint refused before the plan or by the provider) or
 * ProviderError (the apply failed). Written through the status subresource,
 * and only when the condition changes (in memory first; after a restart the
 * object's own condition is read before writing). Writes run in the
 * background: a status write never holds a sync back; a failed one is logged.
 */
import type { SyncObserver } from '../controller/controller.ts';
import { LabelKey, type Endpoint } from '../endpoint/endpoint.ts';
import { errorMessage } from '../errors/errors.ts';
import type { ApiObject, ResourceType } from '../kube/types.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Logger } from '../log/logger.ts';
import type { Changes } from '../plan/plan.ts';
import type { Clock } from '../util/clock.ts';
import { redactUrls } from '../util/url-secrets.ts';

export type ReadyReason = 'Synced' | 'OwnedByOther' | 'Rejected' | 'ProviderError';

export interface ReadyCondition {
  type: 'Ready';
  status: 'True' | 'False';
  reason: ReadyReason;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

/** The DNSEndpoint resource (its status subresource is where the condition goes). */
export const DNSENDPOINTS: ResourceType = { group: 'externaldns.k8s.io', version: 'v1alpha1', resource: 'dnsendpoints', namespaced: true, kind: 'DNSEndpoint' };

/** The client calls the writer makes, bound to DNSEndpoints. */
export function statusApiOf(client: KubeClient): StatusApi {
  return {
    get: (namespace, name) => client.get(DNSENDPOINTS, namespace, name),
    patchStatus: (namespace, name, status) => client.patch(DNSENDPOINTS, { namespace, name, subresource: 'status' }, { status }),
  };
}

/** What the writer needs from the Kubernetes client (the DNSEndpoint resource bound in). */
export interface StatusApi {
  get(namespace: string, name: string): Promise<ApiObject>;
  patchStatus(namespace: string, name: string, status: { conditions: unknown[] }): Promise<unknown>;
}

const PREFIX = 'crd/';
const MAX_MESSAGE = 1000;

interface Verdict {
  status: 'True' | 'False';
  reason: ReadyReason;
  message: string;
}

export function conditionsObserver(api: StatusApi, deps: { clock: Clock; logger: Logger; ownerId: string }): SyncObserver {
  let desired: readonly Endpoint[] = [];
  // Endpoints the source pipeline dropped as invalid: they never reach the plan, their objects are Rejected.
  let invalid: readonly { endpoint: Endpoint; reason: string }[] = [];
  let foreign = new Map<string, string>();
  let skipped: { dnsName: string; recordType: string; foreignOwner: string }[] = [];
  let failed = new Map<string, string>();
  let planned: Changes | undefined;
  const written = new Map<string, string>();
  const write = (object: string, verdict: Verdict, endpoints: readonly Endpoint[]): void => {
    // The endpoints stand in for the object's generation: a changed spec is written again (observedGeneration).
    const signature = JSON.stringify([verdict, endpoints.map((e) => [e.dnsName, e.recordType, e.setIdentifier, e.targets, e.recordTTL])]);
    if (written.get(object) === signature) return;
    written.set(object, signature);
    const [namespace = '', name = ''] = object.slice(PREFIX.length).split('/');
    writeCondition(api, { namespace, name }, verdict, deps.clock.now()).catch((err: unknown) => {
      written.delete(object);
      deps.logger.warn('Could not update the DNSEndpoint Ready condition', { dnsendpoint: `${namespace}/${name}`, error: errorMessage(err) });
    });
  };
  return {
    syncStarted: () => { failed = new Map(); planned = undefined; },
    registryRead: (records) => { foreign = foreignHeld(records, deps.ownerId); },
    sourcesRead: (c) => {
      desired = c.endpoints.filter((e) => objectOf(e) !== undefined);
      invalid = (c.rejected ?? []).filter((r) => objectOf(r.endpoint) !== undefined);
    },
    planned: (r) => {
      // Creates the plan skipped, and records of the same name and type another owner (or nobody) holds: the plan leaves both alone.
      const held = desired.flatMap((e) => { const owner = foreign.get(keyOf(e)); return owner === undefined ? [] : [{ dnsName: e.dnsName, recordType: e.recordType, foreignOwner: owner }]; });
      skipped = [...r.skippedOwnerMismatch, ...held];
      planned = r.changes;
    },
    applyFailed: (changes, error) => {
      for (const e of allOf(changes)) {
        const o = objectOf(e);
        if (o !== undefined) failed.set(o, `${e.dnsName} ${e.recordType}: ${redactUrls(errorMessage(error))}`);
      }
    },
    syncSucceeded: (result) => {
      const refused = new Map<string, string[]>();
      for (const r of [...invalid, ...result.refused]) {
        const o = objectOf(r.endpoint);
        if (o !== undefined) refused.set(o, [...(refused.get(o) ?? []), `${r.endpoint.dnsName} ${r.endpoint.recordType}: ${r.reason}`]);
      }
      for (const [object, endpoints] of byObject([...desired, ...invalid.map((r) => r.endpoint)])) write(object, verdictFor(endpoints, { refused: refused.get(object), failed: failed.get(object), skipped }), endpoints);
    },
    syncFailed: ({ stage, error }) => {
      if (stage !== 'apply' || planned === undefined) return;
      const message = redactUrls(errorMessage(error));
      for (const [object, endpoints] of byObject(allOf(planned))) {
        write(object, { status: 'False', reason: 'ProviderError', message: `the provider failed to apply ${endpoints.length} change(s): ${message}` }, endpoints);
      }
    },
  };
}

function verdictFor(endpoints: readonly Endpoint[], seen: { refused: string[] | undefined; failed: string | undefined; skipped: readonly { dnsName: string; recordType: string; foreignOwner: string }[] }): Verdict {
  if (seen.failed !== undefined) return { status: 'False', reason: 'ProviderError', message: `the provider refused or failed: ${seen.failed}` };
  if (seen.refused !== undefined) return { status: 'False', reason: 'Rejected', message: `refused: ${seen.refused.join('; ')}` };
  const mine = new Set(endpoints.map(keyOf));
  const taken = [...new Map(seen.skipped.filter((s) => mine.has(keyOf(s))).map((s) => [keyOf(s), s])).values()];
  if (taken.length > 0) {
    return { status: 'False', reason: 'OwnedByOther', message: taken.map((s) => `${s.dnsName} ${s.recordType} is held by ${s.foreignOwner === '' ? 'a record with no ownership TXT' : `owner id "${s.foreignOwner}"`}`).join('; ') };
  }
  return { status: 'True', reason: 'Synced', message: `${endpoints.length} record set(s) in sync with the provider` };
}

async function writeCondition(api: StatusApi, target: { namespace: string; name: string }, verdict: Verdict, now: number): Promise<void> {
  const { namespace, name } = target;
  const object = await api.get(namespace, name);
  const status = (object['status'] ?? {}) as { conditions?: unknown };
  const existing = Array.isArray(status.conditions) ? (status.conditions as Record<string, unknown>[]) : [];
  const old = existing.find((c) => c['type'] === 'Ready');
  const generation = object.metadata.generation;
  if (old !== undefined && old['status'] === verdict.status && old['reason'] === verdict.reason && old['message'] === verdict.message.slice(0, MAX_MESSAGE)
    && old['observedGeneration'] === generation) return;
  const ready: ReadyCondition = {
    type: 'Ready', status: verdict.status, reason: verdict.reason, message: verdict.message.slice(0, MAX_MESSAGE),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    lastTransitionTime: old !== undefined && old['status'] === verdict.status && typeof old['lastTransitionTime'] === 'string'
      ? old['lastTransitionTime'] : new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  await api.patchStatus(namespace, name, { conditions: [...existing.filter((c) => c['type'] !== 'Ready'), ready] });
}

function keyOf(e: { dnsName: string; recordType: string }): string {
  return `${e.dnsName.toLowerCase()} ${e.recordType}`;
}

/** name+type → the owner id of records this owner does not hold ('' for no ownership record). */
function foreignHeld(records: readonly Endpoint[], ownerId: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of records) {
    const owner = r.labels[LabelKey.owner] ?? '';
    if (owner !== ownerId) out.set(keyOf(r), owner);
  }
  return out;
}

function objectOf(e: Endpoint): string | undefined {
  const r = e.labels[LabelKey.resource];
  return r?.startsWith(PREFIX) === true ? r : undefined;
}

function allOf(c: Changes): Endpoint[] {
  return [...c.create, ...c.updateNew, ...c.delete];
}

function byObject(endpoints: readonly Endpoint[]): Map<string, Endpoint[]> {
  const out = new Map<string, Endpoint[]>();
  for (const e of endpoints) {
    const o = objectOf(e);
    if (o !== undefined) out.set(o, [...(out.get(o) ?? []), e]);
  }
  return out;
}
