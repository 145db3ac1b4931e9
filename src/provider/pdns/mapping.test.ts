import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { MATCH_ALL, type DomainFilter } from '../../endpoint/domain-filter.ts';
import { buildZoneChanges, patchBody, staleChanges } from './changes.ts';
import { canonicalIpv6, ownedName, wireContent } from '../kit/records.ts';
import type { PdnsRrset, PdnsZoneSummary } from './client.ts';
import { canonicalEndpoint, rrsetToEndpoint, wireRecords } from './mapping.ts';
import { quoteTxt } from '../txt-content.ts';
import { buildZoneIndex, isZoneInScope } from './zones.ts';

const noApex = { isZoneApex: () => false };
const rr = (name: string, type: string, contents: string[], opts: { ttl?: number; disabled?: boolean } = {}): PdnsRrset => ({
  name, type, ttl: opts.ttl ?? 300, records: contents.map((content) => ({ content, disabled: opts.disabled ?? false })),
});
const zone = (name: string): PdnsZoneSummary => ({ id: `${name}.`, name: `${name}.`, serial: 1, editedSerial: 1 });

test('rrsets map to endpoints the way ExternalDNS reads them', () => {
  assert.equal(rrsetToEndpoint(rr('example.com.', 'SOA', ['a. b. 1 2 3 4 5'])), undefined);
  assert.deepEqual(rrsetToEndpoint(rr('www.example.com.', 'A', ['1.2.3.4', '1.2.3.5'], { ttl: 60 }))?.targets, ['1.2.3.4', '1.2.3.5']);
  const cname = rrsetToEndpoint(rr('c.example.com.', 'CNAME', ['Target.other.org.']));
  assert.equal(cname?.dnsName, 'c.example.com');
  assert.deepEqual(cname?.targets, ['Target.other.org']);
  assert.deepEqual(rrsetToEndpoint(rr('mx.example.com.', 'MX', ['10 mail.example.com.']))?.targets, ['10 mail.example.com']);
  assert.deepEqual(rrsetToEndpoint(rr('_s._tcp.example.com.', 'SRV', ['1 2 3 sip.example.com.']))?.targets, ['1 2 3 sip.example.com.']);
  assert.deepEqual(rrsetToEndpoint(rr('t.example.com.', 'TXT', ['"hello world"']))?.targets, ['"hello world"']);
  const alias = rrsetToEndpoint(rr('example.com.', 'ALIAS', ['lb.other.org.']));
  assert.equal(alias?.recordType, 'CNAME');
  assert.deepEqual(alias?.providerSpecific, [{ name: 'alias', value: 'true' }]);
});

test('disabled records are invisible; an RRset with only disabled records is no endpoint', () => {
  const set: PdnsRrset = { name: 'a.example.com.', type: 'A', ttl: 300, records: [{ content: '1.1.1.1', disabled: true }, { content: '2.2.2.2', disabled: false }] };
  assert.deepEqual(rrsetToEndpoint(set)?.targets, ['2.2.2.2']);
  assert.equal(rrsetToEndpoint(rr('b.example.com.', 'A', ['1.1.1.1'], { disabled: true })), undefined);
});

test('wire content is what PowerDNS 4.7 accepts', () => {
  assert.equal(wireContent('CNAME', 'target.other.org'), 'target.other.org.');
  assert.equal(wireContent('CNAME', 'target.other.org.'), 'target.other.org.');
  assert.equal(wireContent('MX', '10   mail.example.com'), '10 mail.example.com.');
  assert.equal(wireContent('SRV', '1 2 3 sip.example.com'), '1 2 3 sip.example.com.');
  assert.equal(wireContent('NS', 'ns1.other.org'), 'ns1.other.org.');
  assert.equal(wireContent('TXT', 'hello "you"'), '"hello \\"you\\""');
  assert.equal(wireContent('AAAA', '2001:0DB8:0000::0001'), '2001:db8::1');
  assert.equal(wireContent('A', ' 1.2.3.4 '), '1.2.3.4');
});

test('TXT quoting keeps already quoted content (the registry writes it quoted) and quotes the rest', () => {
  assert.equal(quoteTxt('"heritage=external-dns,external-dns/owner=a"'), '"heritage=external-dns,external-dns/owner=a"');
  assert.equal(quoteTxt('"part one" "part two"'), '"part one" "part two"');
  assert.equal(quoteTxt('"a" b "c"'), '"\\"a\\" b \\"c\\""');
  assert.equal(quoteTxt('v=spf1 -all'), '"v=spf1 -all"');
  assert.equal(quoteTxt('back\\slash'), '"back\\\\slash"');
  // An escaped quote inside a string keeps it one string; strings may be separated by tabs; an open string is not quoted.
  assert.equal(quoteTxt('"say \\"hi\\""'), '"say \\"hi\\""');
  assert.equal(quoteTxt('"a"\t"b"'), '"a"\t"b"');
  assert.equal(quoteTxt('"a" "b'), '"\\"a\\" \\"b"');
  assert.equal(canonicalIpv6('1.2.3.4'), '1.2.3.4');
});

/** What records() would return after writing `ep`: wire form, then the read mapping. */
function roundTrip(ep: Endpoint, type = ep.recordType): Endpoint | undefined {
  return rrsetToEndpoint({ name: `${ep.dnsName.toLowerCase()}.`, type, ttl: ep.recordTTL || 300, records: wireRecords(ep) });
}

test('adjusted endpoints equal what records() returns after the write (zero churn)', () => {
  const cases: Endpoint[] = [
    newEndpoint({ dnsName: 'WWW.Example.com.', recordType: 'A', targets: ['1.2.3.4'] }),
    newEndpoint({ dnsName: 'v6.example.com', recordType: 'AAAA', targets: ['2001:0db8::0001', '2001:db8::1'] }),
    newEndpoint({ dnsName: 'c.example.com', recordType: 'CNAME', targets: ['lb.other.org.'] }),
    newEndpoint({ dnsName: 'mx.example.com', recordType: 'MX', targets: ['10 mail.example.com', '20  mx2.example.com.'] }),
    newEndpoint({ dnsName: '_sip._tcp.example.com', recordType: 'SRV', targets: ['1 2 3 sip.example.com'] }),
    newEndpoint({ dnsName: 't.example.com', recordType: 'TXT', targets: ['v=spf1 -all', '"quoted"'] }),
    newEndpoint({ dnsName: 'ns.example.com', recordType: 'NS', targets: ['ns1.other.org'] }),
  ];
  for (const ep of cases) {
    const adjusted = canonicalEndpoint(ep, noApex);
    const read = roundTrip(adjusted);
    assert.ok(read !== undefined);
    assert.equal(read.dnsName, adjusted.dnsName, ep.dnsName);
    assert.deepEqual(read.targets, adjusted.targets, `${ep.dnsName} ${ep.recordType}`);
  }
});

test('a CNAME at a zone apex or with alias=true is an ALIAS and reads back with alias=true', () => {
  const apex = canonicalEndpoint(newEndpoint({ dnsName: 'example.com', recordType: 'CNAME', targets: ['lb.other.org'] }), { isZoneApex: (n) => n === 'example.com' });
  assert.deepEqual(apex.providerSpecific, [{ name: 'alias', value: 'true' }]);
  const read = roundTrip(apex, 'ALIAS');
  assert.deepEqual(read?.providerSpecific, apex.providerSpecific);
  const plain = canonicalEndpoint(newEndpoint({ dnsName: 'a.example.com', recordType: 'CNAME', targets: ['x.org'], providerSpecific: [{ name: 'alias', value: 'false' }] }), noApex);
  assert.deepEqual(plain.providerSpecific, []);
  const onA = canonicalEndpoint(newEndpoint({ dnsName: 'a.example.com', recordType: 'A', targets: ['1.1.1.1'], providerSpecific: [{ name: 'alias', value: 'true' }] }), noApex);
  assert.deepEqual(onA.providerSpecific, []);
});

test('unicode names are written as punycode', () => {
  assert.equal(canonicalEndpoint(newEndpoint({ dnsName: 'bücher.example.com', recordType: 'A', targets: ['1.1.1.1'] }), noApex).dnsName, 'xn--bcher-kva.example.com');
});

const listFilter = (include: string[]): DomainFilter => ({
  match: (n) => include.some((d) => n === d || n.endsWith(`.${d}`)),
  isConfigured: () => true,
  toWire: () => ({ include }),
});

test('zones in scope: by the filter, or as the parent of a filtered domain; the longest zone wins', () => {
  assert.equal(isZoneInScope('example.com', MATCH_ALL), true);
  assert.equal(isZoneInScope('example.com', listFilter(['app.example.com'])), true);
  assert.equal(isZoneInScope('other.org', listFilter(['app.example.com'])), false);
  const index = buildZoneIndex([zone('example.com'), zone('sub.example.com'), zone('other.org')], listFilter(['example.com']));
  assert.equal(index.zoneFor('a.sub.example.com')?.name, 'sub.example.com.');
  assert.equal(index.zoneFor('a.other.org'), undefined);
  const narrow = buildZoneIndex([zone('example.com'), zone('sub.example.com')], {
    match: (n) => !n.endsWith('sub.example.com'), isConfigured: () => true, toWire: () => ({ exclude: ['sub.example.com'] }),
  });
  assert.equal(narrow.zoneFor('a.sub.example.com'), undefined, 'a name in an unmanaged child zone is not written through the parent');
  assert.equal(narrow.filter().match('a.sub.example.com'), false);
  assert.equal(narrow.filter().match('b.example.com'), true);
});

test('changes: one REPLACE when an RRset is both deleted and created; TXT travels with its record; deletes first', () => {
  const index = buildZoneIndex([zone('example.com')], MATCH_ALL);
  const changes = emptyChanges();
  changes.create.push(
    newEndpoint({ dnsName: 'www.example.com', recordType: 'A', targets: ['1.1.1.1'] }),
    newEndpoint({ dnsName: 'a-www.example.com', recordType: 'TXT', targets: ['"heritage=external-dns"'], labels: { ownedRecord: 'www.example.com' } }),
    newEndpoint({ dnsName: 'x.example.com', recordType: 'A', targets: ['2.2.2.2'] }),
  );
  changes.delete.push(
    newEndpoint({ dnsName: 'x.example.com', recordType: 'A', targets: ['9.9.9.9'] }),
    newEndpoint({ dnsName: 'www.example.com', recordType: 'CNAME', targets: ['old.example.com'] }),
  );
  const built = buildZoneChanges(changes, index);
  const [z] = built.zones;
  assert.ok(z !== undefined);
  assert.deepEqual(z.groups.map((g) => g.name), ['www.example.com', 'x.example.com']);
  const www = z.groups[0]?.changes.map((c) => `${c.change.changetype} ${c.key}`);
  assert.deepEqual(www, ['DELETE www.example.com./CNAME', 'REPLACE a-www.example.com./TXT', 'REPLACE www.example.com./A']);
  assert.deepEqual(z.groups[1]?.changes.map((c) => c.change.changetype), ['REPLACE']);
  const body = patchBody(z.groups);
  assert.equal(body[0]?.changetype, 'DELETE');
  assert.equal(body.filter((c) => c.changetype === 'DELETE').length, 1);
});

test('changes: an update that turns a CNAME into an ALIAS deletes the CNAME RRset', () => {
  const index = buildZoneIndex([zone('example.com')], MATCH_ALL);
  const changes = emptyChanges();
  changes.updateOld.push(newEndpoint({ dnsName: 'c.example.com', recordType: 'CNAME', targets: ['x.org'] }));
  changes.updateNew.push(newEndpoint({ dnsName: 'c.example.com', recordType: 'CNAME', targets: ['x.org'], providerSpecific: [{ name: 'alias', value: 'true' }] }));
  const body = patchBody(buildZoneChanges(changes, index).zones[0]?.groups ?? []);
  assert.deepEqual(body.map((c) => `${c.changetype} ${c.type}`), ['DELETE CNAME', 'REPLACE ALIAS']);
});

test('strictness: stale creates and deletes are found before any write (exact deletes)', () => {
  const index = buildZoneIndex([zone('example.com')], MATCH_ALL);
  const changes = emptyChanges();
  changes.delete.push(newEndpoint({ dnsName: 'a.example.com', recordType: 'A', targets: ['1.1.1.1'] }));
  changes.delete.push(newEndpoint({ dnsName: 'b.example.com', recordType: 'A', targets: ['2.2.2.2'] }));
  changes.delete.push(newEndpoint({ dnsName: 'gone.example.com', recordType: 'A', targets: ['2.2.2.2'] }));
  changes.create.push(newEndpoint({ dnsName: 'c.example.com', recordType: 'A', targets: ['4.4.4.4'] }));
  changes.create.push(newEndpoint({ dnsName: 'b.example.com', recordType: 'A', targets: ['5.5.5.5'] }));
  changes.delete.push(newEndpoint({ dnsName: 'a-x.example.com', recordType: 'TXT', targets: ['"rebuilt"'], labels: { ownedRecord: 'x.example.com' } }));
  const current = new Map([
    ['a.example.com./A', ['1.1.1.1', '3.3.3.3']], ['b.example.com./A', ['2.2.2.2']], ['c.example.com./A', ['9.9.9.9']], ['a-x.example.com./TXT', ['"stored"']],
  ]);
  const built = buildZoneChanges(changes, index);
  const stale = staleChanges(built.zones, (_z, k) => current.get(k));
  assert.equal(stale.length, 3, stale.join('\n'));
  assert.match(stale.join('\n'), /delete a\.example\.com A .*holds \[1\.1\.1\.1 3\.3\.3\.3\]/);
  assert.match(stale.join('\n'), /delete gone\.example\.com A .*no such record set/);
  assert.match(stale.join('\n'), /create c\.example\.com A .*already exists/);
  // b: deleted and created in one batch is a single REPLACE, which may find the RRset there.
  assert.deepEqual(built.zones[0]?.groups.find((g) => g.name === 'b.example.com')?.changes.map((c) => c.change.changetype), ['REPLACE']);
});

test('changes: names outside managed zones are reported and not written', () => {
  const index = buildZoneIndex([zone('example.com')], MATCH_ALL);
  const changes = emptyChanges();
  changes.create.push(newEndpoint({ dnsName: 'a.other.org', recordType: 'A', targets: ['1.1.1.1'] }));
  const built = buildZoneChanges(changes, index);
  assert.equal(built.zones.length, 0);
  assert.equal(built.outOfZone.length, 1);
});

test('owned name: the ownedRecord label, else the typed TXT prefix, else the name', () => {
  assert.equal(ownedName(newEndpoint({ dnsName: 'txt.www.example.com', recordType: 'TXT', labels: { ownedRecord: 'WWW.example.com' } })), 'www.example.com');
  assert.equal(ownedName(newEndpoint({ dnsName: 'cname-api.example.com', recordType: 'TXT' })), 'api.example.com');
  assert.equal(ownedName(newEndpoint({ dnsName: 'cname-api.example.com', recordType: 'A' })), 'cname-api.example.com');
});
