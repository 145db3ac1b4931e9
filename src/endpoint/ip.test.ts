import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalIp, compareIps, isIpv4, isIpv6, parseIp } from './ip.ts';

test('IPv4 follows Go netip rules: four octets, 0..255, no leading zeros', () => {
  for (const ok of ['0.0.0.0', '1.2.3.4', '255.255.255.255', '10.0.0.10']) assert.equal(isIpv4(ok), true, ok);
  for (const bad of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.4.', '1..3.4', '', 'a.b.c.d', '1.2.3.4%eth0', ' 1.2.3.4']) {
    assert.equal(parseIp(bad), undefined, bad);
  }
});

test('IPv6 forms parse: compressed, full, embedded IPv4, zone', () => {
  for (const ok of ['::', '::1', '2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '::ffff:1.2.3.4', 'fe80::1%eth0', '1::', '1:2:3:4:5:6:1.2.3.4']) {
    assert.equal(isIpv6(ok), true, ok);
  }
  for (const bad of ['1:2:3:4:5:6:7:8::', ':::', '1:::2', '1::2::3', '12345::1', '::1%', '1:2:3:4:5:6:7', 'g::1', '1.2.3.4::', '[::1]', '::1/128']) {
    assert.equal(parseIp(bad), undefined, bad);
  }
});

test('canonical IPv6 text is RFC 5952 / Go Addr.String()', () => {
  const cases: [string, string][] = [
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['0:0:0:0:0:0:0:0', '::'],
    ['::ffff:0102:0304', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::102:304'],
    ['FE80::1%eth0', 'fe80::1%eth0'],
    ['1.2.3.4', '1.2.3.4'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalIp(input), want, input);
  assert.equal(canonicalIp('example.com'), undefined);
});

test('canonical text parses back to itself (property)', () => {
  const group = fc.integer({ min: 0, max: 0xffff });
  fc.assert(fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (parts) => {
    const text = parts.map((p) => p.toString(16).padStart(4, '0')).join(':');
    const canonical = canonicalIp(text);
    assert.ok(canonical !== undefined);
    assert.equal(canonicalIp(canonical), canonical);
    assert.deepEqual(parseIp(canonical)?.parts, parts);
  }), { numRuns: 300 });
});

test('compareIps: IPv4 before IPv6, then numeric', () => {
  const ip = (s: string) => parseIp(s) ?? assert.fail(s);
  assert.ok(compareIps(ip('9.0.0.1'), ip('10.0.0.1')) < 0);
  assert.ok(compareIps(ip('255.255.255.255'), ip('::')) < 0);
  assert.ok(compareIps(ip('::2'), ip('::10')) < 0);
  assert.equal(compareIps(ip('2001:db8::1'), ip('2001:DB8:0::1')), 0);
});
