/**
 * DNSEndpoint `status.conditions` through the real CLI against the test API
 * server: Ready True/Synced with observedGeneration for an object whose
 * records landed, False/OwnedByOther for one asking for a name another owner
 * holds; written through the status subresource, and not again while nothing
 * changes (a later sync, a restarted run).
 */
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { kubeFixture, type KubeFixture } from '../support/kube-api/setup.ts';
import { dnsEndpoint, lbService, pump, startExtdns, zoneAndFlags, ZONE } from '../kube/extdns-run.ts';

const VERSION = 'externaldns.k8s.io/v1alpha1';
let fx: KubeFixture;
before(async () => { fx = await kubeFixture(); });
after(async () => { await fx.close(); });

function ready(name: string): Record<string, unknown> | undefined {
  const obj = fx.api.get(VERSION, 'DNSEndpoint', 'default', name);
  const conditions = (obj?.status as { conditions?: Record<string, unknown>[] } | undefined)?.conditions;
  return conditions?.find((c) => c['type'] === 'Ready');
}

const statusWrites = (name: string): number => fx.api.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/dnsendpoints/${name}/status`)).length;
const mainWrites = (name: string): number => fx.api.requests.filter((r) => ['PUT', 'PATCH'].includes(r.method) && r.path.endsWith(`/dnsendpoints/${name}`)).length;
/** The writer reads the object before each write it means to make. */
const reads = (name: string): number => fx.api.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/dnsendpoints/${name}`)).length;
/** resourceVersion moves with every stored change, status included. */
const version = (name: string): unknown => fx.api.get(VERSION, 'DNSEndpoint', 'default', name)?.metadata.resourceVersion;

test('Ready conditions: Synced with observedGeneration, OwnedByOther naming the owner; written once, not again when nothing changes', async (ctx) => {
  const { zones, flags } = await zoneAndFlags(fx);
  ctx.after(zones.cleanup);
  await appendFile(zones.file(ZONE), 'taken IN A 192.0.2.99\na-taken IN TXT "heritage=external-dns,external-dns/owner=other-team,external-dns/resource=service/default/x"\n');
  const ok = fx.api.create(dnsEndpoint('extra', `extra.${ZONE}`, ['192.0.2.30']));
  fx.api.create(dnsEndpoint('taken', `taken.${ZONE}`, ['192.0.2.31']));
  const args = [...flags, '--source=crd', '--source=service', '--events', '--interval=1h', '--min-event-sync-interval=0s'];
  const run = startExtdns(args);
  let lastTransition: unknown;
  try {
    await pump(run, () => ready('extra') !== undefined && ready('taken') !== undefined, 'both Ready conditions');
    const synced = ready('extra');
    assert.equal(synced?.['status'], 'True');
    assert.equal(synced?.['reason'], 'Synced');
    assert.equal(synced?.['observedGeneration'], ok.metadata.generation);
    assert.match(String(synced?.['lastTransitionTime']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    lastTransition = synced?.['lastTransitionTime'];
    const taken = ready('taken');
    assert.deepEqual([taken?.['status'], taken?.['reason']], ['False', 'OwnedByOther']);
    assert.match(String(taken?.['message']), /taken\.example\.org A is held by owner id "other-team"/);
    assert.ok(statusWrites('extra') >= 1, 'written through the status subresource');
    assert.equal(mainWrites('extra'), 0, 'never through the object itself');
    const stored = version('extra');
    const readsBefore = reads('extra');
    // Another sync (an event from an unrelated Service): the conditions are the same, so nothing is written.
    fx.api.create(lbService('web', '192.0.2.10'));
    await run.log.waitFor(/Applied changes/);
    await pump(run, () => true, 'settle');
    assert.equal(version('extra'), stored, 'no status change when the condition did not change');
    assert.equal(reads('extra'), readsBefore, 'not even a read: the run remembers what it wrote');
  } finally {
    assert.equal(await run.stop(), 0, run.log.text());
  }
  // A restarted run reads the condition the object already has and does not write it again.
  const before = version('extra');
  const again = startExtdns([...args.filter((a) => a !== '--events'), '--once']);
  assert.equal(await again.done, 0, again.log.text());
  assert.equal(version('extra'), before);
  assert.equal(ready('extra')?.['lastTransitionTime'], lastTransition, 'the transition time stays');
  fx.api.delete(VERSION, 'DNSEndpoint', 'default', 'extra');
  fx.api.delete(VERSION, 'DNSEndpoint', 'default', 'taken');
  fx.api.delete('v1', 'Service', 'default', 'web');
});
