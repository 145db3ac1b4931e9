import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type EndpointInit } from './endpoint.ts';
import { validateEndpoint } from './validate.ts';

const alias = (value: string) => [{ name: 'alias', value }];

function reason(init: EndpointInit): string | undefined {
  return validateEndpoint(newEndpoint(init));
}

const valid: [string, EndpointInit][] = [
  ['A with IPv4', { dnsName: 'example.com', recordType: 'A', targets: ['192.168.1.1'] }],
  ['AAAA with IPv6', { dnsName: 'example.com', recordType: 'AAAA', targets: ['2001:db8::1'] }],
  ['A alias to a hostname', { dnsName: 'example.com', recordType: 'A', targets: ['elb.amazonaws.com'], providerSpecific: alias('true') }],
  ['AAAA alias=AAAA', { dnsName: 'example.com', recordType: 'AAAA', targets: ['dualstack.elb.amazonaws.com'], providerSpecific: alias('AAAA') }],
  ['CNAME alias', { dnsName: 'example.com', recordType: 'CNAME', targets: ['d1.cloudfront.net'], providerSpecific: alias('true') }],
  ['MX', { dnsName: 'example.com', recordType: 'MX', targets: ['10 mail.example.com'] }],
  ['SRV', { dnsName: '_sip._tcp.example.com', recordType: 'SRV', targets: ['10 5 5060 sip.example.com.'] }],
  ['PTR v4', { dnsName: '2.49.168.192.in-addr.arpa', recordType: 'PTR', targets: ['web.example.com'] }],
  ['PTR v6', { dnsName: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', recordType: 'PTR', targets: ['v6.example.com'] }],
  ['unknown type passes', { dnsName: 'example.com', recordType: 'CAA', targets: ['0 issue "letsencrypt.org"'] }],
  ['wildcard', { dnsName: '*.example.com', recordType: 'CNAME', targets: ['lb.example.com'] }],
  ['label of 63', { dnsName: `${'a'.repeat(63)}.example.com`, recordType: 'A', targets: ['1.1.1.1'] }],
  ['name of 253', { dnsName: `${'abcdefghi.'.repeat(25)}com`, recordType: 'A', targets: ['1.1.1.1'] }],
  ['TTL max', { dnsName: 'example.com', recordType: 'A', targets: ['1.1.1.1'], recordTTL: 2147483647 }],
];

for (const [name, init] of valid) {
  test(`valid: ${name}`, () => {
    assert.equal(reason(init), undefined);
  });
}

const invalid: [string, EndpointInit, RegExp][] = [
  ['empty name', { dnsName: '', recordType: 'A', targets: ['1.1.1.1'] }, /empty/],
  ['empty label', { dnsName: 'a..example.com', recordType: 'A', targets: ['1.1.1.1'] }, /empty label/],
  ['label of 64', { dnsName: `${'a'.repeat(64)}.example.com`, recordType: 'A', targets: ['1.1.1.1'] }, /at most 63/],
  ['name of 254', { dnsName: `${'abcdefghi.'.repeat(25)}come`, recordType: 'A', targets: ['1.1.1.1'] }, /at most 253/],
  ['no record type', { dnsName: 'example.com', recordType: '', targets: ['1.1.1.1'] }, /no record type/],
  ['negative TTL', { dnsName: 'example.com', recordType: 'A', targets: ['1.1.1.1'], recordTTL: -1 }, /TTL -1/],
  ['TTL too large', { dnsName: 'example.com', recordType: 'A', targets: ['1.1.1.1'], recordTTL: 2147483648 }, /TTL/],
  ['A with hostname', { dnsName: 'example.com', recordType: 'A', targets: ['not-an-ip'] }, /not an IP/],
  ['A with IPv6', { dnsName: 'example.com', recordType: 'A', targets: ['2001:db8::1'] }, /IPv6/],
  ['AAAA with IPv4', { dnsName: 'example.com', recordType: 'AAAA', targets: ['192.168.1.1'] }, /IPv4/],
  ['A alias=false with hostname', { dnsName: 'example.com', recordType: 'A', targets: ['elb.example'], providerSpecific: alias('false') }, /not an IP/],
  ['alias on MX', { dnsName: 'example.com', recordType: 'MX', targets: ['10 mail.example.com'], providerSpecific: alias('true') }, /alias/],
  ['alias=false on TXT', { dnsName: 'example.com', recordType: 'TXT', targets: ['x'], providerSpecific: alias('false') }, /alias/],
  ['MX without preference', { dnsName: 'example.com', recordType: 'MX', targets: ['mail.example.com'] }, /MX/],
  ['MX preference too large', { dnsName: 'example.com', recordType: 'MX', targets: ['65536 mail.example.com'] }, /preference/],
  ['SRV with three fields', { dnsName: '_s._tcp.example.com', recordType: 'SRV', targets: ['10 5 example.com.'] }, /SRV/],
  ['SRV host without dot', { dnsName: '_s._tcp.example.com', recordType: 'SRV', targets: ['10 5 5060 example.com'] }, /dot/],
  ['SRV port not a number', { dnsName: '_s._tcp.example.com', recordType: 'SRV', targets: ['10 5 http example.com.'] }, /port/],
  ['PTR outside arpa', { dnsName: 'web.example.com', recordType: 'PTR', targets: ['a.example.com'] }, /in-addr.arpa/],
  ['PTR bare suffix', { dnsName: 'in-addr.arpa', recordType: 'PTR', targets: ['a.example.com'] }, /in-addr.arpa/],
  ['PTR to an IP', { dnsName: '1.0.0.10.in-addr.arpa', recordType: 'PTR', targets: ['10.0.0.1'] }, /hostnames/],
  ['PTR without target', { dnsName: '1.0.0.10.in-addr.arpa', recordType: 'PTR', targets: [] }, /no target/],
  ['PTR empty target', { dnsName: '1.0.0.10.in-addr.arpa', recordType: 'PTR', targets: [' '] }, /empty target/],
];

for (const [name, init, pattern] of invalid) {
  test(`invalid: ${name}`, () => {
    const got = reason(init);
    assert.ok(got !== undefined, 'expected a reason');
    assert.match(got, pattern);
  });
}
