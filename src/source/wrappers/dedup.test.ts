import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { dedupEndpoints } from './dedup.ts';

test('invalid endpoints are dropped and counted per record type and source kind', () => {
  const bad = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['not-an-ip'], labels: { resource: 'crd/default/x' } });
  const good = newEndpoint({ dnsName: 'b.example.org', recordType: 'A', targets: ['192.0.2.1'] });
  const got = dedupEndpoints([bad, good]);
  assert.deepEqual(got.endpoints, [good]);
  assert.equal(got.rejected.length, 1);
  assert.equal(got.rejected[0]?.endpoint, bad);
  assert.ok((got.rejected[0]?.reason ?? '').length > 0);
  assert.deepEqual(got.invalid, [{ recordType: 'A', sourceType: 'crd', count: 1 }]);
});

test('targets are sorted and de-duplicated; exact duplicates collapse into the first', () => {
  const first = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.2', '192.0.2.1', '192.0.2.2'], labels: { resource: 'service/default/a' } });
  const again = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], labels: { resource: 'service/default/b' } });
  const otherSet = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], setIdentifier: 'eu' });
  const got = dedupEndpoints([first, again, otherSet]);
  assert.deepEqual(got.endpoints.map((e) => [e.targets, e.setIdentifier, e.labels.resource]), [
    [['192.0.2.1', '192.0.2.2'], '', 'service/default/a'],
    [['192.0.2.1', '192.0.2.2'], 'eu', undefined],
  ]);
  assert.deepEqual(got.duplicates, [{ recordType: 'A', sourceType: 'service', count: 1 }]);
  assert.deepEqual(first.targets, ['192.0.2.2', '192.0.2.1', '192.0.2.2'], 'input is not mutated');
});
