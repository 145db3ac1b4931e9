/**
 * Route53 batching, bisection of rejected batches, and throttling, against
 * the test server through the real SDK.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint, type Endpoint } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { emptyChanges } from '../../src/plan/plan.ts';
import { usePkiServer } from '../support/server-fixture.ts';
import { InstantClock, makeProvider, startServer, sync, zonesFilter } from './harness.ts';

const fixture = usePkiServer('Route53', startServer);
let serial = 0;
const signal = new AbortController().signal;

function freshZone(): { zone: string; id: string } {
  serial++;
  const zone = `batch${serial}.example.com`;
  return { zone, id: fixture.server.addZone(zone) };
}

function aRecords(zone: string, n: number, prefix = 'r'): Endpoint[] {
  return Array.from({ length: n }, (_, i) => newEndpoint({ dnsName: `${prefix}${i}.${zone}`, recordType: 'A', targets: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], recordTTL: 300 }));
}

function writesSince(mark: number): { changed: string[] }[] {
  return fixture.server.requests.slice(mark).filter((r) => r.operation === 'ChangeResourceRecordSets').map((r) => ({ changed: r.changed ?? [] }));
}

test('5,000 creates go out in ceil(5000 / 1000) = 5 calls, with the batch interval between them, and a re-sync writes nothing', async () => {
  const { zone, id } = freshZone();
  const clock = new InstantClock();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) }, clock);
  const desired = aRecords(zone, 5000);
  const mark = fixture.server.requests.length;
  await provider.applyChanges({ ...emptyChanges(), create: await provider.adjustEndpoints(desired) }, signal);
  const writes = writesSince(mark);
  assert.equal(writes.length, 5);
  assert.deepEqual(writes.map((w) => w.changed.length), [1000, 1000, 1000, 1000, 1000]);
  assert.deepEqual(clock.sleeps, [1000, 1000, 1000, 1000], 'one --aws-batch-change-interval between consecutive batches');
  assert.equal(fixture.server.recordSets(id).filter((s) => s.type === 'A').length, 5000);

  const again = fixture.server.requests.length;
  assert.equal(await sync(provider, desired, ''), 0);
  assert.equal(writesSince(again).length, 0);
});

test('with the TXT registry every record lands in the same batch as its ownership TXT, in the fewest calls the limits allow', async () => {
  const { zone, id } = freshZone();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const desired = aRecords(zone, 2500);
  const mark = fixture.server.requests.length;
  assert.equal(await sync(provider, desired), 2500);
  const writes = writesSince(mark);
  assert.equal(writes.reduce((n, w) => n + w.changed.length, 0), 5000, '2,500 records + 2,500 TXT = 5,000 changes');
  for (const [i, w] of writes.entries()) {
    const names = new Set(w.changed);
    for (const c of w.changed.filter((x) => x.endsWith(' A'))) {
      const name = c.split(' ')[1] ?? '';
      assert.ok(names.has(`CREATE a-${name} TXT`), `batch ${i}: ${name} without its TXT`);
    }
  }
  // Lower bound: changes / 1000, values / 1000, characters / 32000 (the TXT values bind here).
  const sets = fixture.server.recordSets(id).filter((s) => s.type === 'A' || s.type === 'TXT');
  const chars = sets.reduce((n, s) => n + s.values.reduce((m, v) => m + Buffer.byteLength(v), 0), 0);
  const lowest = Math.max(Math.ceil(5000 / 1000), Math.ceil(chars / 32000));
  assert.ok(writes.length >= lowest && writes.length <= lowest + 1, `${writes.length} calls for a lower bound of ${lowest}`);
  assert.equal(sets.length, 5000);
  const again = fixture.server.requests.length;
  assert.equal(await sync(provider, desired), 0, 'no-op re-sync plans nothing');
  assert.equal(writesSince(again).length, 0);
});

test('UPSERTs count twice against the value limit', async () => {
  const { zone } = freshZone();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const before = await provider.adjustEndpoints(aRecords(zone, 1000));
  await provider.applyChanges({ ...emptyChanges(), create: before }, signal);
  const after = before.map((e) => ({ ...e, recordTTL: 600 }));
  const mark = fixture.server.requests.length;
  await provider.applyChanges({ ...emptyChanges(), updateOld: before, updateNew: after }, signal);
  assert.deepEqual(writesSince(mark).map((w) => w.changed.length), [500, 500]);
});

test('a batch Route53 rejects is bisected: the good changes land, the bad record is named with Route53\'s reason', async () => {
  const { zone, id } = freshZone();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const good = aRecords(zone, 15);
  const bad = newEndpoint({ dnsName: `broken.${zone}`, recordType: 'A', targets: ['999.1.1.1'], recordTTL: 300 });
  const mark = fixture.server.requests.length;
  await assert.rejects(provider.applyChanges({ ...emptyChanges(), create: await provider.adjustEndpoints([...good, bad]) }, signal), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, 'EXTDNS_AWS_CHANGES_REJECTED');
    assert.match(err.message, /CREATE broken\.batch\d+\.example\.com A/);
    assert.match(err.message, /ARRDATAIllegalIPv4Address/);
    assert.doesNotMatch(err.message, /CREATE r\d/);
    return true;
  });
  const names = new Set(fixture.server.recordSets(id).map((s) => s.name));
  for (const g of good) assert.ok(names.has(`${g.dnsName}.`), `${g.dnsName} should have landed`);
  assert.ok(!names.has(`broken.${zone}.`));
  const calls = writesSince(mark).length;
  assert.ok(calls <= 1 + 2 * Math.ceil(Math.log2(16)), `bisection of 16 groups took ${calls} calls`);
});

test('a record changed behind extdns\'s back after the read: only its group (record + TXT) fails, the rest applies', async () => {
  const { zone, id } = freshZone();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  await provider.records(signal);
  // Between the read and the write, a CNAME appears at a name extdns is about to create an A record for.
  fixture.server.put(id, { name: `late.${zone}`, type: 'CNAME', ttl: 300, values: ['elsewhere.example.net'], extra: {} });
  const owned = (name: string, ip: string): Endpoint[] => [
    newEndpoint({ dnsName: `${name}.${zone}`, recordType: 'A', targets: [ip], recordTTL: 300 }),
    newEndpoint({ dnsName: `a-${name}.${zone}`, recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=o"'], recordTTL: 300, labels: { ownedRecord: `${name}.${zone}` } }),
  ];
  const create = await provider.adjustEndpoints([...owned('fine', '192.0.2.8'), ...owned('late', '192.0.2.7'), ...owned('zz', '192.0.2.9')]);
  await assert.rejects(provider.applyChanges({ ...emptyChanges(), create }, signal), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.match(err.message, /CREATE late\.batch\d+\.example\.com A, CREATE a-late\.batch\d+\.example\.com TXT/);
    assert.match(err.message, /conflicts with other records/);
    return true;
  });
  const names = fixture.server.recordSets(id).map((s) => `${s.name} ${s.type}`);
  for (const ok of ['fine', 'zz']) assert.ok(names.includes(`${ok}.${zone}. A`) && names.includes(`a-${ok}.${zone}. TXT`), `${ok} and its TXT landed`);
  assert.ok(!names.includes(`a-late.${zone}. TXT`), 'the TXT of the rejected record went with it');
});

test('Throttling and PriorRequestNotComplete are retried with jittered backoff and counted', async () => {
  const { zone, id } = freshZone();
  const clock = new InstantClock();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) }, clock);
  fixture.server.failNext(1, { code: 'Throttling', operation: 'ListHostedZones' });
  fixture.server.failNext(1, { code: 'PriorRequestNotComplete', operation: 'ChangeResourceRecordSets' });
  fixture.server.failNext(1, { code: 'InternalFailure', status: 500, operation: 'ChangeResourceRecordSets' });
  await provider.applyChanges({ ...emptyChanges(), create: await provider.adjustEndpoints(aRecords(zone, 3)) }, signal);
  assert.equal(fixture.server.recordSets(id).filter((s) => s.type === 'A').length, 3);
  const stats = provider.stats();
  assert.equal(stats.throttles, 2);
  assert.equal(stats.retries, 3);
  assert.equal(stats.apiCalls.ChangeResourceRecordSets, 3);
  assert.equal(stats.apiCalls.ListHostedZones, 2);
  // Full jitter: each wait is within [0, 1 s × 2^attempt).
  assert.equal(clock.sleeps.length, 3);
  assert.ok(clock.sleeps[0] !== undefined && clock.sleeps[0] < 1000 && clock.sleeps[1] !== undefined && clock.sleeps[1] < 1000 && clock.sleeps[2] !== undefined && clock.sleeps[2] < 2000, String(clock.sleeps));
  assert.notDeepEqual(clock.sleeps, [0, 0, 0]);
});

test('throttling past --aws-api-retries fails with a transient EXTDNS_AWS_THROTTLED', async () => {
  const { zone } = freshZone();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), apiRetries: 2 });
  fixture.server.failNext(3, { code: 'Throttling', operation: 'ListHostedZones' });
  await assert.rejects(provider.records(signal), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, 'EXTDNS_AWS_THROTTLED');
    assert.equal(err.transient, true);
    return true;
  });
  assert.equal(provider.stats().throttles, 3);
});
