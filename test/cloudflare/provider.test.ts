/**
 * The Cloudflare provider's own cases on the real SDK and the test server:
 * first sync, no-op (no write), exact deletes in zones larger than one page,
 * records nobody owns left alone, 429 with Retry-After, a rejected batch
 * bisected to name the bad record while the good ones land, proxied/TTL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtdnsError } from '../../src/errors/errors.ts';
import type { EndpointInit } from '../../src/endpoint/endpoint.ts';
import { makeProvider, sync, useServer, zonesFilter } from './harness.ts';

const fixture = useServer();

const BATCH = /\/dns_records\/batch$/;

function hosts(zone: string, n: number, ip = (i: number) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`): EndpointInit[] {
  return Array.from({ length: n }, (_, i) => ({ dnsName: `h${i}.${zone}`, recordType: 'A', targets: [ip(i)] }));
}

test('first sync writes each record with its TXT in one batch request; a no-op re-sync sends no write', async () => {
  const { zone, zoneId } = fixture.freshZone('p');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const before = fixture.server.count('POST', BATCH);
  assert.equal(await sync(provider, hosts(zone, 3)), 3);
  assert.equal(fixture.server.count('POST', BATCH) - before, 1);
  const records = fixture.server.records(zoneId);
  assert.equal(records.filter((r) => r.type === 'A').length, 3);
  assert.equal(records.filter((r) => r.type === 'TXT').length, 3);
  assert.ok(records.filter((r) => r.type === 'A').every((r) => r.ttl === 1 && !r.proxied), 'TTL unset is automatic (1), not proxied by default');
  assert.equal(await sync(provider, hosts(zone, 3)), 0);
  assert.equal(fixture.server.count('POST', BATCH) - before, 1, 'no write on a no-op sync');
});

test('exact deletes in a zone larger than one page; records nobody owns stay', async () => {
  const { zone, zoneId } = fixture.freshZone('p');
  fixture.server.put(zoneId, { name: `manual.${zone}`, type: 'A', content: '198.51.100.7', ttl: 300 });
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), perPage: 7 });
  await sync(provider, hosts(zone, 20));
  const listsBefore = fixture.server.count('GET', /dns_records$/);
  assert.equal(await sync(provider, hosts(zone, 12)), 8);
  // 41 records (20 A, 20 TXT, 1 manual) at 7 a page: 6 pages, read once, no extra empty page.
  assert.equal(fixture.server.count('GET', /dns_records$/) - listsBefore, 6);
  const names = new Set(fixture.server.records(zoneId).filter((r) => r.type === 'A').map((r) => r.name));
  assert.equal(names.size, 13);
  assert.ok(names.has(`manual.${zone}`), 'a record nobody owns is left alone');
  assert.ok(!names.has(`h15.${zone}`));
  const last = fixture.server.requests.filter((r) => r.method === 'POST' && BATCH.test(r.path)).at(-1);
  assert.deepEqual(last?.batch, { deletes: 16, patches: 0, puts: 0, posts: 0 });
});

test('an update keeps the record id (PATCH) and the proxied annotation turns proxying on with automatic TTL', async () => {
  const { zone, zoneId } = fixture.freshZone('p');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  await sync(provider, [{ dnsName: `web.${zone}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 }]);
  const id = fixture.server.records(zoneId).find((r) => r.type === 'A')?.id;
  await sync(provider, [{ dnsName: `web.${zone}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300,
    providerSpecific: [{ name: 'external-dns.alpha.kubernetes.io/cloudflare-proxied', value: 'true' }] }]);
  const a = fixture.server.records(zoneId).find((r) => r.type === 'A');
  assert.equal(a?.id, id);
  assert.equal(a?.proxied, true);
  assert.equal(a?.ttl, 1);
  assert.equal(await sync(provider, [{ dnsName: `web.${zone}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300,
    providerSpecific: [{ name: 'external-dns.alpha.kubernetes.io/cloudflare-proxied', value: 'true' }] }]), 0);
});

test('429 answers are waited out after Retry-After on the clock and counted as throttles', async () => {
  const { zone } = fixture.freshZone('p');
  const { provider, clock, counter } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  fixture.server.throttleNext(2, 3);
  assert.equal(await sync(provider, hosts(zone, 1)), 1);
  assert.deepEqual(clock.sleeps.slice(0, 2), [3000, 3000]);
  assert.equal(counter.snapshot().throttles, 2);
});

test('a rejected batch is split until the bad record is named; every good record lands with its TXT', async () => {
  const { zone, zoneId } = fixture.freshZone('p');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  fixture.server.rejectContent('10.0.0.6');
  await assert.rejects(sync(provider, hosts(zone, 8)), (err: unknown) => ExtdnsError.is(err)
    && err.code === 'EXTDNS_CLOUDFLARE_CHANGES_REJECTED' && err.message.includes(`h5.${zone}`) && !err.message.includes(`h4.${zone}`));
  const a = fixture.server.records(zoneId).filter((r) => r.type === 'A').map((r) => r.name);
  assert.equal(a.length, 7);
  assert.equal(fixture.server.records(zoneId).filter((r) => r.type === 'TXT').length, 7, 'each landed record has its TXT');
});

test('--batch-change-size splits a zone\'s writes into batches, --batch-change-interval apart', async () => {
  const { zone } = fixture.freshZone('p');
  const { provider, clock } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), batchChangeSize: 4, batchChangeIntervalMs: 2500 });
  const before = fixture.server.count('POST', BATCH);
  await sync(provider, hosts(zone, 6, (i) => `192.0.2.${i + 1}`));
  // 6 groups of 2 operations (record + TXT), 4 operations a batch: 3 batches.
  assert.equal(fixture.server.count('POST', BATCH) - before, 3);
  assert.deepEqual(clock.sleeps, [2500, 2500]);
});
