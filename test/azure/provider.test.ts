/**
 * The Azure providers against the ARM test server, built by the CLI's wiring:
 * Azure Stack Hub behind a private CA with and without --tls-ca, first sync
 * then a no-op (no write), exact deletes in a zone longer than one page,
 * records nobody owns untouched, ETags (a concurrent change is not
 * overwritten), and 429 + Retry-After.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newEndpoint, type Endpoint } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { calculate, isEmpty } from '../../src/plan/calculate.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import type { Provider } from '../../src/provider/provider.ts';
import type { ProviderStats } from '../../src/provider/stats.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { buildAzureProvider, stackHubConfig, startArm } from './harness.ts';

const ZONE = 'stack.example';
const signal = new AbortController().signal;
let pki: Pki;

before(async () => { pki = await createPki(); });
after(async () => { await pki.cleanup(); });

function a(name: string, ip: string): Endpoint {
  return newEndpoint({ dnsName: `${name}.${ZONE}`, recordType: 'A', targets: [ip], recordTTL: 300 });
}

/** One sync through the TXT registry, as the controller does it. */
async function sync(provider: Provider, desired: Endpoint[]): Promise<void> {
  const registry = createTxtRegistry(provider, {
    ownerId: 'stack', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [],
  }, { clock: new FakeClock(), logger: captureLogger().logger });
  const { changes } = calculate({
    current: await registry.records(signal), desired: await registry.adjustEndpoints(desired), policy: 'sync',
    domainFilters: [], managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [], ownerId: 'stack', oldOwnerId: '',
  });
  if (!isEmpty(changes)) await registry.applyChanges(changes, signal);
}

test('Azure Stack Hub with a private CA: without --tls-ca the token request fails with EXTDNS_AZURE_TLS; with it, records are read', async () => {
  const server = await startArm(pki);
  server.addZone('dns', ZONE);
  try {
    const without = await buildAzureProvider('azure', stackHubConfig(server), [], { SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' });
    try {
      await assert.rejects(without.provider.records(signal), (err: unknown) => err instanceof ExtdnsError && err.code === 'EXTDNS_AZURE_TLS');
      assert.equal(server.requests.length, 0);
    } finally {
      await without.close();
    }
    const withCa = await buildAzureProvider('azure', stackHubConfig(server), [`--tls-ca=${pki.rootA.certFile}`]);
    try {
      const records = await withCa.provider.records(signal);
      assert.deepEqual(records.map((r) => `${r.dnsName} ${r.recordType}`), [`${ZONE} NS`]);
      assert.equal(server.tokenRequests.length, 1, 'one token from the Stack Hub authority');
      assert.match(server.tokenRequests[0]?.body ?? '', /scope=.*%2F.default/);
    } finally {
      await withCa.close();
    }
  } finally {
    await server.close();
  }
});

test('first sync writes record then TXT; a second sync writes nothing; exact deletes in a zone of several pages leave foreign records alone', async () => {
  const server = await startArm(pki, { pageSize: 5 });
  server.addZone('dns', ZONE);
  server.putSet({ kind: 'dns', zone: ZONE, name: 'foreign', type: 'A' }, { ttl: 60, aRecords: [{ ipv4Address: '198.51.100.1' }] });
  const built = await buildAzureProvider('azure', stackHubConfig(server), [`--tls-ca=${pki.rootA.certFile}`]);
  try {
    const desired = Array.from({ length: 12 }, (_, i) => a(`web${i}`, `192.0.2.${i + 1}`));
    await sync(built.provider, desired);
    const puts = server.requests.filter((r) => r.method === 'PUT');
    assert.equal(puts.length, 24 + 0, 'one PUT per record and one per ownership TXT');
    assert.ok(puts.every((r) => r.ifNoneMatch === '*'), 'creates never overwrite');
    const web0 = puts.findIndex((r) => r.path.endsWith('/A/web0'));
    assert.ok(puts[web0 + 1]?.path.toLowerCase().endsWith('/txt/a-web0'), 'the TXT right after its record');
    const writes = server.writes();
    await sync(built.provider, desired);
    assert.equal(server.writes(), writes, 'a no-op sync writes nothing');
    await sync(built.provider, desired.slice(0, 10));
    const deletes = server.requests.filter((r) => r.method === 'DELETE');
    assert.deepEqual(deletes.map((r) => r.path.split('/').slice(-2).join('/')).sort(), ['A/web10', 'A/web11', 'TXT/a-web10', 'TXT/a-web11']);
    assert.ok(deletes.every((r) => r.ifMatch !== undefined && r.ifMatch !== '*'), 'deletes carry the ETag read');
    assert.ok(server.getSet('dns', ZONE, 'foreign', 'A'), 'the record nobody owns stays');
  } finally {
    await built.close();
    await server.close();
  }
});

test('a record set changed since it was read is not overwritten (412 → EXTDNS_AZURE_CONFLICT)', async () => {
  const server = await startArm(pki);
  server.addZone('private', ZONE);
  const built = await buildAzureProvider('azure-private-dns', stackHubConfig(server), [`--tls-ca=${pki.rootA.certFile}`]);
  try {
    await sync(built.provider, [a('api', '192.0.2.1')]);
    await built.provider.records(signal);
    server.putSet({ kind: 'private', zone: ZONE, name: 'api', type: 'A' }, { ttl: 300, aRecords: [{ ipv4Address: '192.0.2.1' }], metadata: { by: 'someone' } });
    const old = a('api', '192.0.2.1');
    await assert.rejects(built.provider.applyChanges({ create: [], updateOld: [old], updateNew: [a('api', '192.0.2.99')], delete: [] }, signal),
      (err: unknown) => err instanceof ExtdnsError && err.code === 'EXTDNS_AZURE_CONFLICT' && err.transient);
    assert.deepEqual(server.getSet('private', ZONE, 'api', 'A')?.props['aRecords'], [{ ipv4Address: '192.0.2.1' }], 'the other writer record set stands');
  } finally {
    await built.close();
    await server.close();
  }
});

/** Lets the provider run until it sleeps on the clock besides the trust stores' polls (real I/O in between; no timers). */
async function untilSleeping(clock: FakeClock, polls: number): Promise<void> {
  while (clock.pending <= polls) await new Promise((resolve) => setImmediate(resolve));
}

test('429: the provider waits what Retry-After says on its clock before each retry, and counts each throttle', async () => {
  const server = await startArm(pki);
  server.addZone('dns', ZONE);
  const built = await buildAzureProvider('azure', stackHubConfig(server), [`--tls-ca=${pki.rootA.certFile}`, '--azure-maxretries-count=3']);
  try {
    const polls = built.clock.pending;
    server.throttle(2, 7);
    const reading = built.provider.records(signal);
    await untilSleeping(built.clock, polls);
    assert.equal(built.clock.nextDueIn, 7000, 'Retry-After: 7 is a 7 s wait');
    assert.equal(server.throttled.length, 1);
    assert.equal(server.requests.length, 0, 'nothing is asked again before the wait is over');
    await built.clock.advance(6999);
    assert.equal(server.throttled.length + server.requests.length, 1, 'still waiting 1 ms before Retry-After');
    await built.clock.advance(1);
    await untilSleeping(built.clock, polls);
    assert.equal(server.throttled.length, 2, 'the retry came after the wait, and was throttled again');
    assert.equal(built.clock.nextDueIn, 7000);
    await built.clock.advance(7000);
    const records = await reading;
    assert.deepEqual(records.map((r) => r.recordType), ['NS']);
    assert.equal(server.requests.filter((r) => /dnszones$/i.test(r.path)).length, 1, 'the third try of the zone list was answered');
    const stats = (built.provider as unknown as ProviderStats).stats();
    assert.equal(stats.throttles, 2);
    assert.equal(stats.calls.find((c) => c.operation === 'listZones')?.calls, 3);
  } finally {
    await built.close();
    await server.close();
  }
});

test('429 with a Retry-After over 60 s (azcore\'s MaxRetryDelay) is not waited for: a transient error, no retry by the SDK either', async () => {
  const server = await startArm(pki);
  server.addZone('dns', ZONE);
  const built = await buildAzureProvider('azure', stackHubConfig(server), [`--tls-ca=${pki.rootA.certFile}`]);
  try {
    const polls = built.clock.pending;
    server.throttle(5, 120);
    await assert.rejects(built.provider.records(signal), (err: unknown) => err instanceof ExtdnsError && err.code === 'EXTDNS_AZURE_REQUEST_REJECTED' && err.transient && /TooManyRequests/.test(err.message));
    assert.equal(server.throttled.length, 1, 'asked once');
    assert.equal(built.clock.pending, polls, 'nothing waits but the trust stores\' polls');
    assert.equal((built.provider as unknown as ProviderStats).stats().throttles, 1);
  } finally {
    await built.close();
    await server.close();
  }
});
