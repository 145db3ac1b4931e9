/**
 * Big change sets for the CoreDNS provider (issue 12 item 5): checked and
 * turned into etcd operations a slice at a time, in time linear in the batch
 * (a delete used to be looked up in the whole delete list, and targets merged
 * by copying the set on every change).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { drain, paced, SLICE } from '../../util/sliced.ts';
import { encodeService, keyFor, newService } from './service.ts';
import { buildWrites, planProblems } from './writes.ts';

const a = (name: string, ip: string) => newEndpoint({ dnsName: name, recordType: 'A', targets: [ip] });

test('50,000 deletes and 50,000 updates of missing record sets: each refused with its own verb, checked a slice at a time', async () => {
  const n = 50_000;
  const deletes = Array.from({ length: n }, (_, i) => a(`d${i}.example.org`, '192.0.2.1'));
  const olds = Array.from({ length: n }, (_, i) => a(`u${i}.example.org`, '192.0.2.1'));
  let pauses = 0;
  const problems = await paced(planProblems({ ...emptyChanges(), delete: deletes, updateOld: olds, updateNew: olds }, new Map()), async () => {
    pauses++;
    await Promise.resolve();
  });
  assert.equal(problems.length, 2 * n);
  assert.equal(problems.filter((p) => p.startsWith('cannot delete d')).length, n);
  assert.equal(problems.filter((p) => p.startsWith('cannot update u')).length, n);
  assert.ok(pauses >= (3 * n) / SLICE, `paused ${pauses} times`);
});

test('changes naming one record set merge their targets once each, in order, duplicates dropped', () => {
  const create = [a('x.example.org', '192.0.2.2'), a('x.example.org', '192.0.2.1'), a('x.example.org', '192.0.2.2'), a('x.example.org', '192.0.2.3')];
  let id = 0;
  const [group] = drain(buildWrites({ ...emptyChanges(), create }, { prefix: '/skydns/', byName: new Map(), owner: undefined, newId: () => `0000000${id++}` }));
  assert.deepEqual(group?.ops.map((op) => 'put' in op ? (JSON.parse(op.value) as { host: string }).host : op.del), ['192.0.2.2', '192.0.2.1', '192.0.2.3']);
});

test('one name with thousands of keys: kept keys untouched, the gone target deleted by key, new targets put in their order', () => {
  const kept = 3_000;
  const added = 2_000;
  const ip = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const name = 'big.example.org';
  const existing = Array.from({ length: kept }, (_, i) => {
    const service = newService({ host: ip(i), ttl: 300, targetstrip: 1 });
    return { key: keyFor('/skydns/', `k${i}.${name}`), value: encodeService(service), modRevision: 7, name, service };
  });
  const old = newEndpoint({ dnsName: name, recordType: 'A', targets: existing.map((e) => e.service.host), recordTTL: 300 });
  const next = newEndpoint({ dnsName: name, recordType: 'A', recordTTL: 300,
    targets: [...Array.from({ length: kept - 1 }, (_, i) => ip(i + 1)), ...Array.from({ length: added }, (_, i) => ip(kept + i))] });
  let id = 0;
  const [group] = drain(buildWrites({ ...emptyChanges(), updateOld: [old], updateNew: [next] },
    { prefix: '/skydns/', byName: new Map([[name, existing]]), owner: undefined, newId: () => (id++).toString(16).padStart(8, '0') }));
  const dels = group?.ops.filter((op) => 'del' in op) ?? [];
  const puts = group?.ops.filter((op) => 'put' in op) ?? [];
  assert.deepEqual(dels, [{ del: keyFor('/skydns/', `k0.${name}`) }]);
  assert.deepEqual(puts.map((op) => 'put' in op ? (JSON.parse(op.value) as { host: string }).host : ''), Array.from({ length: added }, (_, i) => ip(kept + i)));
});
