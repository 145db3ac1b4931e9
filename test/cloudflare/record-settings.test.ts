/**
 * What a Cloudflare record carries besides its value, on the real SDK and the
 * test server: --cloudflare-record-comment and the comment annotation (a
 * comment-only change is planned and applied as a PATCH, then a no-op), the
 * comment cut to the zone plan's limit, the cloudflare-tags annotation, and
 * MX/SRV values (priority and SRV data) updated in place.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint, type EndpointInit } from '../../src/endpoint/endpoint.ts';
import { emptyChanges } from '../../src/plan/plan.ts';
import { makeProvider, sync, useServer, zonesFilter } from './harness.ts';

const fixture = useServer();
const signal = new AbortController().signal;

const P = 'external-dns.alpha.kubernetes.io/';

const batchesSince = (mark: number): unknown[] => fixture.server.requests.slice(mark).filter((r) => r.method === 'POST').map((r) => r.batch);

test('a changed --cloudflare-record-comment is applied to existing records and their TXT as a PATCH, then nothing more', async () => {
  const { zone, zoneId } = fixture.freshZone('r');
  const want: EndpointInit[] = [{ dnsName: `a.${zone}`, recordType: 'A', targets: ['192.0.2.1'] }, { dnsName: `b.${zone}`, recordType: 'A', targets: ['192.0.2.2'] }];
  await sync(makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), recordComment: 'v1' }).provider, want);
  assert.ok(fixture.server.records(zoneId).every((r) => r.comment === 'v1'), 'records and TXTs carry the comment');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), recordComment: 'v2' });
  let mark = fixture.server.requests.length;
  assert.equal(await sync(provider, want), 2);
  assert.deepEqual(batchesSince(mark), [{ deletes: 0, patches: 4, puts: 0, posts: 0 }]);
  assert.ok(fixture.server.records(zoneId).every((r) => r.comment === 'v2'));
  mark = fixture.server.requests.length;
  assert.equal(await sync(provider, want), 0);
  assert.deepEqual(batchesSince(mark), []);
  // The flag removed: the comment is cleared.
  await sync(makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) }).provider, want);
  assert.ok(fixture.server.records(zoneId).every((r) => r.comment === null));
});

test('the comment annotation wins over the flag; a comment is cut to 100 characters on a free plan, 500 on a paid one', async () => {
  const free = fixture.freshZone('r');
  const paid = fixture.freshZone('r', { paid: true });
  const long = 'x'.repeat(150);
  const ep = (zone: string, comment: string): EndpointInit => ({ dnsName: `c.${zone}`, recordType: 'A', targets: ['192.0.2.3'], providerSpecific: [{ name: `${P}cloudflare-record-comment`, value: comment }] });
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([free.zone, paid.zone]), recordComment: 'flag' });
  await sync(provider, [ep(free.zone, long), ep(paid.zone, long), { dnsName: `d.${free.zone}`, recordType: 'A', targets: ['192.0.2.4'] }]);
  const comment = (zoneId: string, name: string): string | null | undefined => fixture.server.records(zoneId).find((r) => r.name === name && r.type === 'A')?.comment;
  assert.equal(comment(free.zoneId, `c.${free.zone}`), 'x'.repeat(100));
  assert.equal(comment(paid.zoneId, `c.${paid.zone}`), long);
  assert.equal(comment(free.zoneId, `d.${free.zone}`), 'flag');
});

test('cloudflare-tags: written sorted and trimmed, read back, no write on a re-sync; a changed tag set is a PATCH', async () => {
  const { zone, zoneId } = fixture.freshZone('r');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const tagged = (tags: string): EndpointInit[] => [{ dnsName: `t.${zone}`, recordType: 'A', targets: ['192.0.2.5'], providerSpecific: [{ name: `${P}cloudflare-tags`, value: tags }] }];
  await sync(provider, tagged(' team:web , env:prod'));
  assert.deepEqual(fixture.server.records(zoneId).find((r) => r.type === 'A')?.tags, ['env:prod', 'team:web']);
  let mark = fixture.server.requests.length;
  assert.equal(await sync(provider, tagged('team:web,env:prod')), 0);
  assert.deepEqual(batchesSince(mark), []);
  mark = fixture.server.requests.length;
  assert.equal(await sync(provider, tagged('env:prod')), 1);
  assert.deepEqual(batchesSince(mark), [{ deletes: 0, patches: 2, puts: 0, posts: 0 }]);
  assert.deepEqual(fixture.server.records(zoneId).find((r) => r.type === 'A')?.tags, ['env:prod']);
});

test('MX keeps its preference in priority and SRV its fields in data; both read back as ExternalDNS targets and update in place', async () => {
  const { zone, zoneId } = fixture.freshZone('r');
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const mx = newEndpoint({ dnsName: zone, recordType: 'MX', targets: ['10 mail.example.net.'], recordTTL: 300 });
  const srv = newEndpoint({ dnsName: `_sip._tcp.${zone}`, recordType: 'SRV', targets: ['1 5 5060 sip.example.net.'], recordTTL: 300 });
  const [mxA, srvA] = await provider.adjustEndpoints([mx, srv]);
  await provider.applyChanges({ ...emptyChanges(), create: [mxA, srvA].filter((e) => e !== undefined) }, signal);
  const stored = fixture.server.records(zoneId);
  assert.deepEqual(stored.filter((r) => r.type === 'MX').map((r) => [r.content, r.priority]), [['mail.example.net', 10]]);
  assert.deepEqual(stored.find((r) => r.type === 'SRV')?.data, { priority: 1, weight: 5, port: 5060, target: 'sip.example.net' });
  const read = await provider.records(signal);
  assert.deepEqual(read.filter((e) => e.recordType !== 'A').map((e) => `${e.recordType} ${e.targets.join(',')}`).sort(),
    ['MX 10 mail.example.net', 'SRV 1 5 5060 sip.example.net.']);
  const current = read.find((e) => e.recordType === 'MX');
  const [next] = await provider.adjustEndpoints([newEndpoint({ ...mx, targets: ['20 mail.example.net'] })]);
  assert.ok(current !== undefined && next !== undefined);
  const id = stored.find((r) => r.type === 'MX')?.id;
  await provider.applyChanges({ ...emptyChanges(), updateOld: [current], updateNew: [next] }, signal);
  assert.deepEqual(fixture.server.records(zoneId).filter((r) => r.type === 'MX').map((r) => [r.id, r.priority]), [[id, 20]]);
});
