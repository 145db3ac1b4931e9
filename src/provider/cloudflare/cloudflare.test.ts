import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { resolveCredentials } from './credentials.ts';
import { adjustEndpoint, PROXIED_PROPERTY, shouldBeProxied } from './mapping.ts';

const proxiedAnnotation = (value: string) => [{ name: 'external-dns.alpha.kubernetes.io/cloudflare-proxied', value }];

test('proxied: the annotation wins over --cloudflare-proxied when it parses as a Go bool; TXT, MX, SRV, NS never', () => {
  assert.equal(shouldBeProxied(newEndpoint({ dnsName: 'a.x', recordType: 'A' }), true), true);
  assert.equal(shouldBeProxied(newEndpoint({ dnsName: 'a.x', recordType: 'A', providerSpecific: proxiedAnnotation('false') }), true), false);
  assert.equal(shouldBeProxied(newEndpoint({ dnsName: 'a.x', recordType: 'A', providerSpecific: proxiedAnnotation('T') }), false), true);
  assert.equal(shouldBeProxied(newEndpoint({ dnsName: 'a.x', recordType: 'A', providerSpecific: proxiedAnnotation('yes') }), true), true, 'unparsable: the flag');
  assert.equal(shouldBeProxied(newEndpoint({ dnsName: 'a.x', recordType: 'TXT', providerSpecific: proxiedAnnotation('true') }), true), false);
});

const off = { proxiedByDefault: false, comment: '', customHostnames: false, regionKey: undefined };

test('adjustEndpoints: one canonical proxied property, lower-case name, automatic TTL when proxied', () => {
  const ep = adjustEndpoint(newEndpoint({ dnsName: 'Web.Example.COM.', recordType: 'CNAME', targets: ['x.example.net'], recordTTL: 300,
    providerSpecific: [{ name: 'external-dns.kubernetes.io/cloudflare-proxied', value: 'true' }] }), off);
  assert.equal(ep.dnsName, 'web.example.com');
  assert.equal(ep.recordTTL, 0);
  assert.deepEqual(ep.providerSpecific, [{ name: PROXIED_PROPERTY, value: 'true' }]);
});

test('credentials: CF_API_TOKEN (file: read and trimmed) before CF_API_KEY + CF_API_EMAIL; neither is a config error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-cf-'));
  try {
    await writeFile(join(dir, 't'), '  tok-123\n');
    assert.deepEqual(await resolveCredentials({ apiToken: `file:${join(dir, 't')}`, apiKey: 'k', apiEmail: 'e' }), { kind: 'token', token: 'tok-123' });
    assert.deepEqual(await resolveCredentials({ apiKey: 'k', apiEmail: 'e@x' }), { kind: 'key', key: 'k', email: 'e@x' });
    await assert.rejects(resolveCredentials({ apiKey: 'k' }), (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_CLOUDFLARE_CONFIG');
    await assert.rejects(resolveCredentials({ apiToken: `file:${join(dir, 'missing')}` }), (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_CLOUDFLARE_CONFIG');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('adjustEndpoints: comment from the flag unless annotated, tags sorted, custom hostnames only when on and only on A/CNAME, region key defaulted on A/AAAA/CNAME', () => {
  const P = 'external-dns.kubernetes.io/';
  const on = { proxiedByDefault: false, comment: 'flag', customHostnames: true, regionKey: 'eu' };
  const props = (ep: ReturnType<typeof adjustEndpoint>): string[] => ep.providerSpecific.map((p) => `${p.name.replace(/^.*\//, '')}=${p.value}`).sort();
  const a = newEndpoint({ dnsName: 'a.x', recordType: 'A', targets: ['192.0.2.1'], providerSpecific: [
    { name: `${P}cloudflare-tags`, value: 'b, a,' }, { name: `${P}cloudflare-custom-hostname`, value: 'z.shop.net,y.shop.net' }] });
  assert.deepEqual(props(adjustEndpoint(a, on)), ['cloudflare-custom-hostname=y.shop.net,z.shop.net', 'cloudflare-proxied=false',
    'cloudflare-record-comment=flag', 'cloudflare-region-key=eu', 'cloudflare-tags=a,b']);
  assert.deepEqual(props(adjustEndpoint(a, off)), ['cloudflare-proxied=false', 'cloudflare-tags=a,b']);
  const aaaa = newEndpoint({ dnsName: 'a.x', recordType: 'AAAA', targets: ['2001:db8::1'], providerSpecific: [
    { name: `${P}cloudflare-custom-hostname`, value: 'z.shop.net' }, { name: `${P}cloudflare-region-key`, value: 'us' }, { name: `${P}cloudflare-record-comment`, value: 'mine' }] });
  assert.deepEqual(props(adjustEndpoint(aaaa, on)), ['cloudflare-proxied=false', 'cloudflare-record-comment=mine', 'cloudflare-region-key=us']);
  const txt = newEndpoint({ dnsName: 'a.x', recordType: 'TXT', targets: ['"v"'] });
  assert.deepEqual(props(adjustEndpoint(txt, on)), ['cloudflare-proxied=false', 'cloudflare-record-comment=flag']);
});
