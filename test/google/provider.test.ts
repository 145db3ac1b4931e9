/**
 * The Google provider's own behaviour against the Cloud DNS test server (on
 * the real auth library, metadata-server credentials): one atomic change per
 * zone and batch, no write on a no-op, exact deletes across paged zones,
 * records nobody owns untouched, 429, a rejected change bisected, 409/412
 * answered by re-reading once, batches that keep a record with its TXT, and
 * the zone filters of v0.22 (visibility, peering, zone id).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EndpointInit } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { InstantClock } from '../aws/harness.ts';
import { createPki, type Pki } from '../support/pki.ts';
import type { GoogleLogged } from '../support/google-dns-server.ts';
import { makeProvider, startGoogle, sync, zoneSpecs, zonesFilter, type GoogleFixture } from './harness.ts';

let pki: Pki;
let fixture: GoogleFixture;
let serial = 0;

before(async () => {
  pki = await createPki();
  const zones = Array.from({ length: 12 }, (_, i) => `z${i}.example.com`);
  fixture = await startGoogle(pki, [
    ...zoneSpecs(zones),
    { name: 'private-corp', dnsName: 'corp.example.net.', visibility: 'private' },
    { name: 'public-corp', dnsName: 'corp.example.org.', visibility: 'public' },
    { name: 'peered', dnsName: 'peer.example.net.', visibility: 'private', peering: true },
  ], 3);
});
after(async () => {
  await fixture.close();
  await pki.cleanup();
});

/** A fresh zone of the fixture for one test. */
function nextZone(): { name: string; zone: string } {
  const zone = `z${serial}.example.com`;
  serial++;
  return { name: zone.replace(/\./g, '-'), zone };
}

function since(mark: number): GoogleLogged[] {
  return fixture.dns.log.slice(mark);
}

const writes = (log: GoogleLogged[]): GoogleLogged[] => log.filter((l) => l.operation === 'changes');

function records(zone: string, n: number, octet = 1): EndpointInit[] {
  return Array.from({ length: n }, (_, i) => ({ dnsName: `r${i}.${zone}`, recordType: 'A', targets: [`192.0.${octet}.${i}`], recordTTL: 300 }));
}

test('first sync writes each record with its TXT in one change; the next sync writes nothing', async () => {
  const { name, zone } = nextZone();
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]) });
  const mark = fixture.dns.log.length;
  assert.equal(await sync(provider, records(zone, 10)), 10);
  const first = writes(since(mark));
  assert.equal(first.length, 1, 'one atomic change for the zone');
  assert.equal(first[0]?.additions, 20, 'ten A records and their ten ownership TXTs');
  const held = fixture.dns.rrsets(name);
  assert.ok(held.some((r) => r.name === `r3.${zone}.` && r.type === 'A' && r.rrdatas[0] === '192.0.1.3'));
  assert.ok(held.some((r) => r.name === `a-r3.${zone}.` && r.type === 'TXT' && r.rrdatas[0]?.includes('heritage=external-dns')));

  const noop = fixture.dns.log.length;
  assert.equal(await sync(provider, records(zone, 10)), 0);
  assert.deepEqual(writes(since(noop)), [], 'a no-op sync sends no change');
  assert.ok(since(noop).every((l) => l.method === 'GET'));
});

test('deletes in a zone larger than one page carry the record sets exactly as held', async () => {
  const { name, zone } = nextZone();
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]) });
  await sync(provider, records(zone, 14));
  // Someone raised the TTL of r2 by hand: the plan still deletes it, with the TTL the zone holds.
  const r2 = fixture.dns.rrsets(name).find((r) => r.name === `r2.${zone}.` && r.type === 'A');
  assert.ok(r2 !== undefined);
  fixture.dns.seed(name, { ...r2, ttl: 7200 });
  const mark = fixture.dns.log.length;
  assert.equal(await sync(provider, records(zone, 14).filter((_, i) => i !== 2 && i !== 11)), 2);
  const reads = since(mark).filter((l) => l.operation === 'rrsets');
  assert.ok(reads.length >= 10, `the zone (33 record sets) was read over ${reads.length} pages of 3`);
  assert.ok(since(mark).every((l) => l.status < 400), 'no 404/412: each deletion matched the held set exactly the first time');
  const [change] = writes(since(mark));
  assert.equal(change?.deletions, 4, 'two records and their TXTs');
  assert.equal(change.additions, 0);
  const left = fixture.dns.rrsets(name).map((r) => `${r.name}/${r.type}`);
  assert.ok(!left.includes(`r2.${zone}./A`) && !left.includes(`a-r11.${zone}./TXT`));
  assert.ok(left.includes(`r12.${zone}./A`));
});

test('records nobody owns are left alone', async () => {
  const { name, zone } = nextZone();
  fixture.dns.seed(name, { name: `manual.${zone}.`, type: 'A', ttl: 60, rrdatas: ['198.51.100.1'] });
  fixture.dns.seed(name, { name: `mx.${zone}.`, type: 'MX', ttl: 60, rrdatas: ['10 mail.example.net.'] });
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]) });
  await sync(provider, [{ dnsName: `manual.${zone}`, recordType: 'A', targets: ['192.0.2.99'], recordTTL: 300 }, ...records(zone, 2)]);
  await sync(provider, []);
  const held = fixture.dns.rrsets(name);
  assert.deepEqual(held.find((r) => r.name === `manual.${zone}.`)?.rrdatas, ['198.51.100.1']);
  assert.ok(held.some((r) => r.name === `mx.${zone}.`));
  assert.ok(!held.some((r) => r.name === `r0.${zone}.`), 'our own records went with the empty sync');
});

test('a 429 is waited out on the clock (1 s, doubling: Cloud DNS sends no Retry-After) and counted; the sync lands', async () => {
  const { name, zone } = nextZone();
  const clock = new InstantClock();
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]) }, clock);
  fixture.dns.throttle(2);
  assert.equal(await sync(provider, records(zone, 3)), 3);
  assert.deepEqual(clock.sleeps.slice(0, 2), [1000, 2000]);
  assert.equal(provider.stats().throttles, 2);
  assert.ok(fixture.dns.rrsets(name).some((r) => r.name === `r2.${zone}.`));
});

test('a 429 that outlasts 3 waits fails the sync as transient; the next sync lands', async () => {
  const { name, zone } = nextZone();
  const clock = new InstantClock();
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]) }, clock);
  fixture.dns.throttle(4);
  await assert.rejects(sync(provider, records(zone, 3)), (err: unknown) => {
    assert.ok(err instanceof ExtdnsError);
    assert.equal(err.code, 'EXTDNS_GOOGLE_THROTTLED');
    assert.equal(err.transient, true);
    return true;
  });
  assert.deepEqual(clock.sleeps, [1000, 2000, 4000]);
  assert.equal(provider.stats().throttles, 4);
  assert.equal(await sync(provider, records(zone, 3)), 3);
  assert.ok(fixture.dns.rrsets(name).some((r) => r.name === `r2.${zone}.`));
});

test('a change Cloud DNS rejects is split to name the bad record; the others land with their TXT', async () => {
  const { name, zone } = nextZone();
  fixture.dns.refuseNames.add(`r5.${zone}.`);
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]) });
  await assert.rejects(sync(provider, records(zone, 8)), (err: unknown) => {
    assert.ok(err instanceof ExtdnsError);
    assert.equal(err.code, 'EXTDNS_GOOGLE_CHANGE_REJECTED');
    assert.match(err.message, new RegExp(`r5\\.${zone.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(err.message, /\+r4\./);
    return true;
  });
  fixture.dns.refuseNames.clear();
  const held = fixture.dns.rrsets(name).map((r) => `${r.name}/${r.type}`);
  for (const i of [0, 1, 2, 3, 4, 6, 7]) {
    assert.ok(held.includes(`r${i}.${zone}./A`) && held.includes(`a-r${i}.${zone}./TXT`), `r${i} landed with its TXT`);
  }
  assert.ok(!held.includes(`r5.${zone}./A`) && !held.includes(`a-r5.${zone}./TXT`), 'r5 neither alone nor its TXT');
});

for (const status of [409, 412] as const) {
  test(`a ${status} re-reads the zone and retries the change once`, async () => {
    const { name, zone } = nextZone();
    const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]) });
    fixture.dns.conflictNext(status);
    const mark = fixture.dns.log.length;
    assert.equal(await sync(provider, records(zone, 2)), 2);
    const after = since(mark);
    const changeAt = after.map((l, i) => (l.operation === 'changes' ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(changeAt.map((i) => after[i]?.status), [status, 200]);
    assert.ok(after.slice(changeAt[0], changeAt[1]).some((l) => l.operation === 'rrsets'), 'the zone was read between the two tries');
    assert.ok(fixture.dns.rrsets(name).some((r) => r.name === `r1.${zone}.`));
  });
}

test('--google-batch-change-size splits changes between groups, never a record from its TXT, paced by the interval', async () => {
  const { zone } = nextZone();
  const clock = new InstantClock();
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter([zone]), batchChangeSize: 5, batchChangeIntervalMs: 1500 }, clock);
  const mark = fixture.dns.log.length;
  await sync(provider, records(zone, 6));
  const changes = writes(since(mark));
  assert.deepEqual(changes.map((c) => c.additions), [4, 4, 4], 'two records with their TXTs per change');
  assert.deepEqual(clock.sleeps, [1500, 1500]);
});

test('zone filters as in v0.22: visibility, peering zones never, zone ids by name', async () => {
  const visible = async (options: Parameters<typeof makeProvider>[2]): Promise<string[]> => {
    const provider = await makeProvider(fixture, pki, options);
    await provider.records(new AbortController().signal);
    return provider.domainFilter().toWire().include ?? [];
  };
  assert.deepEqual(await visible({ zoneVisibility: 'private' }), ['corp.example.net']);
  const pub = await visible({ zoneVisibility: 'public' });
  assert.ok(pub.includes('corp.example.org') && !pub.includes('corp.example.net') && !pub.includes('peer.example.net'));
  assert.deepEqual(await visible({ zoneIdFilter: ['public-corp', 'peered'] }), ['corp.example.org']);
});
