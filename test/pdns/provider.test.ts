/**
 * The PowerDNS provider against a real pdns_server (sqlite backend), reached
 * through a plain-HTTP nginx whose access log counts the API calls made.
 */
import { createDomainFilter } from '../../src/endpoint/domain-filter.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MATCH_ALL, type DomainFilter } from '../../src/endpoint/domain-filter.ts';
import { endpointKey, newEndpoint, type Endpoint } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { emptyChanges, type Changes } from '../../src/plan/plan.ts';
import { createPdnsProvider } from '../../src/provider/pdns/index.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { startNginx, type Nginx } from '../support/nginx.ts';
import { freePort, startPdns, type PdnsServer } from '../support/pdns-server.ts';

let pdns: PdnsServer;
let front: Nginx;
const signal = new AbortController().signal;

before(async () => {
  pdns = await startPdns();
  front = await startNginx({ upstream: pdns.apiUrl });
});
after(async () => {
  await front?.stop();
  await pdns?.stop();
});

const only = (zone: string): DomainFilter => createDomainFilter({ include: [zone] });

function provider(zone: string | undefined, extra: { server?: string; apiKey?: string; clock?: FakeClock } = {}) {
  const logs = captureLogger();
  const p = createPdnsProvider(
    { server: extra.server ?? front.url, serverId: 'localhost', apiKey: extra.apiKey ?? pdns.apiKey, skipTlsVerify: false, domainFilter: zone === undefined ? MATCH_ALL : only(zone) },
    { logger: logs.logger, clock: extra.clock ?? new FakeClock() },
  );
  return { p, logs };
}

const ep = (dnsName: string, recordType: string, targets: string[], recordTTL = 0): Endpoint => newEndpoint({ dnsName, recordType, targets, recordTTL });

function sample(zone: string): Endpoint[] {
  return [
    ep(`www.${zone}`, 'A', ['192.0.2.10', '192.0.2.11']),
    ep(`v6.${zone}`, 'AAAA', ['2001:0db8:0000::0010']),
    ep(`alias.${zone}`, 'CNAME', [`www.${zone}`]),
    ep(`txt.${zone}`, 'TXT', ['v=spf1 include:example.net -all']),
    ep(`mail.${zone}`, 'MX', [`10 mx1.${zone}`, `20 mx2.${zone}`], 3600),
    ep(`_sip._tcp.${zone}`, 'SRV', [`1 10 5060 sip.${zone}.`]),
  ];
}

/** A minimal diff for these tests (the real planner has its own suite): creates, updates and deletes by key. */
function diff(current: Endpoint[], desired: Endpoint[]): Changes {
  const changes = emptyChanges();
  const cur = new Map(current.map((e) => [endpointKey(e), e]));
  const same = (a: Endpoint, b: Endpoint) =>
    [...a.targets].map((t) => t.toLowerCase()).sort().join() === [...b.targets].map((t) => t.toLowerCase()).sort().join()
    && (b.recordTTL === 0 || a.recordTTL === b.recordTTL)
    && JSON.stringify(a.providerSpecific) === JSON.stringify(b.providerSpecific);
  for (const d of desired) {
    const c = cur.get(endpointKey(d));
    if (c === undefined) changes.create.push(d);
    else if (!same(c, d)) {
      changes.updateOld.push(c);
      changes.updateNew.push(d);
    }
  }
  const want = new Set(desired.map(endpointKey));
  for (const c of current) if (!want.has(endpointKey(c)) && ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'SRV'].includes(c.recordType)) changes.delete.push(c);
  return changes;
}

async function sync(p: Provider, desired: Endpoint[]): Promise<Changes> {
  const current = await p.records(signal);
  const adjusted = await p.adjustEndpoints(desired);
  const changes = diff(current, adjusted);
  await p.applyChanges(changes, signal);
  return changes;
}

const count = (reqs: { method: string }[], method: string) => reqs.filter((r) => r.method === method).length;

test('a sync writes A/AAAA/CNAME/TXT/MX/SRV that dig resolves, in one PATCH; the next sync writes nothing', async () => {
  const zone = 'sync.test';
  await pdns.createZone(zone);
  const { p } = provider(zone);
  await front.mark();
  const first = await sync(p, sample(zone));
  assert.equal(first.create.length, 6);
  let reqs = await front.requestsSinceMark();
  assert.equal(count(reqs, 'PATCH'), 1, JSON.stringify(reqs));
  assert.equal(count(reqs, 'GET'), 2, 'one zone list, one zone read');

  assert.deepEqual(await pdns.dig(`www.${zone}`, 'A'), ['192.0.2.10', '192.0.2.11']);
  assert.deepEqual(await pdns.dig(`v6.${zone}`, 'AAAA'), ['2001:db8::10']);
  assert.deepEqual(await pdns.dig(`alias.${zone}`, 'CNAME'), [`www.${zone}.`]);
  assert.deepEqual(await pdns.dig(`txt.${zone}`, 'TXT'), ['"v=spf1 include:example.net -all"']);
  assert.deepEqual(await pdns.dig(`mail.${zone}`, 'MX'), [`10 mx1.${zone}.`, `20 mx2.${zone}.`]);
  assert.deepEqual(await pdns.dig(`_sip._tcp.${zone}`, 'SRV'), [`1 10 5060 sip.${zone}.`]);

  for (let i = 0; i < 3; i++) {
    await front.mark();
    const again = await sync(p, sample(zone));
    assert.deepEqual(again, emptyChanges(), `sync ${i + 2} plans no change`);
    reqs = await front.requestsSinceMark();
    assert.equal(count(reqs, 'PATCH'), 0);
  }
  // stats() (exported as extdns_provider_api_*) agree with what nginx saw.
  const byOp = Object.fromEntries(p.stats().calls.map((c) => [c.operation, c.calls]));
  assert.equal(byOp.patchZone, 1);
  assert.equal((byOp.listZones ?? 0) + (byOp.getZone ?? 0), count(await front.requests(), 'GET'));
});

test('a converged zone is not read again while its serial stands still (zone list only)', async () => {
  const zone = 'serial.test';
  await pdns.createZone(zone, [{ name: `a.${zone}`, type: 'A', contents: ['192.0.2.1'] }]);
  const clock = new FakeClock();
  const { p } = provider(zone, { clock });
  const first = await p.records(signal);
  await front.mark();
  const second = await p.records(signal);
  assert.deepEqual(second, first);
  assert.deepEqual((await front.requestsSinceMark()).map((r) => r.method), ['GET'], 'only the zone list');
  // Someone edits the zone through the API: the serial moves and the zone is read again.
  await pdns.api('PATCH', `/api/v1/servers/localhost/zones/${zone}.`, { rrsets: [{ name: `b.${zone}.`, type: 'A', ttl: 60, changetype: 'REPLACE', records: [{ content: '192.0.2.2', disabled: false }] }] });
  const third = await p.records(signal);
  assert.ok(third.some((e) => e.dnsName === `b.${zone}`));
  // After the full-resync interval the zone is read even with an unchanged serial.
  await clock.advance(11 * 60_000);
  await front.mark();
  await p.records(signal);
  assert.equal(count(await front.requestsSinceMark(), 'GET'), 2);
});

test('records: SOA and disabled records are invisible; zones outside the domain filter are not read', async () => {
  await pdns.createZone('inscope.test', [
    { name: 'on.inscope.test', type: 'A', contents: ['192.0.2.1'] },
    { name: 'off.inscope.test', type: 'A', contents: ['192.0.2.2'], disabled: true },
  ]);
  await pdns.createZone('outofscope.test', [{ name: 'x.outofscope.test', type: 'A', contents: ['192.0.2.3'] }]);
  const { p } = provider('inscope.test');
  await front.mark();
  const records = await p.records(signal);
  const names = records.map((e) => `${e.dnsName} ${e.recordType}`).sort();
  assert.deepEqual(names, ['inscope.test NS', 'on.inscope.test A']);
  const gets = (await front.requestsSinceMark()).map((r) => r.path);
  assert.ok(!gets.some((g) => g.includes('outofscope')), gets.join());
  assert.equal(p.domainFilter().match('x.outofscope.test'), false);
  assert.equal(p.domainFilter().match('new.inscope.test'), true);
});

test('a rejected PATCH is bisected: the good changes apply, the bad record is named, a record stays with its TXT', async () => {
  const zone = 'split.test';
  await pdns.createZone(zone, [{ name: `taken.${zone}`, type: 'A', contents: ['192.0.2.99'] }]);
  const { p } = provider(zone);
  await p.records(signal);
  const changes = emptyChanges();
  for (let i = 0; i < 8; i++) {
    changes.create.push(ep(`n${i}.${zone}`, 'A', [`192.0.2.${i + 1}`]));
    changes.create.push(newEndpoint({ dnsName: `a-n${i}.${zone}`, recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=test"'], labels: { ownedRecord: `n${i}.${zone}` } }));
  }
  // A CNAME where other data exists: PowerDNS refuses the whole PATCH with 422.
  changes.create.push(ep(`taken.${zone}`, 'CNAME', [`n1.${zone}`]));
  changes.create.push(newEndpoint({ dnsName: `cname-taken.${zone}`, recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=test"'], labels: { ownedRecord: `taken.${zone}` } }));
  await front.mark();
  await assert.rejects(p.applyChanges(changes, signal), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, 'EXTDNS_PDNS_CHANGES_REJECTED');
    assert.equal(err.transient, false);
    assert.match(err.message, new RegExp(`taken\\.${zone.replace('.', '\\.')}`));
    assert.match(err.message, /Conflicts with pre-existing RRset/);
    assert.doesNotMatch(err.message, /n3\.split/);
    return true;
  });
  const patches = count(await front.requestsSinceMark(), 'PATCH');
  assert.ok(patches <= 1 + 2 * Math.ceil(Math.log2(9)), `${patches} PATCHes for 9 groups`);
  const rrsets = await pdns.rrsets(zone);
  const names = new Set(rrsets.map((r) => `${r.name} ${r.type}`));
  for (let i = 0; i < 8; i++) {
    assert.ok(names.has(`n${i}.${zone}. A`), `n${i} applied`);
    assert.ok(names.has(`a-n${i}.${zone}. TXT`), `n${i}'s TXT applied`);
  }
  assert.ok(!names.has(`taken.${zone}. CNAME`));
  assert.ok(!names.has(`cname-taken.${zone}. TXT`), 'the TXT of the rejected record was not written without it');
});

test('deletes are exact: only the named RRset goes, other types at the same name stay', async () => {
  const zone = 'exact.test';
  await pdns.createZone(zone, [
    { name: `host.${zone}`, type: 'A', contents: ['192.0.2.1'] },
    { name: `host.${zone}`, type: 'TXT', contents: ['"keep me"'] },
    { name: `host.${zone}`, type: 'AAAA', contents: ['2001:db8::1'] },
  ]);
  const { p } = provider(zone);
  const current = await p.records(signal);
  const a = current.find((e) => e.dnsName === `host.${zone}` && e.recordType === 'A');
  assert.ok(a !== undefined);
  const changes = emptyChanges();
  changes.delete.push(a);
  await p.applyChanges(changes, signal);
  const left = (await pdns.rrsets(zone)).filter((r) => r.name === `host.${zone}.`).map((r) => r.type).sort();
  assert.deepEqual(left, ['AAAA', 'TXT']);
});

test('a delete of values that changed since the read is refused and retried next run', async () => {
  const zone = 'moved.test';
  await pdns.createZone(zone, [{ name: `m.${zone}`, type: 'A', contents: ['192.0.2.1'] }]);
  const { p } = provider(zone);
  await p.records(signal);
  const changes = emptyChanges();
  changes.delete.push(ep(`m.${zone}`, 'A', ['192.0.2.7']));
  await assert.rejects(p.applyChanges(changes, signal), (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_PDNS_STALE_PLAN' && err.transient);
  assert.ok((await pdns.rrsets(zone)).some((r) => r.name === `m.${zone}.`));
});

test('no changes, no requests', async () => {
  const { p } = provider('sync.test');
  await front.mark();
  await p.applyChanges(emptyChanges(), signal);
  assert.equal((await front.requestsSinceMark()).length, 0);
});

test('TTLs: unset means 300, set is kept; updates replace the RRset', async () => {
  const zone = 'ttl.test';
  await pdns.createZone(zone);
  const { p } = provider(zone);
  await sync(p, [ep(`d.${zone}`, 'A', ['192.0.2.1']), ep(`t.${zone}`, 'A', ['192.0.2.2'], 60)]);
  const ttl = new Map((await pdns.rrsets(zone)).map((r) => [r.name, r.ttl]));
  assert.equal(ttl.get(`d.${zone}.`), 300);
  assert.equal(ttl.get(`t.${zone}.`), 60);
  const update = await sync(p, [ep(`d.${zone}`, 'A', ['192.0.2.1']), ep(`t.${zone}`, 'A', ['192.0.2.3'], 120)]);
  assert.equal(update.updateNew.length, 1);
  assert.deepEqual(await pdns.dig(`t.${zone}`, 'A'), ['192.0.2.3']);
  assert.deepEqual(await sync(p, [ep(`d.${zone}`, 'A', ['192.0.2.1']), ep(`t.${zone}`, 'A', ['192.0.2.3'], 120)]), emptyChanges());
});

test('a wrong API key is a non-transient error that does not show the key', async () => {
  const secret = 'wrong-secret-key-42';
  const { p, logs } = provider(undefined, { apiKey: secret });
  await assert.rejects(p.records(signal), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, 'EXTDNS_PDNS_UNAUTHORIZED');
    assert.equal(err.transient, false);
    assert.ok(!err.message.includes(secret));
    return true;
  });
  assert.ok(!logs.text().includes(secret));
  assert.ok(!logs.text().includes(pdns.apiKey));
  // The refused call is counted as a failure (extdns_provider_api_errors_total).
  assert.deepEqual(p.stats().calls.find((c) => c.operation === 'listZones'), { operation: 'listZones', calls: 1, errors: 1 });
});

test('connection refused and 5xx are transient', async () => {
  const closed = await freePort();
  const { p } = provider(undefined, { server: `http://127.0.0.1:${closed}` });
  await assert.rejects(p.records(signal), (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_PDNS_UNREACHABLE' && err.transient);
  // nginx in front of a dead upstream answers 502.
  const dead = await startNginx({ upstream: `http://127.0.0.1:${closed}` });
  try {
    const { p: q } = provider(undefined, { server: dead.url });
    await assert.rejects(q.records(signal), (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_PDNS_SERVER_ERROR' && err.transient && /502/.test(err.message));
  } finally {
    await dead.stop();
  }
});

test('a --pdns-server with a path prefix keeps it', async () => {
  const { p } = provider('sync.test', { server: `${front.url}/` });
  await p.records(signal);
  const bad = provider('sync.test', { server: `${front.url}/prefix` }).p;
  await front.mark();
  await assert.rejects(bad.records(signal));
  assert.ok((await front.requestsSinceMark()).every((r) => r.path.startsWith('/prefix/api/v1/')));
});
