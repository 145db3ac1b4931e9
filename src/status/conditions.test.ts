import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../endpoint/endpoint.ts';
import type { SyncResult } from '../controller/controller.ts';
import type { ApiObject } from '../kube/types.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { conditionsObserver, type StatusApi } from './conditions.ts';

/** DNSEndpoints held in memory with the status subresource's merge of `status`. */
function objects(): StatusApi & { ready(name: string): Record<string, unknown> | undefined; patches: number } {
  const store = new Map<string, ApiObject>([['default/a', { metadata: { name: 'a', namespace: 'default', generation: 4 } }]]);
  const api = {
    patches: 0,
    get: (ns: string, name: string) => {
      const o = store.get(`${ns}/${name}`);
      return o === undefined ? Promise.reject(new Error('not found')) : Promise.resolve(structuredClone(o));
    },
    patchStatus: (ns: string, name: string, status: { conditions: unknown[] }) => {
      api.patches++;
      const o = store.get(`${ns}/${name}`);
      if (o !== undefined) o['status'] = { ...(o['status'] as object | undefined), ...status };
      return Promise.resolve(o);
    },
    ready: (name: string) => ((store.get(`default/${name}`)?.['status'] as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ?? []).find((c) => c['type'] === 'Ready'),
  };
  return api;
}

const ep = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1'], labels: { resource: 'crd/default/a' } });
const none = { create: [], updateOld: [], updateNew: [], delete: [] };
const result = (over: Partial<SyncResult> = {}): SyncResult => ({ changes: none, applied: false, held: undefined, fencedDeletes: 0, failedSources: [], ownerMismatches: 0, noop: true, refused: [], ...over });
const settle = () => new Promise((r) => setImmediate(r));

test('Rejected, then ProviderError, then Synced: each change written once, with observedGeneration; URL passwords masked', async () => {
  const api = objects();
  const o = conditionsObserver(api, { clock: new FakeClock(), logger: captureLogger().logger, ownerId: 'me' });
  const sync = (r: SyncResult, before?: () => void): void => {
    o.syncStarted?.();
    o.registryRead?.([]);
    o.sourcesRead?.({ endpoints: [ep], failures: [] });
    o.planned?.({ changes: { ...none, create: [ep] }, skippedOwnerMismatch: [] });
    before?.();
    o.syncSucceeded?.(r, 1);
  };
  sync(result({ refused: [{ endpoint: ep, reason: 'the target is not an IPv4 address' }] }));
  await settle();
  assert.deepEqual({ ...api.ready('a'), lastTransitionTime: undefined }, {
    type: 'Ready', status: 'False', reason: 'Rejected', message: 'refused: a.example.org A: the target is not an IPv4 address', observedGeneration: 4, lastTransitionTime: undefined,
  });
  sync(result({ refused: [{ endpoint: ep, reason: 'the target is not an IPv4 address' }] }));
  await settle();
  assert.equal(api.patches, 1, 'the same verdict is not written twice');
  sync(result(), () => o.applyFailed?.({ ...none, create: [ep] }, new Error('PATCH https://admin:s3cret@pdns/zones failed: 500')));
  await settle();
  assert.equal(api.ready('a')?.['reason'], 'ProviderError');
  assert.doesNotMatch(String(api.ready('a')?.['message']), /s3cret/);
  o.syncStarted?.();
  o.planned?.({ changes: { ...none, create: [ep] }, skippedOwnerMismatch: [] });
  o.syncFailed?.({ stage: 'apply', error: new Error('timeout'), transient: true });
  await settle();
  assert.match(String(api.ready('a')?.['message']), /failed to apply 1 change\(s\): timeout/);
  sync(result({ applied: true, noop: false, changes: { ...none, create: [ep] } }));
  await settle();
  assert.deepEqual([api.ready('a')?.['status'], api.ready('a')?.['reason']], ['True', 'Synced']);
  assert.equal(api.patches, 4);
});

test('an object whose only endpoint the source pipeline dropped as invalid is Rejected, with the pipeline\'s reason', async () => {
  const api = objects();
  const o = conditionsObserver(api, { clock: new FakeClock(), logger: captureLogger().logger, ownerId: 'me' });
  const bad = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['not-an-ip'], labels: { resource: 'crd/default/a' } });
  const other = newEndpoint({ dnsName: 'b.example.org', recordType: 'A', targets: ['nope'], labels: { resource: 'service/default/b' } });
  o.syncStarted?.();
  o.registryRead?.([]);
  o.sourcesRead?.({ endpoints: [], failures: [], rejected: [{ endpoint: bad, reason: 'A target not-an-ip is not an IP address' }, { endpoint: other, reason: 'x' }] });
  o.planned?.({ changes: none, skippedOwnerMismatch: [] });
  o.syncSucceeded?.(result(), 1);
  await settle();
  assert.deepEqual([api.ready('a')?.['status'], api.ready('a')?.['reason'], api.ready('a')?.['message']],
    ['False', 'Rejected', 'refused: a.example.org A: A target not-an-ip is not an IP address']);
  assert.equal(api.patches, 1, 'a Service is no DNSEndpoint: nothing written for it');
});
