import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { addPtrEndpoints, reverseName } from './ptr.ts';

const a = (name: string, targets: string[], extra: Partial<Endpoint> = {}): Endpoint =>
  ({ ...newEndpoint({ dnsName: name, recordType: 'A', targets }), ...extra });
const ptrsOf = (eps: Endpoint[]): Endpoint[] => eps.filter((e) => e.recordType === 'PTR');

test('reverse names of IPv4, IPv6 and IPv4-mapped addresses', () => {
  assert.equal(reverseName('192.0.2.10'), '10.2.0.192.in-addr.arpa');
  assert.equal(reverseName('2001:db8::567:89ab'), 'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(reverseName('2001:DB8::567:89AB'), reverseName('2001:db8::567:89ab'));
  assert.equal(reverseName('::ffff:192.0.2.1'), '1.2.0.192.in-addr.arpa');
  assert.equal(reverseName('fe80::1%eth0'), undefined);
  assert.equal(reverseName('lb.example.net'), undefined);
  assert.equal(reverseName('192.0.2.010'), undefined);
});

test('--create-ptr: one PTR per address, hostnames grouped, lowest TTL wins', () => {
  const { logger, entries } = captureLogger();
  const eps = [
    a('web.example.org', ['192.0.2.10', '192.0.2.11'], { recordTTL: 300 }),
    a('www.example.org', ['192.0.2.10'], { recordTTL: 60, labels: { resource: 'service/default/www' } }),
    a('api.example.org', ['192.0.2.10'], { recordTTL: 600 }),
    newEndpoint({ dnsName: 'web.example.org', recordType: 'AAAA', targets: ['2001:db8::1'] }),
  ];
  const out = addPtrEndpoints(eps, { createPtr: true }, logger);
  assert.deepEqual(out.slice(0, 4), eps, 'the sources\' endpoints stay, first');
  assert.deepEqual(ptrsOf(out), [
    newEndpoint({ dnsName: '10.2.0.192.in-addr.arpa', recordType: 'PTR', targets: ['web.example.org', 'www.example.org', 'api.example.org'], recordTTL: 60 }),
    newEndpoint({ dnsName: '11.2.0.192.in-addr.arpa', recordType: 'PTR', targets: ['web.example.org'], recordTTL: 300 }),
    newEndpoint({ dnsName: `1.0.0.0.${'0.'.repeat(20)}8.b.d.0.1.0.0.2.ip6.arpa`, recordType: 'PTR', targets: ['web.example.org'] }),
  ]);
  assert.equal(entries.filter((e) => e.level === 'warning' && e.msg.includes('different TTLs')).length, 1, 'only a lower TTL is worth a warning');
});

test('an unset TTL (0) counts as the lowest, as in ExternalDNS', () => {
  const { logger } = captureLogger();
  const out = addPtrEndpoints([a('x.example.org', ['192.0.2.1'], { recordTTL: 300 }), a('y.example.org', ['192.0.2.1'])], { createPtr: true }, logger);
  assert.equal(ptrsOf(out)[0]?.recordTTL, 0);
});

test('the record-type property overrides the flag either way and is removed', () => {
  const { logger } = captureLogger();
  const optIn = a('in.example.org', ['192.0.2.1'], { providerSpecific: [{ name: 'record-type', value: 'PTR' }, { name: 'aws/weight', value: '1' }] });
  const optOut = a('out.example.org', ['192.0.2.2'], { providerSpecific: [{ name: 'record-type', value: '' }] });
  const other = a('other.example.org', ['192.0.2.3'], { providerSpecific: [{ name: 'record-type', value: 'cname' }] });
  const plain = a('plain.example.org', ['192.0.2.4']);
  const off = addPtrEndpoints([optIn, optOut, other, plain], { createPtr: false }, logger);
  assert.deepEqual(ptrsOf(off).map((e) => e.targets), [['in.example.org']]);
  assert.deepEqual(off[0]?.providerSpecific, [{ name: 'aws/weight', value: '1' }]);
  assert.ok(off.slice(0, 4).every((e) => e.providerSpecific.every((p) => p.name !== 'record-type')));
  assert.equal(optIn.providerSpecific.length, 2, 'the input endpoint is not changed');
  const on = addPtrEndpoints([optIn, optOut, other, plain], { createPtr: true }, logger);
  assert.deepEqual(ptrsOf(on).map((e) => e.targets), [['in.example.org'], ['plain.example.org']]);
});

test('wildcards, other record types and non-IP targets get no PTR', () => {
  const { logger, entries } = captureLogger();
  const eps = [
    a('*.example.org', ['192.0.2.1']),
    newEndpoint({ dnsName: 'c.example.org', recordType: 'CNAME', targets: ['web.example.org'], providerSpecific: [{ name: 'record-type', value: 'ptr' }] }),
    a('alias.example.org', ['lb.example.net'], { providerSpecific: [{ name: 'alias', value: 'true' }] }),
  ];
  const out = addPtrEndpoints(eps, { createPtr: true }, logger);
  assert.deepEqual(ptrsOf(out), []);
  assert.deepEqual(out[1]?.providerSpecific, [], 'the annotation is dropped from the CNAME too');
  const warnings = entries.filter((e) => e.level === 'warning').map((e) => e.msg);
  assert.equal(warnings.length, 2);
  assert.ok(warnings.some((m) => m.includes('cannot have PTRs')));
  assert.ok(warnings.some((m) => m.includes('not an IP address')));
});

test('one hostname appears once per PTR even from several endpoints', () => {
  const { logger } = captureLogger();
  const out = addPtrEndpoints([a('w.example.org', ['192.0.2.1'], { setIdentifier: 'eu' }), a('w.example.org', ['192.0.2.1'], { setIdentifier: 'us' })], { createPtr: true }, logger);
  assert.deepEqual(ptrsOf(out).map((e) => [e.targets, e.setIdentifier]), [[['w.example.org'], '']]);
});
