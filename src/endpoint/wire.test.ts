import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../errors/errors.ts';
import { newEndpoint } from './endpoint.ts';
import { changesFromWire, changesToWire, endpointFromWire, endpointsFromWire, endpointToWire } from './wire.ts';

test('endpointToWire: Go key order, empty fields omitted, label keys sorted', () => {
  const ep = newEndpoint({
    dnsName: 'www.example.com', recordType: 'A', targets: ['1.2.3.4'], setIdentifier: 'eu', recordTTL: 300,
    labels: { resource: 'ingress/default/web', owner: 'me' }, providerSpecific: [{ name: 'alias', value: 'false' }, { name: 'x', value: '' }],
  });
  assert.equal(JSON.stringify(endpointToWire(ep)),
    '{"dnsName":"www.example.com","targets":["1.2.3.4"],"recordType":"A","setIdentifier":"eu","recordTTL":300,' +
    '"labels":{"owner":"me","resource":"ingress/default/web"},"providerSpecific":[{"name":"alias","value":"false"},{"name":"x"}]}');
  assert.equal(JSON.stringify(endpointToWire(newEndpoint({ dnsName: 'a.example', recordType: 'CNAME' }))), '{"dnsName":"a.example","recordType":"CNAME"}');
});

test('endpointFromWire: all keys optional, nulls are zero values, unknown keys ignored', () => {
  const ep = endpointFromWire({ dnsName: 'a.example', targets: null, labels: { owner: null }, providerSpecific: null, extra: 1 });
  assert.deepEqual(ep, { dnsName: 'a.example', targets: [], recordType: '', setIdentifier: '', recordTTL: 0, labels: { owner: '' }, providerSpecific: [] });
  assert.deepEqual(endpointFromWire({}).targets, []);
});

test('round trip through JSON', () => {
  const ep = newEndpoint({ dnsName: 'x.example', recordType: 'TXT', targets: ['"v=1"'], recordTTL: 60, labels: { a: 'b' }, providerSpecific: [{ name: 'n', value: 'v' }] });
  assert.deepEqual(endpointFromWire(JSON.parse(JSON.stringify(endpointToWire(ep)))), ep);
});

test('wrong types are errors naming the path', () => {
  const cases: [unknown, RegExp][] = [
    [{ create: [{}, {}, {}, { recordTTL: '60' }] }, /^create\[3\]\.recordTTL must be an integer, got string "60"/],
    [{ create: [{ recordTTL: 1.5 }] }, /create\[0\]\.recordTTL must be an integer/],
    [{ delete: [{ targets: ['a', 2] }] }, /delete\[0\]\.targets\[1\] must be a string/],
    [{ updateOld: [{ labels: { owner: 3 } }], updateNew: [{}] }, /updateOld\[0\]\.labels\.owner must be a string/],
    [{ updateNew: [null], updateOld: [{}] }, /updateNew\[0\] must be an object, got null/],
    [{ create: {} }, /create must be an array/],
    [{ create: [{ providerSpecific: [{ name: 1 }] }] }, /create\[0\]\.providerSpecific\[0\]\.name must be a string/],
    ['nope', /changes must be an object/],
  ];
  for (const [value, pattern] of cases) {
    assert.throws(() => changesFromWire(value), (err: unknown) => {
      assert.ok(ExtdnsError.is(err));
      assert.equal(err.code, 'EXTDNS_ENDPOINT_WIRE');
      assert.match(err.message, pattern);
      return true;
    });
  }
});

test('changesToWire: keys in Go order, omitted when empty', () => {
  const a = newEndpoint({ dnsName: 'a.example', recordType: 'A', targets: ['1.1.1.1'] });
  const b = newEndpoint({ dnsName: 'a.example', recordType: 'A', targets: ['2.2.2.2'] });
  const wire = changesToWire({ create: [], updateOld: [a], updateNew: [b], delete: [a] });
  assert.deepEqual(Object.keys(wire), ['updateOld', 'updateNew', 'delete']);
  assert.equal(JSON.stringify(changesToWire({ create: [], updateOld: [], updateNew: [], delete: [] })), '{}');
  assert.deepEqual(changesFromWire(JSON.parse(JSON.stringify(wire))), { create: [], updateOld: [a], updateNew: [b], delete: [a] });
});

test('changesFromWire: null is no changes; unpaired updates are refused', () => {
  assert.deepEqual(changesFromWire(null), { create: [], updateOld: [], updateNew: [], delete: [] });
  assert.deepEqual(changesFromWire({ create: null }).create, []);
  assert.throws(() => changesFromWire({ updateOld: [{}], updateNew: [] }), /1 updateOld and 0 updateNew/);
});

test('endpointsFromWire reads a list', () => {
  assert.deepEqual(endpointsFromWire(null), []);
  assert.equal(endpointsFromWire([{ dnsName: 'a' }, { dnsName: 'b' }]).length, 2);
  assert.throws(() => endpointsFromWire({}), /endpoints must be an array/);
  assert.throws(() => endpointsFromWire([{ dnsName: 1 }]), /endpoints\[0\]\.dnsName/);
});
