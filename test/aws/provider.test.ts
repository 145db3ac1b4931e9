/**
 * Route53 zones, record pagination, alias records and routing policies,
 * against the test server through the real SDK.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getProperty, newEndpoint } from '../../src/endpoint/endpoint.ts';
import { emptyChanges } from '../../src/plan/plan.ts';
import { usePkiServer } from '../support/server-fixture.ts';
import { createAwsProvider } from '../../src/provider/aws/index.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { defaultOptions, InstantClock, makeProvider, startServer, sync, testClient, zonesFilter } from './harness.ts';

const fixture = usePkiServer('Route53', startServer);
let serial = 0;
const signal = new AbortController().signal;

function unique(label: string): string {
  serial++;
  return `${label}${serial}.test`;
}

test('zones: every ListHostedZones page is read, and zone type, tags (10 ids per call), id and domain filters apply', async () => {
  const base = unique('zones');
  const ids = Array.from({ length: 120 }, (_, i) => fixture.server.addZone(`z${i}.${base}`, { private: i % 2 === 1, tags: i % 3 === 0 ? { team: 'dns' } : { team: 'web' } }));
  const filter = zonesFilter([base]);
  const all = makeProvider(fixture.server, fixture.pki, { domainFilter: filter });
  const mark = fixture.server.requests.length;
  await all.records(signal);
  assert.ok(fixture.server.requests.slice(mark).filter((r) => r.operation === 'ListHostedZones').length >= 2, 'zone list is paginated');
  assert.equal(all.domainFilter().toWire().include?.length, 120);

  const publicDns = makeProvider(fixture.server, fixture.pki, { domainFilter: filter, zoneType: 'public', zoneTags: ['team=dns'] });
  const tagMark = fixture.server.requests.length;
  await publicDns.records(signal);
  // 60 public zones pass the cheap filters; their tags take ceil(60 / 10) calls.
  assert.equal(fixture.server.requests.slice(tagMark).filter((r) => r.operation === 'ListTagsForResources').length, 6);
  const names = publicDns.domainFilter().toWire().include ?? [];
  assert.equal(names.length, 20);
  assert.ok(names.every((n) => Number(/^z(\d+)\./.exec(n)?.[1]) % 6 === 0), names.join(','));

  const byId = makeProvider(fixture.server, fixture.pki, { domainFilter: filter, zoneIdFilter: [`/hostedzone/${ids[5] ?? ''}`, ids[7] ?? ''] });
  await byId.records(signal);
  assert.deepEqual(byId.domainFilter().toWire().include, [`z5.${base}`, `z7.${base}`]);
});

test('--aws-zone-match-parent takes the parent zone of a filtered subdomain; without it the zone is skipped', async () => {
  const zone = unique('parent');
  fixture.server.addZone(zone);
  const filter = zonesFilter([`first.us-east-1.${zone}`]);
  const strict = makeProvider(fixture.server, fixture.pki, { domainFilter: filter });
  await strict.records(signal);
  assert.deepEqual(strict.domainFilter().toWire().include, []);
  const parent = makeProvider(fixture.server, fixture.pki, { domainFilter: filter, zoneMatchParent: true });
  await parent.records(signal);
  assert.deepEqual(parent.domainFilter().toWire().include, [zone]);
});

test('--aws-zones-cache-duration keeps the zone list for that long on the clock', async () => {
  const zone = unique('cache');
  fixture.server.addZone(zone);
  const clock = new InstantClock();
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), zonesCacheDurationMs: 60_000 }, clock);
  const lists = (): number => provider.stats().apiCalls.ListHostedZones ?? 0;
  await provider.records(signal);
  const pages = lists();
  await provider.records(signal);
  assert.equal(lists(), pages, 'cached: no list call');
  clock.now_ += 61_000;
  await provider.records(signal);
  assert.equal(lists(), 2 * pages, 'expired: listed again');
});

test('records: ListResourceRecordSets pages of 300 are followed to the end, wildcards decoded', async () => {
  const zone = unique('pages');
  const id = fixture.server.addZone(zone);
  for (let i = 0; i < 700; i++) fixture.server.put(id, { name: `h${i}.${zone}`, type: 'A', ttl: 60, values: [`10.0.${i >> 8}.${i & 255}`], extra: {} });
  fixture.server.put(id, { name: `*.${zone}`, type: 'A', ttl: 60, values: ['10.9.9.9'], extra: {} });
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const mark = fixture.server.requests.length;
  const records = await provider.records(signal);
  assert.equal(records.filter((r) => r.recordType === 'A').length, 701);
  assert.ok(records.some((r) => r.dnsName === `*.${zone}`));
  assert.equal(fixture.server.requests.slice(mark).filter((r) => r.operation === 'ListResourceRecordSets').length, 3);
});

test('a CNAME to an ELB becomes A and AAAA alias records in the ELB\'s canonical zone; a re-sync plans nothing', async () => {
  const zone = unique('alias');
  const id = fixture.server.addZone(zone);
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const desired = [
    newEndpoint({ dnsName: `lb.${zone}`, recordType: 'CNAME', targets: ['my-lb-123.us-gov-west-1.elb.amazonaws.com'] }),
    newEndpoint({ dnsName: `cdn.${zone}`, recordType: 'CNAME', targets: ['d111111abcdef8.cloudfront.net'], providerSpecific: [{ name: 'aws/evaluate-target-health', value: 'false' }] }),
    newEndpoint({ dnsName: `web.${zone}`, recordType: 'A', targets: ['192.0.2.1'] }),
    newEndpoint({ dnsName: `apex-alias.${zone}`, recordType: 'A', targets: [`web.${zone}`], providerSpecific: [{ name: 'alias', value: 'true' }] }),
  ];
  await sync(provider, desired);
  const sets = new Map(fixture.server.recordSets(id).map((s) => [`${s.name} ${s.type}`, s]));
  assert.deepEqual(sets.get(`lb.${zone}. A`)?.alias, { hostedZoneId: 'Z33AYJ8TM3BH4J', dnsName: 'my-lb-123.us-gov-west-1.elb.amazonaws.com.', evaluateTargetHealth: true });
  assert.equal(sets.get(`lb.${zone}. AAAA`)?.alias?.hostedZoneId, 'Z33AYJ8TM3BH4J');
  assert.deepEqual(sets.get(`cdn.${zone}. A`)?.alias, { hostedZoneId: 'Z2FDTNDATAQYW2', dnsName: 'd111111abcdef8.cloudfront.net.', evaluateTargetHealth: false });
  assert.equal(sets.get(`apex-alias.${zone}. A`)?.alias?.hostedZoneId, id, 'an alias to a record of the same zone uses the zone id');
  assert.ok(sets.has(`a-lb.${zone}. TXT`) && sets.has(`aaaa-lb.${zone}. TXT`), 'both alias records are owned');
  assert.equal(await sync(provider, desired), 0);
  const lb = (await provider.records(signal)).find((e) => e.dnsName === `lb.${zone}` && e.recordType === 'A');
  assert.equal(lb?.recordTTL, 300);
  assert.equal(getProperty(lb ?? newEndpoint({ dnsName: '', recordType: 'A' }), 'alias'), 'true');
});

test('--aws-prefer-cname keeps a CNAME to an ELB a CNAME; --no-aws-evaluate-target-health sets the alias default', async () => {
  const zone = unique('prefer');
  const id = fixture.server.addZone(zone);
  const cname = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), preferCname: true });
  await sync(cname, [newEndpoint({ dnsName: `lb.${zone}`, recordType: 'CNAME', targets: ['my-lb.elb.eu-west-1.amazonaws.com'] })]);
  assert.deepEqual(fixture.server.recordSets(id).find((s) => s.name === `lb.${zone}.`)?.values, ['my-lb.elb.eu-west-1.amazonaws.com']);
  assert.equal(await sync(cname, [newEndpoint({ dnsName: `lb.${zone}`, recordType: 'CNAME', targets: ['my-lb.elb.eu-west-1.amazonaws.com'] })]), 0);

  const noEval = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]), evaluateTargetHealth: false });
  await sync(noEval, [newEndpoint({ dnsName: `nlb.${zone}`, recordType: 'CNAME', targets: ['x.elb.eu-west-1.amazonaws.com'] })], 'other');
  assert.deepEqual(fixture.server.recordSets(id).find((s) => s.name === `nlb.${zone}.` && s.type === 'A')?.alias, { hostedZoneId: 'Z2IFOLAFXWLO4F', dnsName: 'x.elb.eu-west-1.amazonaws.com.', evaluateTargetHealth: false });
});

test('routing policies from set identifiers and aws/* properties round-trip with no churn', async () => {
  const zone = unique('routing');
  const id = fixture.server.addZone(zone);
  const provider = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter([zone]) });
  const ep = (set: string, target: string, props: Record<string, string>): ReturnType<typeof newEndpoint> => newEndpoint({
    dnsName: `app.${zone}`, recordType: 'A', targets: [target], setIdentifier: set, providerSpecific: Object.entries(props).map(([name, value]) => ({ name, value })),
  });
  const desired = [
    ep('blue', '192.0.2.1', { 'aws/weight': '10', 'aws/health-check-id': 'hc-1' }),
    ep('green', '192.0.2.2', { 'aws/weight': '90' }),
    newEndpoint({ dnsName: `geo.${zone}`, recordType: 'A', targets: ['192.0.2.3'], setIdentifier: 'eu', providerSpecific: [{ name: 'aws/geolocation-continent-code', value: 'EU' }] }),
    newEndpoint({ dnsName: `geo.${zone}`, recordType: 'A', targets: ['192.0.2.4'], setIdentifier: 'us-ca', providerSpecific: [{ name: 'aws/geolocation-country-code', value: 'US' }, { name: 'aws/geolocation-subdivision-code', value: 'CA' }] }),
    newEndpoint({ dnsName: `fo.${zone}`, recordType: 'A', targets: ['192.0.2.5'], setIdentifier: 'primary', providerSpecific: [{ name: 'aws/failover', value: 'PRIMARY' }] }),
    newEndpoint({ dnsName: `mv.${zone}`, recordType: 'A', targets: ['192.0.2.6'], setIdentifier: 'one', providerSpecific: [{ name: 'aws/multi-value-answer', value: '' }] }),
    newEndpoint({ dnsName: `lat.${zone}`, recordType: 'A', targets: ['192.0.2.7'], setIdentifier: 'fra', providerSpecific: [{ name: 'aws/region', value: 'eu-central-1' }] }),
  ];
  await sync(provider, desired, '');
  const sets = fixture.server.recordSets(id);
  const blue = sets.find((s) => s.setIdentifier === 'blue');
  assert.equal(blue?.extra.Weight, '10');
  assert.equal(blue?.extra.HealthCheckId, 'hc-1');
  assert.deepEqual(sets.find((s) => s.setIdentifier === 'us-ca')?.geo, { CountryCode: 'US', SubdivisionCode: 'CA' });
  assert.equal(sets.find((s) => s.setIdentifier === 'primary')?.extra.Failover, 'PRIMARY');
  assert.equal(sets.find((s) => s.setIdentifier === 'one')?.extra.MultiValueAnswer, 'true');
  assert.equal(sets.find((s) => s.setIdentifier === 'fra')?.extra.Region, 'eu-central-1');
  assert.equal(await sync(provider, desired, ''), 0, 'a no-op sync plans no change');

  // A new weight is an UPSERT of that one record set.
  const mark = fixture.server.requests.length;
  assert.equal(await sync(provider, [ep('blue', '192.0.2.1', { 'aws/weight': '50', 'aws/health-check-id': 'hc-1' }), ...desired.slice(1)], ''), 1);
  const write = fixture.server.requests.slice(mark).find((r) => r.operation === 'ChangeResourceRecordSets');
  assert.deepEqual(write?.changed, [`UPSERT app.${zone} A`]);
});

test('an empty change set makes no API call', async () => {
  const provider = makeProvider(fixture.server, fixture.pki);
  const mark = fixture.server.requests.length;
  await provider.applyChanges(emptyChanges(), signal);
  assert.equal(fixture.server.requests.length, mark);
});

test('several --aws-profile accounts: zones of each are managed, and each change goes through the client that sees its zone', async () => {
  const other = await startServer(fixture.pki);
  try {
    const zoneA = unique('acct-a');
    const zoneB = unique('acct-b');
    const idA = fixture.server.addZone(zoneA);
    const idB = other.addZone(zoneB);
    const provider = createAwsProvider(defaultOptions({ domainFilter: zonesFilter([zoneA, zoneB]) }), {
      logger: captureLogger().logger, clock: new InstantClock(),
      clients: [{ profile: 'a', client: testClient(fixture.server, fixture.pki) }, { profile: 'b', client: testClient(other, fixture.pki) }],
    });
    await sync(provider, [
      newEndpoint({ dnsName: `x.${zoneA}`, recordType: 'A', targets: ['192.0.2.1'] }),
      newEndpoint({ dnsName: `x.${zoneB}`, recordType: 'A', targets: ['192.0.2.2'] }),
    ]);
    assert.deepEqual(fixture.server.recordSets(idA).find((s) => s.name === `x.${zoneA}.`)?.values, ['192.0.2.1']);
    assert.deepEqual(other.recordSets(idB).find((s) => s.name === `x.${zoneB}.`)?.values, ['192.0.2.2']);
    assert.equal(other.count('ChangeResourceRecordSets'), 1);
  } finally {
    await other.stop();
  }
});
