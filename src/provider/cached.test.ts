import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../endpoint/endpoint.ts';
import { silentLogger } from '../log/logger.ts';
import { createTelemetry } from '../metrics/telemetry.ts';
import { emptyChanges } from '../plan/plan.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { withRecordsCache } from './cached.ts';
import { createInMemoryProvider } from './inmemory/inmemory.ts';

const signal = new AbortController().signal;
const a = (name: string) => newEndpoint({ dnsName: `${name}.example.org`, recordType: 'A', targets: ['192.0.2.1'] });
const names = (eps: readonly { dnsName: string }[]) => eps.map((e) => e.dnsName).sort();

test('--provider-cache-time: records are reused until the cache is that old, and applied changes are written through', async () => {
  const clock = new FakeClock();
  const inner = createInMemoryProvider({ zones: ['example.org'] });
  const cached = withRecordsCache(inner, { refreshMs: 60_000 }, { clock, logger: silentLogger });

  assert.deepEqual(await cached.records(signal), []);
  // Someone else writes behind the cache: not seen until the cache expires.
  await inner.applyChanges({ ...emptyChanges(), create: [a('outside')] }, signal);
  await clock.advance(60_000);
  assert.deepEqual(await cached.records(signal), [], 'still within the cache time');
  await clock.advance(1);
  assert.deepEqual(names(await cached.records(signal)), ['outside.example.org']);

  // An apply without changes keeps the cache; a real one is written through: the next read is served from the cache,
  // holds our change, and still not the one made behind it.
  await cached.applyChanges(emptyChanges(), signal);
  await inner.applyChanges({ ...emptyChanges(), create: [a('outside2')] }, signal);
  await cached.applyChanges({ ...emptyChanges(), create: [a('mine'), a('gone')] }, signal);
  await cached.applyChanges({ ...emptyChanges(), delete: [a('gone')], updateOld: [a('outside')],
    updateNew: [newEndpoint({ dnsName: 'outside.example.org', recordType: 'A', targets: ['192.0.2.9'] })] }, signal);
  const afterWrites = await cached.records(signal);
  assert.deepEqual(names(afterWrites), ['mine.example.org', 'outside.example.org']);
  assert.deepEqual(afterWrites.find((e) => e.dnsName === 'outside.example.org')?.targets, ['192.0.2.9']);
  assert.deepEqual(cached.cacheCalls(), { recordsFromCache: 2, recordsFromProvider: 2, applyChanges: 2 });

  // A failed apply may have been partly applied: the cache is dropped and the next read lists again.
  await assert.rejects(cached.applyChanges({ ...emptyChanges(), delete: [a('never-there')] }, signal));
  assert.deepEqual(names(await cached.records(signal)), ['mine.example.org', 'outside.example.org', 'outside2.example.org']);
  assert.deepEqual(cached.cacheCalls(), { recordsFromCache: 2, recordsFromProvider: 3, applyChanges: 3 });

  // The counters ExternalDNS exports for its cached provider.
  const t = createTelemetry({ clock, build: { version: 'x', revision: 'y', runtime: 'node', os: 'linux', arch: 'x64' }, instrumentHttp: false });
  t.attach({ provider: cached, providerName: 'inmemory', ownerId: 'o', trustStores: [] });
  const text = t.registry.expose();
  assert.match(text, /^external_dns_provider_cache_records_calls\{from_cache="true"\} 2$/m);
  assert.match(text, /^external_dns_provider_cache_records_calls\{from_cache="false"\} 3$/m);
  assert.match(text, /^external_dns_provider_cache_apply_changes_calls 3$/m);
  t.close();
});
