import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { postProcess, retainProviderProperties } from './post-process.ts';

const props = [
  { name: 'webhook/x', value: '1' },
  { name: 'aws/weight', value: '10' },
  { name: 'alias', value: 'true' },
  { name: 'record-type', value: 'ptr' },
  { name: 'external-dns.kubernetes.io/cloudflare-proxied', value: 'true' },
];

test('only the chosen provider\'s properties and unscoped ones are kept, sorted', () => {
  assert.deepEqual(retainProviderProperties(props, 'webhook').map((p) => p.name), ['alias', 'record-type', 'webhook/x']);
  assert.deepEqual(retainProviderProperties(props, 'aws').map((p) => p.name), ['alias', 'aws/weight', 'record-type']);
  assert.equal(retainProviderProperties(props, 'cloudflare').length, props.length);
  assert.equal(retainProviderProperties(props, '').length, props.length);
});

test('min TTL only where unset; prefer-alias only on CNAMEs without alias; input not mutated', () => {
  const unset = newEndpoint({ dnsName: 'a.example.org', recordType: 'CNAME', targets: ['x.example.net'] });
  const set = newEndpoint({ dnsName: 'b.example.org', recordType: 'A', targets: ['192.0.2.1'], recordTTL: 30 });
  const noAlias = newEndpoint({ dnsName: 'c.example.org', recordType: 'CNAME', targets: ['y.example.net'], providerSpecific: [{ name: 'alias', value: 'false' }] });
  const out = postProcess([unset, set, noAlias], { minTtl: 300, provider: 'pdns', preferAlias: true });
  assert.deepEqual(out.map((e) => [e.recordTTL, e.providerSpecific]), [
    [300, [{ name: 'alias', value: 'true' }]],
    [30, []],
    [300, [{ name: 'alias', value: 'false' }]],
  ]);
  assert.equal(unset.recordTTL, 0);
  assert.deepEqual(unset.providerSpecific, []);
});

test('nothing configured leaves endpoints untouched', () => {
  const ep = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1'], providerSpecific: [{ name: 'z', value: '1' }, { name: 'a', value: '2' }] });
  assert.deepEqual(postProcess([ep], { minTtl: 0, provider: '', preferAlias: false }), [ep]);
});
