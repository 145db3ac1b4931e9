/**
 * Custom hostnames (--cloudflare-custom-hostnames, the cloudflare-custom-hostname
 * annotation) and regional hostnames (--cloudflare-region-key, the
 * cloudflare-region-key annotation) on the real SDK and the test server:
 * create, update, delete, a no-op re-sync with no write, and what nobody owns
 * (records, custom hostnames served from them or claimed elsewhere, regional
 * hostnames) left untouched.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointInit } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { makeProvider, sync, useServer, zonesFilter } from './harness.ts';

const fixture = useServer();

const CH = 'external-dns.alpha.kubernetes.io/cloudflare-custom-hostname';
const REGION = 'external-dns.alpha.kubernetes.io/cloudflare-region-key';
const SAAS = { minTlsVersion: '1.2', certificateAuthority: 'none' };

const writes = (since: number): string[] => fixture.server.requests.slice(since).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^.*\/zones\/[^/]+/, '')}`);
const customOf = (zoneId: string): string[][] => fixture.server.hostnames.customHostnames(zoneId).map((c) => [c.hostname, c.custom_origin_server]).sort();
const web = (zone: string, hostnames: string | undefined, target = '192.0.2.1'): EndpointInit => ({
  dnsName: `web.${zone}`, recordType: 'A', targets: [target], ...(hostnames === undefined ? {} : { providerSpecific: [{ name: CH, value: hostnames }] }),
});

test('custom hostnames: created from the record (origin = its name, the TLS settings asked for, no CA when none); a re-sync writes nothing', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), customHostnames: SAAS });
  await sync(provider, [web(zone, 'b.shop-one.net, a.shop-one.net')]);
  assert.deepEqual(customOf(zoneId), [['a.shop-one.net', `web.${zone}`], ['b.shop-one.net', `web.${zone}`]]);
  const ssl = fixture.server.hostnames.customHostnames(zoneId)[0]?.ssl;
  assert.deepEqual(ssl, { type: 'dv', method: 'http', bundle_method: 'ubiquitous', settings: { min_tls_version: '1.2' }, status: 'initializing' });
  const mark = fixture.server.requests.length;
  assert.equal(await sync(provider, [web(zone, 'a.shop-one.net,b.shop-one.net')]), 0, 'the annotation read back sorted: no change');
  assert.deepEqual(writes(mark), []);
});

test('custom hostnames: an update deletes the dropped one and creates the new one; the record itself is not rewritten', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), customHostnames: { ...SAAS, certificateAuthority: 'lets_encrypt' } });
  await sync(provider, [web(zone, 'a.shop-two.net,b.shop-two.net')]);
  const dropped = fixture.server.hostnames.customHostnames(zoneId).find((c) => c.hostname === 'a.shop-two.net')?.id;
  const mark = fixture.server.requests.length;
  assert.equal(await sync(provider, [web(zone, 'b.shop-two.net,c.shop-two.net')]), 1);
  assert.deepEqual(customOf(zoneId), [['b.shop-two.net', `web.${zone}`], ['c.shop-two.net', `web.${zone}`]]);
  const batch = writes(mark).filter((w) => w.endsWith('/dns_records/batch'));
  assert.deepEqual(writes(mark).filter((w) => !w.endsWith('/dns_records/batch')), [`DELETE /custom_hostnames/${String(dropped)}`, 'POST /custom_hostnames']);
  assert.equal(fixture.server.hostnames.customHostnames(zoneId).find((c) => c.hostname === 'c.shop-two.net')?.ssl.certificate_authority, 'lets_encrypt');
  // The planner sees a changed property, but the record and its TXT hold the same values, TTL, comment and tags: no batch.
  assert.deepEqual(batch, []);
});

test('custom hostnames: deleting the record deletes the custom hostnames served from it, never those of a record nobody owns', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  fixture.server.put(zoneId, { name: `manual.${zone}`, type: 'A', content: '198.51.100.9', ttl: 300 });
  fixture.server.hostnames.putCustomHostname(zoneId, 'kept.shop-three.net', `manual.${zone}`);
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), customHostnames: SAAS });
  await sync(provider, [web(zone, 'gone.shop-three.net')]);
  assert.equal(await sync(provider, []), 1);
  assert.deepEqual(customOf(zoneId), [['kept.shop-three.net', `manual.${zone}`]]);
  assert.deepEqual(fixture.server.records(zoneId).map((r) => r.name), [`manual.${zone}`], 'the record nobody owns stays');
});

test('custom hostnames: one already served from another record is refused by name and left alone; the record still lands', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  fixture.server.hostnames.putCustomHostname(zoneId, 'taken.shop-four.net', `other.${zone}`);
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), customHostnames: SAAS });
  await assert.rejects(sync(provider, [web(zone, 'taken.shop-four.net,free.shop-four.net')]), (err: unknown) => ExtdnsError.is(err)
    && err.code === 'EXTDNS_CLOUDFLARE_CHANGES_REJECTED' && err.message.includes(`taken.shop-four.net of web.${zone}`) && err.message.includes(`served from other.${zone}`));
  assert.deepEqual(customOf(zoneId), [['free.shop-four.net', `web.${zone}`], ['taken.shop-four.net', `other.${zone}`]]);
  assert.ok(fixture.server.records(zoneId).some((r) => r.name === `web.${zone}` && r.type === 'A'));
});

test('custom hostnames off: the annotation is ignored and no custom hostname is read or written', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const mark = fixture.server.requests.length;
  await sync(provider, [web(zone, 'x.shop-five.net')]);
  assert.equal(fixture.server.requests.slice(mark).filter((r) => r.path.includes('custom_hostnames')).length, 0);
  assert.deepEqual(customOf(zoneId), []);
  assert.equal(await sync(provider, [web(zone, 'x.shop-five.net')]), 0);
});

test('regional hostnames: created with --cloudflare-region-key or the annotation, edited when the key changes, deleted with the record; a re-sync writes nothing', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), regionKey: 'eu' });
  const regional = (): string[][] => fixture.server.hostnames.regionalHostnames(zoneId).map((r) => [r.hostname, r.region_key]).sort();
  const api = (key?: string): EndpointInit => ({ dnsName: `api.${zone}`, recordType: 'A', targets: ['192.0.2.7'], ...(key === undefined ? {} : { providerSpecific: [{ name: REGION, value: key }] }) });
  await sync(provider, [web(zone, undefined), api('us')]);
  assert.deepEqual(regional(), [[`api.${zone}`, 'us'], [`web.${zone}`, 'eu']]);
  assert.ok(fixture.server.records(zoneId).filter((r) => r.type === 'TXT').length === 2, 'ownership TXTs get no regional hostname');
  let mark = fixture.server.requests.length;
  assert.equal(await sync(provider, [web(zone, undefined), api('us')]), 0);
  assert.deepEqual(writes(mark), []);
  mark = fixture.server.requests.length;
  assert.equal(await sync(provider, [web(zone, undefined), api('ca')]), 1);
  assert.deepEqual(writes(mark), [`PATCH /addressing/regional_hostnames/api.${zone}`]);
  assert.deepEqual(regional(), [[`api.${zone}`, 'ca'], [`web.${zone}`, 'eu']]);
  await sync(provider, [api('ca')]);
  assert.deepEqual(regional(), [[`api.${zone}`, 'ca']]);
});

test('regional hostnames: one for a name nobody owns is never touched', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  fixture.server.put(zoneId, { name: `manual.${zone}`, type: 'A', content: '198.51.100.10', ttl: 300 });
  fixture.server.hostnames.putRegionalHostname(zoneId, `manual.${zone}`, 'jp');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), regionKey: 'eu' });
  await sync(provider, [web(zone, undefined)]);
  await sync(provider, []);
  assert.deepEqual(fixture.server.hostnames.regionalHostnames(zoneId).map((r) => [r.hostname, r.region_key]), [[`manual.${zone}`, 'jp']]);
  assert.deepEqual(fixture.server.records(zoneId).map((r) => r.name), [`manual.${zone}`]);
});

test('regional hostnames: two records of one name asking for different keys are refused for that name only; the records and the other names land', async () => {
  const { zone, zoneId } = fixture.freshZone('h');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), regionKey: 'eu' });
  await assert.rejects(sync(provider, [
    { dnsName: `dual.${zone}`, recordType: 'A', targets: ['192.0.2.8'], providerSpecific: [{ name: REGION, value: 'eu' }] },
    { dnsName: `dual.${zone}`, recordType: 'AAAA', targets: ['2001:db8::8'], providerSpecific: [{ name: REGION, value: 'us' }] },
    web(zone, undefined),
  ]), (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_CLOUDFLARE_CHANGES_REJECTED' && err.message.includes(`regional hostname dual.${zone}: conflicting region keys`));
  assert.deepEqual(fixture.server.hostnames.regionalHostnames(zoneId).map((r) => r.hostname), [`web.${zone}`]);
  assert.deepEqual(fixture.server.records(zoneId).filter((r) => r.type !== 'TXT').map((r) => `${r.name} ${r.type}`).sort(), [`dual.${zone} A`, `dual.${zone} AAAA`, `web.${zone} A`]);
});
