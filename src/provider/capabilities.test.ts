import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import { admitEndpoint, DNS_SERVER_CAPABILITIES, PERMISSIVE_CAPABILITIES, printableName, type ProviderCapabilities } from './capabilities.ts';

const a = (dnsName: string, targets = ['192.0.2.1']): Endpoint => newEndpoint({ dnsName, recordType: 'A', targets });

function reason(ep: Endpoint, caps: ProviderCapabilities = DNS_SERVER_CAPABILITIES): string {
  const r = admitEndpoint(ep, caps);
  return r.ok ? '' : r.reason;
}

test('an IDN name becomes its A-label (as DNS holds it); the endpoint is a copy', () => {
  const ep = a('Bücher.example.org');
  const r = admitEndpoint(ep, DNS_SERVER_CAPABILITIES);
  assert.ok(r.ok);
  assert.equal(r.value.dnsName, 'xn--bcher-kva.example.org');
  assert.equal(ep.dnsName, 'Bücher.example.org', 'input untouched');
  const cname = admitEndpoint(newEndpoint({ dnsName: 'x.example.org', recordType: 'CNAME', targets: ['bücher.example.org'] }), DNS_SERVER_CAPABILITIES);
  assert.ok(cname.ok);
  assert.deepEqual(cname.value.targets, ['xn--bcher-kva.example.org']);
});

test('valid names pass unchanged (same object): wildcards, underscores, upper case, trailing dot', () => {
  for (const name of ['*.example.org', '_acme-challenge.example.org', 'WWW.Example.org', 'a.b-c.example.org.', 'xn--bcher-kva.example.org']) {
    const ep = a(name);
    const r = admitEndpoint(ep, DNS_SERVER_CAPABILITIES);
    assert.ok(r.ok && r.value === ep, name);
  }
  assert.equal(reason(newEndpoint({ dnsName: 'a-*.example.org', recordType: 'TXT', targets: ['x'] })), '', 'ExternalDNS\'s TXT name of a wildcard');
});

test('names no provider can hold are refused, saying why', () => {
  assert.match(reason(a('-dash.example.org')), /starts or ends with '-'/);
  assert.match(reason(a('dash-.example.org')), /starts or ends with '-'/);
  assert.match(reason(a('new\nline.example.org')), /U\+000A/);
  assert.match(reason(a('b\ufffdad.example.org')), /not valid UTF-8/);
  assert.match(reason(a('lone\ud800.example.org')), /not valid UTF-8/);
  assert.match(reason(a('zero\u200bwidth.example.org')), /U\+200B/);
  assert.match(reason(a('sp ace.example.org')), /U\+0020/);
  assert.match(reason(a(`${'x'.repeat(64)}.example.org`)), /64 bytes long; DNS allows 63/);
  assert.match(reason(a('a..example.org')), /empty label/);
  assert.match(reason(a('a.*.example.org')), /'\*', allowed only as the whole first label/);
  assert.match(reason(a('under/score.example.org')), /other than letters, digits/);
  assert.match(reason(newEndpoint({ dnsName: 'c.example.org', recordType: 'CNAME', targets: ['bad\ttarget.example.org'] })), /target: .*U\+0009/);
});

test('the rules every provider gets apply to a permissive (webhook) provider too; the name rule does not', () => {
  assert.equal(reason(a('-dash.example.org'), PERMISSIVE_CAPABILITIES), '');
  assert.match(reason(a('new\nline.example.org'), PERMISSIVE_CAPABILITIES), /U\+000A/);
  assert.equal(reason(newEndpoint({ dnsName: 'x.example.org', recordType: 'CAA', targets: ['0 issue "ca"'] }), PERMISSIVE_CAPABILITIES), '');
});

test('record types and TXT sizes follow the declaration', () => {
  const route53: ProviderCapabilities = { ...DNS_SERVER_CAPABILITIES, recordTypes: ['A', 'TXT'], maxTxtBytes: 4_000 };
  assert.match(reason(newEndpoint({ dnsName: 'd.example.org', recordType: 'DNAME', targets: ['x.example.org'] }), route53), /cannot hold DNAME records/);
  const txt = (n: number): Endpoint => newEndpoint({ dnsName: 't.example.org', recordType: 'TXT', targets: ['x'.repeat(n)] });
  assert.equal(reason(txt(4_000), route53), '');
  assert.match(reason(txt(4_001), route53), /4001 bytes is longer than the provider holds \(4000\)/);
  assert.equal(reason(txt(65_279)), '');
  assert.match(reason(txt(70_000)), /70000 bytes/);
  assert.match(reason(newEndpoint({ dnsName: 't.example.org', recordType: 'TXT', targets: ['é'.repeat(40_000)] })), /80000 bytes/, 'counted in UTF-8 bytes');
});

test('printableName escapes what would break a log line', () => {
  assert.equal(printableName('www.example.org'), 'www.example.org');
  assert.equal(printableName('bücher.example.org'), 'bücher.example.org');
  assert.equal(printableName('a\nb'), '"a\\nb"');
  assert.equal(printableName('a\u2028b\ufffd'), '"a\\u2028b\\ufffd"');
});
