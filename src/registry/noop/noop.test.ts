import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { createInMemoryProvider } from '../../provider/inmemory/inmemory.ts';
import { createNoopRegistry } from './noop.ts';

const signal = new AbortController().signal;

test('noop registry: owner id "", records and changes pass through untouched, no TXT written', async () => {
  const provider = createInMemoryProvider({ zones: ['example.com'] });
  const registry = createNoopRegistry(provider);
  assert.equal(registry.ownerId(), '');
  const a = newEndpoint({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1'] });
  const spf = newEndpoint({ dnsName: 'a-www.example.com', recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=x"'] });
  await registry.applyChanges({ ...emptyChanges(), create: [a, spf] }, signal);
  assert.deepEqual(await registry.records(signal), await provider.records(signal));
  assert.deepEqual((await registry.records(signal)).map((e) => e.dnsName).sort(), ['a-www.example.com', 'www.example.com']);
  assert.deepEqual((await registry.records(signal)).find((e) => e.recordType === 'A')?.labels, {}, 'no owner label is set');
  await registry.applyChanges({ ...emptyChanges(), delete: [a] }, signal);
  assert.equal(provider.zoneRecords('example.com').length, 1);
  assert.equal(registry.domainFilter(), provider.domainFilter());
  assert.deepEqual(await registry.adjustEndpoints([a]), [a]);
});
