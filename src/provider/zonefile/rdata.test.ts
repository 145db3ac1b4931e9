import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { adjustEndpoint, recordsToEndpoints } from './endpoints.ts';
import { parseZone } from './parse.ts';
import { canonicalTarget, targetToRdata } from './rdata.ts';
import { RdataError } from './text.ts';

describe('canonicalTarget', () => {
  const cases: [type: string, input: string, want: string][] = [
    ['A', '192.0.2.1', '192.0.2.1'],
    ['AAAA', '2001:DB8:0000::0:1', '2001:db8::1'],
    ['AAAA', '::ffff:192.0.2.1', '::ffff:c000:201'],
    ['CNAME', 'LB.Example.NET.', 'lb.example.net'],
    ['CNAME', 'lb.example.net', 'lb.example.net'],
    ['NS', 'ns1.example.org.', 'ns1.example.org'],
    ['MX', '10 Mail.Example.com.', '10 mail.example.com'],
    ['MX', '010 mail.example.com', '10 mail.example.com'],
    ['SRV', '0 50 443 Host.Example.com', '0 50 443 host.example.com.'],
    ['TXT', 'heritage=external-dns,external-dns/owner=x', '"heritage=external-dns,external-dns/owner=x"'],
    ['TXT', '"heritage=external-dns,external-dns/owner=x"', '"heritage=external-dns,external-dns/owner=x"'],
    ['TXT', 'v=spf1 include:_spf.example.com ~all', '"v=spf1 include:_spf.example.com ~all"'],
    ['TXT', 'say "hi"; a\\b', '"say \\"hi\\"; a\\\\b"'],
    ['TXT', '"a" "b"', '"a" "b"'],
    ['TXT', '', '""'],
    ['NAPTR', '100 10 "U" "E2U+sip" "!^.*$!sip:x@example.com!" .', '100 10 "U" "E2U+sip" "!^.*$!sip:x@example.com!" .'],
    ['CAA', '0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"'],
  ];
  for (const [type, input, want] of cases) {
    test(`${type} ${input}`, () => {
      assert.equal(canonicalTarget(type, input), want);
    });
  }

  test('raw TXT longer than 255 bytes is split into strings of at most 255 bytes', () => {
    const value = `${'x'.repeat(300)}é${'y'.repeat(260)}`;
    const target = canonicalTarget('TXT', value);
    const strings = [...target.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
    assert.equal(strings.join(''), value);
    for (const s of strings) assert.ok(new TextEncoder().encode(s).length <= 255);
  });

  test('invalid data is an RdataError', () => {
    assert.throws(() => targetToRdata('A', 'not-an-ip'), RdataError);
    assert.throws(() => targetToRdata('MX', 'mail.example.com'), RdataError);
    assert.throws(() => targetToRdata('SRV', '1 2 host.example.com.'), RdataError);
  });
});

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => `${ls.join('.')}.example.net`);
const hostCase = fc.tuple(host, fc.boolean(), fc.boolean()).map(([h, upper, dot]) => `${upper ? h.toUpperCase() : h}${dot ? '.' : ''}`);
const u16 = fc.integer({ min: 0, max: 65535 });
const target = fc.oneof(
  fc.ipV4().map((t) => ['A', t] as const),
  fc.ipV6().map((t) => ['AAAA', t] as const),
  hostCase.map((t) => ['CNAME', t] as const),
  fc.tuple(u16, hostCase).map(([p, h]) => ['MX', `${p} ${h}`] as const),
  fc.tuple(u16, u16, u16, hostCase).map(([a, b, c, h]) => ['SRV', `${a} ${b} ${c} ${h}`] as const),
  fc.string({ unit: 'binary', maxLength: 600 }).map((t) => ['TXT', t] as const),
);

describe('zero churn (property)', () => {
  test('canonicalTarget is idempotent', () => {
    fc.assert(
      fc.property(target, ([type, t]) => {
        const once = canonicalTarget(type, t);
        assert.equal(canonicalTarget(type, once), once);
      }),
      { numRuns: 2000 },
    );
  });

  test('adjusted endpoint → written line → parse → records() gives the adjusted endpoint back', () => {
    fc.assert(
      fc.property(target, fc.integer({ min: 1, max: 86400 }), ([type, t], ttl) => {
        const desired = adjustEndpoint(newEndpoint({ dnsName: 'Rec.Example.COM.', recordType: type, targets: [t], recordTTL: ttl }));
        const rdata = targetToRdata(type, desired.targets[0] ?? '');
        const text = `@ 300 IN SOA ns1.example.com. h.example.com. 1 2 3 4 5\nrec ${ttl} IN ${type} ${rdata}\n`;
        const [read] = recordsToEndpoints(parseZone(text, { origin: 'example.com', file: 'x' }).records);
        assert.deepEqual(read, { ...desired, labels: {} });
      }),
      { numRuns: 1000 },
    );
  });
});
