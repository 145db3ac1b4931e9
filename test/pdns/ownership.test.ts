/**
 * Ownership on a real PowerDNS, through the real planner and TXT registry:
 * records without our ownership TXT, or owned by another id, are never
 * changed; a zone that ExternalDNS populated (its TXT format) is taken over
 * with no change at all.
 */
import { createDomainFilter } from '../../src/endpoint/domain-filter.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DomainFilter } from '../../src/endpoint/domain-filter.ts';
import { newEndpoint, type Endpoint } from '../../src/endpoint/endpoint.ts';
import { calculate } from '../../src/plan/calculate.ts';
import type { Changes } from '../../src/plan/plan.ts';
import { createPdnsProvider } from '../../src/provider/pdns/index.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { startNginx, type Nginx } from '../support/nginx.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';

let pdns: PdnsServer;
let front: Nginx;
const signal = new AbortController().signal;
const OWNER = 'extdns-e2e';

before(async () => {
  pdns = await startPdns();
  front = await startNginx({ upstream: pdns.apiUrl });
});
after(async () => {
  await front?.stop();
  await pdns?.stop();
});

const only = (zone: string): DomainFilter => createDomainFilter({ include: [zone] });

function registryFor(zone: string, ownerId = OWNER) {
  const deps = { logger: captureLogger().logger, clock: new FakeClock() };
  const provider = createPdnsProvider({ server: front.url, serverId: 'localhost', apiKey: pdns.apiKey, skipTlsVerify: false, domainFilter: only(zone) }, deps);
  return createTxtRegistry(provider, {
    ownerId, prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [],
  }, deps);
}

async function sync(zone: string, desired: Endpoint[]): Promise<Changes> {
  const registry = registryFor(zone);
  const { changes } = calculate({
    current: await registry.records(signal),
    desired: await registry.adjustEndpoints(desired),
    policy: 'sync',
    domainFilters: [only(zone), registry.domainFilter()],
    managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    excludeRecordTypes: [],
    ownerId: OWNER,
    oldOwnerId: '',
  });
  const n = changes.create.length + changes.updateNew.length + changes.delete.length;
  if (n > 0) await registry.applyChanges(changes, signal);
  return changes;
}

const total = (c: Changes) => c.create.length + c.updateNew.length + c.delete.length;
const ep = (dnsName: string, recordType: string, targets: string[]) => newEndpoint({ dnsName, recordType, targets });
const snapshot = async (zone: string) => (await pdns.rrsets(zone)).filter((r) => r.type !== 'SOA').map((r) => `${r.name} ${r.type} ${r.ttl} ${r.records.map((x) => x.content).sort().join(',')}`).sort();

test('records not owned by us, or owned by another id, are never changed', async () => {
  const zone = 'owners.test';
  const foreign = `"heritage=external-dns,external-dns/owner=someone-else,external-dns/resource=service/default/x"`;
  await pdns.createZone(zone, [
    { name: `manual.${zone}`, type: 'A', contents: ['192.0.2.1'] },
    { name: `theirs.${zone}`, type: 'A', contents: ['192.0.2.2'] },
    { name: `a-theirs.${zone}`, type: 'TXT', contents: [foreign] },
    { name: `theirs-gone.${zone}`, type: 'CNAME', contents: ['elsewhere.example.net.'] },
    { name: `cname-theirs-gone.${zone}`, type: 'TXT', contents: [foreign] },
  ]);
  const before = await snapshot(zone);
  await front.mark();
  const changes = await sync(zone, [ep(`manual.${zone}`, 'A', ['192.0.2.100']), ep(`theirs.${zone}`, 'A', ['192.0.2.200']), ep(`mine.${zone}`, 'A', ['192.0.2.3'])]);
  assert.deepEqual(changes.create.map((e) => `${e.dnsName} ${e.recordType}`), [`mine.${zone} A`]);
  assert.equal(changes.updateNew.length + changes.delete.length, 0);
  const all = await snapshot(zone);
  assert.ok(all.some((l) => l.startsWith(`a-mine.${zone}. TXT`) && l.includes(`owner=${OWNER}`)), all.join('\n'));
  const after = all.filter((l) => !l.includes('mine.'));
  assert.deepEqual(after, before, 'nothing of others changed');
  assert.equal((await front.requestsSinceMark()).filter((r) => r.method === 'PATCH').length, 1, 'record and its TXT in one PATCH');
  assert.deepEqual(await pdns.dig(`mine.${zone}`, 'A'), ['192.0.2.3']);
  assert.equal(total(await sync(zone, [ep(`mine.${zone}`, 'A', ['192.0.2.3'])])), 0, 'the next sync changes nothing');
});

test('taking over a zone that ExternalDNS populated makes no change', async () => {
  const zone = 'takeover.test';
  const owned = (resource: string) => `"heritage=external-dns,external-dns/owner=${OWNER},external-dns/resource=${resource}"`;
  // As ExternalDNS v0.22 leaves a zone: each record, its new-format `<type>-` TXT, and the old-format TXT at the name.
  await pdns.createZone(zone, [
    { name: `web.${zone}`, type: 'A', contents: ['192.0.2.10', '192.0.2.11'] },
    { name: `a-web.${zone}`, type: 'TXT', contents: [owned('service/default/web')] },
    { name: `web.${zone}`, type: 'TXT', contents: [owned('service/default/web')] },
    { name: `v6.${zone}`, type: 'AAAA', contents: ['2001:db8::10'] },
    { name: `aaaa-v6.${zone}`, type: 'TXT', contents: [owned('service/default/v6')] },
    { name: `www.${zone}`, type: 'CNAME', contents: [`web.${zone}.`] },
    { name: `cname-www.${zone}`, type: 'TXT', contents: [owned('ingress/default/www')] },
  ]);
  const before = await snapshot(zone);
  await front.mark();
  const changes = await sync(zone, [
    ep(`web.${zone}`, 'A', ['192.0.2.11', '192.0.2.10']),
    ep(`v6.${zone}`, 'AAAA', ['2001:0db8:0:0::10']),
    ep(`www.${zone}`, 'CNAME', [`web.${zone}`]),
  ]);
  assert.equal(total(changes), 0, JSON.stringify(changes));
  assert.equal((await front.requestsSinceMark()).filter((r) => r.method === 'PATCH').length, 0);
  assert.deepEqual(await snapshot(zone), before);
});
