import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { addNat64Endpoints, embeddedIpv4, parseNat64Networks } from './nat64.ts';

test('the IPv4 address is read from the last 32 bits of an address inside a /96', () => {
  const nets = parseNat64Networks(['2001:db8:96::/96', ' 64:ff9b::/96 ']);
  assert.equal(embeddedIpv4('2001:db8:96::c633:640a', nets), '198.51.100.10');
  assert.equal(embeddedIpv4('2001:DB8:96::198.51.100.11', nets), '198.51.100.11');
  assert.equal(embeddedIpv4('64:ff9b::808:808', nets), '8.8.8.8');
  assert.equal(embeddedIpv4('64:ff9b::', nets), '0.0.0.0');
  assert.equal(embeddedIpv4('2001:db8:97::c633:640a', nets), undefined, 'outside every network');
  assert.equal(embeddedIpv4('64:ff9b:0:0:1::808:808', nets), undefined, 'differs in the sixth group');
  assert.equal(embeddedIpv4('64:ff9b::808:808%eth0', nets), undefined, 'zoned');
  assert.equal(embeddedIpv4('198.51.100.10', nets), undefined);
  assert.equal(embeddedIpv4('lb.example.net', nets), undefined);
});

test('a network written with host bits still covers its /96', () => {
  const nets = parseNat64Networks(['2001:db8:96::1:2/96']);
  assert.equal(embeddedIpv4('2001:db8:96::c000:201', nets), '192.0.2.1');
});

test('only IPv6 /96 networks are accepted, as in ExternalDNS', () => {
  for (const bad of ['2001:db8::/64', '2001:db8::/128', '192.0.2.0/24', '10.0.0.0/96']) {
    assert.throws(() => parseNat64Networks([bad]), (err: unknown) =>
      err instanceof ExtdnsError && err.message.includes(`"${bad}"`) && err.message.includes('/96'));
  }
  for (const bad of ['2001:db8::', 'nat64', '2001:db8::/96/1', 'fe80::%eth0/96', '2001:db8::/x']) {
    assert.throws(() => parseNat64Networks([bad]), (err: unknown) => err instanceof ExtdnsError && err.message.includes('CIDR'));
  }
  assert.deepEqual(parseNat64Networks([]), []);
});

test('an AAAA with targets in a network gains an A copy with the embedded addresses', () => {
  const nets = parseNat64Networks(['2001:db8:96::/96']);
  const aaaa = newEndpoint({
    dnsName: 'web.example.org', recordType: 'AAAA', targets: ['2001:db8:96::c633:640a', '2001:db8:1::1', '2001:db8:96::c633:640b'],
    setIdentifier: 'eu', recordTTL: 120, labels: { resource: 'service/default/web' }, providerSpecific: [{ name: 'alias', value: 'false' }],
  });
  const other = newEndpoint({ dnsName: 'v6only.example.org', recordType: 'AAAA', targets: ['2001:db8:1::2'] });
  const a = newEndpoint({ dnsName: 'v4.example.org', recordType: 'A', targets: ['192.0.2.1'] });
  const out = addNat64Endpoints([aaaa, other, a], nets);
  assert.equal(out.length, 4);
  assert.deepEqual(out.slice(0, 3), [aaaa, other, a], 'the originals come first, unchanged');
  assert.deepEqual(out[3], { ...aaaa, recordType: 'A', targets: ['198.51.100.10', '198.51.100.11'] });
  assert.notEqual(out[3]?.labels, aaaa.labels, 'labels are copied, not shared');
  assert.notEqual(out[3]?.providerSpecific, aaaa.providerSpecific);
});

test('alias AAAA with hostname targets and no networks leave the list alone', () => {
  const nets = parseNat64Networks(['64:ff9b::/96']);
  const alias = newEndpoint({ dnsName: 'x.example.org', recordType: 'AAAA', targets: ['lb.example.net'], providerSpecific: [{ name: 'alias', value: 'true' }] });
  assert.deepEqual(addNat64Endpoints([alias], nets), [alias]);
  const inNet = newEndpoint({ dnsName: 'y.example.org', recordType: 'AAAA', targets: ['64:ff9b::1'] });
  assert.deepEqual(addNat64Endpoints([inNet], []), [inNet]);
});

test('a dual-stack name keeps one A endpoint: the embedded addresses join its targets', () => {
  const nets = parseNat64Networks(['64:ff9b::/96']);
  const a = newEndpoint({ dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.1', '198.51.100.10'], labels: { resource: 'service/default/web' } });
  const aaaa = newEndpoint({ dnsName: 'web.example.org', recordType: 'AAAA', targets: ['64:ff9b::c633:640a', '64:ff9b::c633:640b'] });
  const otherSet = newEndpoint({ dnsName: 'web.example.org', recordType: 'AAAA', targets: ['64:ff9b::c000:202'], setIdentifier: 'eu' });
  const out = addNat64Endpoints([a, aaaa, otherSet], nets);
  assert.deepEqual(out.map((e) => [e.recordType, e.setIdentifier, e.targets]), [
    ['A', '', ['192.0.2.1', '198.51.100.10', '198.51.100.11']],
    ['AAAA', '', ['64:ff9b::c633:640a', '64:ff9b::c633:640b']],
    ['AAAA', 'eu', ['64:ff9b::c000:202']],
    ['A', 'eu', ['192.0.2.2']],
  ]);
  assert.deepEqual(out[0]?.labels, a.labels);
  assert.deepEqual(a.targets, ['192.0.2.1', '198.51.100.10'], 'the input endpoint is not changed');
});
