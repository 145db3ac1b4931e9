import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../endpoint/endpoint.ts';
import { createDomainFilter } from '../endpoint/domain-filter.ts';
import { createInMemoryProvider } from '../provider/inmemory/inmemory.ts';
import { createNoopRegistry } from '../registry/noop/noop.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { admitDesired, RefusalLog } from './admission.ts';

const registry = createNoopRegistry(createInMemoryProvider({ zones: ['example.org'] }));
const a = (dnsName: string) => newEndpoint({ dnsName, recordType: 'A', targets: ['192.0.2.1'], labels: { resource: 'crd/t/x' } });

test('only endpoints the plan would look at are checked: other types and names outside the filters pass untouched', () => {
  const scope = { domainFilters: [createDomainFilter({ include: ['example.org'] })], managedRecordTypes: ['A', 'CNAME'], excludeRecordTypes: ['CNAME'] };
  const outside = a('-x.example.net');
  const unmanaged = newEndpoint({ dnsName: '-y.example.org', recordType: 'CNAME', targets: ['z.example.org'] });
  const result = admitDesired([outside, unmanaged, a('-bad.example.org'), a('Bücher.example.org')], registry, scope);
  assert.deepEqual(result.refused.map((r) => r.endpoint.dnsName), ['-bad.example.org']);
  assert.deepEqual(result.admitted.map((e) => e.dnsName), ['-x.example.net', '-y.example.org', 'xn--bcher-kva.example.org']);
});

test('a refusal is warned about the first sync it appears, then at debug level while it lasts, and again if it comes back', () => {
  const log = captureLogger();
  const refusals = new RefusalLog(log.logger);
  const r = { endpoint: a('-bad.example.org'), reason: 'bad' };
  assert.equal(refusals.report([r]).length, 1);
  assert.equal(refusals.report([r]).length, 0);
  assert.equal(refusals.report([]).length, 0);
  assert.equal(refusals.report([r]).length, 1);
  assert.equal((log.text().match(/Dropping -bad\.example\.org A from crd\/t\/x: bad/g) ?? []).length, 2);
});
