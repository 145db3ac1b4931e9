import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { batchChanges, batchChangesSliced, zoneOf } from './batches.ts';
import { paced, SLICE } from '../../util/sliced.ts';

const a = (name: string) => newEndpoint({ dnsName: name, recordType: 'A', targets: ['192.0.2.1'] });
const owner = (name: string, owned: string) => newEndpoint({ dnsName: name, recordType: 'TXT', targets: ['"heritage=external-dns"'], labels: { ownedRecord: owned } });

test('zoneOf: the longest zone by labels, never a mere string suffix', () => {
  const zones = ['example.org', 'sub.example.org'];
  assert.equal(zoneOf('www.sub.example.org', zones), 'sub.example.org');
  assert.equal(zoneOf('WWW.Example.Org.', zones), 'example.org');
  assert.equal(zoneOf('badexample.org', zones), undefined);
  assert.equal(zoneOf('anything.test', ['.']), '');
});

test('a record and its ownership TXT share a message; messages hold at most the batch size', () => {
  const create = Array.from({ length: 7 }, (_, i) => [a(`r${i}.example.org`), owner(`a-r${i}.example.org`, `r${i}.example.org`)]).flat();
  const { batches, outOfZone } = batchChanges({ create, updateOld: [], updateNew: [], delete: [] }, ['example.org'], 4);
  assert.deepEqual(outOfZone, []);
  assert.equal(batches.length, 4);
  for (const b of batches) {
    assert.ok(b.changes.length <= 4);
    const names = b.changes.map((c) => c.endpoint.dnsName);
    for (const n of names.filter((x) => !x.startsWith('a-'))) assert.ok(names.includes(`a-${n}`), `${n} travels with its TXT`);
  }
});

test('changes are split by zone, and names outside every zone are reported', () => {
  const { batches, outOfZone } = batchChanges({ create: [a('x.example.org'), a('y.example.net'), a('z.other.test')], updateOld: [a('u.example.net')], updateNew: [a('u.example.net')], delete: [] },
    ['example.org', 'example.net'], 50);
  assert.deepEqual(batches.map((b) => [b.zone, b.changes.map((c) => `${c.kind} ${c.endpoint.dnsName}`)]), [
    ['example.net', ['update u.example.net', 'create y.example.net']],
    ['example.org', ['create x.example.org']],
  ]);
  assert.deepEqual(outOfZone, ['z.other.test']);
});

test('150,000 changes claiming one owner form one group: no copy per change, no stack overflow, and batching pauses between slices', async () => {
  const n = 150_000;
  const create = Array.from({ length: n }, (_, i) => owner(`t${i}.example.org`, 'victim.example.org'));
  let pauses = 0;
  const { batches } = await paced(batchChangesSliced({ create, updateOld: [], updateNew: [], delete: [] }, ['example.org'], 50), async () => {
    pauses++;
    await Promise.resolve();
  });
  // A group is never split, so it travels as one message; the sender's limits refuse it there.
  assert.deepEqual(batches.map((b) => b.changes.length), [n]);
  assert.ok(pauses >= n / SLICE, `paused ${pauses} times`);
});
