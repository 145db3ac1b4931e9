import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../endpoint/endpoint.ts';
import { emptyChanges } from '../plan/plan.ts';
import { buildEvent, createEventEmitter, eventName, eventsForChanges, referenceOf, type KubeEvent } from './events.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';

const NOW = Date.UTC(2026, 10, 29, 2, 0, 0, 123);

const web = newEndpoint({ dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 300,
  labels: { resource: 'service/default/web', owner: 'blue' } });

test('the note has ExternalDNS\'s exact form and the event regards the source object', () => {
  const event = buildEvent(web, 'Created', 'RecordReady', NOW);
  assert.ok(event);
  assert.equal(event.note, '(external-dns) record:web.example.org,owner:blue,type:A,ttl:300,targets:192.0.2.1,192.0.2.2');
  assert.deepEqual(event.regarding, { kind: 'Service', apiVersion: 'v1', namespace: 'default', name: 'web' });
  assert.equal(event.metadata.namespace, 'default');
  assert.equal(event.reportingController, 'external-dns');
  assert.equal(event.reportingInstance, 'external-dns/source/service');
  assert.equal(event.eventTime, '2026-11-29T02:00:00.123000Z');
  assert.equal(event.type, 'Normal');
});

test('event names are RFC 1123 with a hex nanosecond suffix', () => {
  assert.equal(eventName('web', NOW), `web.${(BigInt(NOW) * 1_000_000n).toString(16)}`);
  assert.match(eventName('_Weird_Name-', NOW), /^a-weird-name-z\.[0-9a-f]+$/);
  assert.ok(eventName('x'.repeat(300), NOW).length <= 253);
});

test('cluster-scoped objects go to the default namespace; unknown resources make no event', () => {
  const node = newEndpoint({ dnsName: 'n1.example.org', recordType: 'A', targets: ['192.0.2.9'], labels: { resource: 'node/n1' } });
  assert.deepEqual(referenceOf(node), { kind: 'Node', apiVersion: 'v1', name: 'n1', source: 'node' });
  assert.equal(buildEvent(node, 'Created', 'RecordReady', NOW)?.metadata.namespace, 'default');
  const odd = newEndpoint({ dnsName: 'x.example.org', recordType: 'A', targets: ['192.0.2.9'], labels: { resource: 'widget/ns/x' } });
  assert.equal(buildEvent(odd, 'Created', 'RecordReady', NOW), undefined);
  assert.equal(buildEvent(newEndpoint({ dnsName: 'y.example.org', recordType: 'A', targets: ['192.0.2.9'] }), 'Created', 'RecordReady', NOW), undefined);
});

test('a failed apply makes RecordError warnings for every change, deletes included', () => {
  const changes = { ...emptyChanges(), create: [web], delete: [web] };
  assert.deepEqual(eventsForChanges(changes, true, NOW).map((e) => `${e.action}/${e.reason}/${e.type}`), ['Created/RecordReady/Normal', 'Deleted/RecordDeleted/Normal']);
  assert.deepEqual(eventsForChanges(changes, false, NOW).map((e) => `${e.action}/${e.reason}/${e.type}`), ['Created/RecordError/Warning', 'Deleted/RecordError/Warning']);
});

test('an endpoint refused before the plan makes a RecordError warning on its object, with the reason', async () => {
  const sent: KubeEvent[] = [];
  const sink = { create: (_ns: string, e: KubeEvent) => { sent.push(e); return Promise.resolve(); } };
  const bad = newEndpoint({ dnsName: '-bad.example.org', recordType: 'A', targets: ['192.0.2.1'], labels: { resource: 'crd/tenant/bad' } });
  const emitter = (reasons: string[]) => createEventEmitter({ reasons, dryRun: false }, { sink, clock: new FakeClock(NOW), logger: captureLogger().logger });
  const off = emitter(['RecordReady']);
  off.refused([{ endpoint: bad, reason: 'label "-bad" starts or ends with \'-\'' }]);
  await off.flush();
  assert.equal(sent.length, 0, 'only with RecordError in --events-emit');
  const on = emitter(['RecordError']);
  on.refused([{ endpoint: bad, reason: 'label "-bad" starts or ends with \'-\'' }]);
  await on.flush();
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0]?.regarding, { kind: 'DNSEndpoint', apiVersion: 'externaldns.k8s.io/v1alpha1', namespace: 'tenant', name: 'bad' });
  assert.equal(sent[0]?.type, 'Warning');
  assert.equal(sent[0]?.action, 'Rejected');
  assert.match(sent[0]?.note ?? '', /record:-bad\.example\.org,.*,error:label "-bad" starts or ends with '-'$/);
});
