import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { buildZoneChanges, packBatches, plannedActions } from './batching.ts';
import { parseTagFilter, zonesFor, type ManagedZone } from './zones.ts';

const zones: ManagedZone[] = [
  { id: 'ZPUB', name: 'example.com', private: false, profile: '' },
  { id: 'ZSUB', name: 'sub.example.com', private: false, profile: '' },
  { id: 'ZPRIV', name: 'example.com', private: true, profile: '' },
];

test('a name goes to every matching private zone and the most specific public zone', () => {
  assert.deepEqual(zonesFor('a.sub.example.com', zones).map((z) => z.id), ['ZPRIV', 'ZSUB']);
  assert.deepEqual(zonesFor('a.example.com', zones).map((z) => z.id), ['ZPRIV', 'ZPUB']);
  assert.deepEqual(zonesFor('example.org', zones), []);
});

test('a record and its ownership TXT form one group, in name order', () => {
  const rec = (name: string): ReturnType<typeof newEndpoint> => newEndpoint({ dnsName: `${name}.example.org`, recordType: 'A', targets: ['192.0.2.1'] });
  const txt = (name: string): ReturnType<typeof newEndpoint> => newEndpoint({ dnsName: `a-${name}.example.org`, recordType: 'TXT', targets: ['"x"'], labels: { ownedRecord: `${name}.example.org` } });
  const built = buildZoneChanges({ ...emptyChanges(), create: [txt('b'), rec('a'), rec('b'), txt('a')] }, [{ id: 'Z', name: 'example.org', private: false, profile: '' }], true);
  const groups = built.zones[0]?.groups ?? [];
  assert.deepEqual(groups.map((g) => [g.key, g.changes.map((c) => c.endpoint.dnsName).sort()]), [
    ['a.example.org', ['a-a.example.org', 'a.example.org']],
    ['b.example.org', ['a-b.example.org', 'b.example.org']],
  ]);
});

test('groups pack greedily within every limit; a group too large for any batch comes back apart', () => {
  const g = (n: number, values: number, chars: number): { key: string; changes: never[]; values: number; chars: number } => ({ key: String(n), changes: new Array<never>(n), values, chars });
  const { batches, oversized } = packBatches([g(2, 2, 10), g(2, 2, 10), g(2, 2, 10), g(5, 5, 10), g(1, 1, 100)], { changes: 4, values: 100, chars: 50 });
  assert.deepEqual(batches.map((b) => b.length), [2, 1]);
  assert.deepEqual(oversized.map((o) => o.changes.length), [5, 1]);
});

test('an update that changes the routing policy or alias-ness is a DELETE + CREATE, others are UPSERTs', () => {
  const before = newEndpoint({ dnsName: 'w.example.com', recordType: 'A', targets: ['192.0.2.1'], setIdentifier: 's', providerSpecific: [{ name: 'aws/weight', value: '1' }] });
  const sameKind = { ...before, providerSpecific: [{ name: 'aws/weight', value: '5' }] };
  const otherKind = { ...before, providerSpecific: [{ name: 'aws/failover', value: 'PRIMARY' }] };
  assert.deepEqual(plannedActions({ ...emptyChanges(), updateOld: [before], updateNew: [sameKind] }).map((a) => a.action), ['UPSERT']);
  assert.deepEqual(plannedActions({ ...emptyChanges(), updateOld: [before], updateNew: [otherKind] }).map((a) => a.action), ['DELETE', 'CREATE']);
});

test('--aws-zone-tags: KEY=VALUE must match, KEY alone must exist', () => {
  const f = parseTagFilter(['env=prod', 'team']);
  assert.equal(f.match({ env: 'prod', team: 'x' }), true);
  assert.equal(f.match({ env: 'dev', team: 'x' }), false);
  assert.equal(f.match({ env: 'prod' }), false);
  assert.equal(parseTagFilter([]).isEmpty(), true);
});
