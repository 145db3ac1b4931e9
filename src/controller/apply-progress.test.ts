import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../endpoint/endpoint.ts';
import { calculate } from '../plan/calculate.ts';
import { createInMemoryProvider } from '../provider/inmemory/inmemory.ts';
import { createTxtRegistry } from '../registry/txt/registry.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { FakeClock, seededRandom } from '../../test/support/fake-clock.ts';
import { createController } from './controller.ts';

test('apply progress across the calls that isolate a refused change: from 0, rising, never past the total, ending at what landed', async () => {
  const clock = new FakeClock();
  const { logger } = captureLogger();
  const provider = createInMemoryProvider({ zones: ['example.org'] });
  const registry = createTxtRegistry(provider, {
    ownerId: 'me', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A'], excludeRecordTypes: [],
  }, { clock, logger });
  // Eight names the provider holds a zone for, one it refuses (no zone): the batch is split until that one stands alone.
  const wanted = [...Array.from({ length: 8 }, (_, i) => `r${i}.example.org`), 'stray.example.net']
    .map((dnsName, i) => newEndpoint({ dnsName, recordType: 'A', targets: [`192.0.2.${i + 1}`] }));
  const reports: [number, number][] = [];
  const controller = createController({
    policy: 'sync', domainFilters: [], managedRecordTypes: ['A'], excludeRecordTypes: [], oldOwnerId: '',
    intervalMs: 60_000, minEventSyncIntervalMs: 0, dryRun: false,
    deleteBrake: { allowMassDelete: false, thresholdPercent: 10, minimum: 10, holdMs: 300_000 }, backoff: { baseMs: 1_000, maxMs: 5_000 },
  }, {
    registry, sources: { collect: () => Promise.resolve({ endpoints: wanted, failures: [] }) }, plan: calculate, clock, random: seededRandom(1), logger,
    observer: { applyProgress: (applied, total) => reports.push([applied, total]) },
  });
  const result = await controller.runOnce(new AbortController().signal);
  assert.equal(result.changes.create.length, 8);
  assert.equal(result.refused.length, 1);
  assert.deepEqual(reports[0], [0, 9]);
  assert.deepEqual(reports.at(-1), [8, 9], 'the eight that landed');
  reports.forEach(([applied, total], i) => {
    assert.equal(total, 9);
    assert.ok(applied <= total && applied >= (reports[i - 1]?.[0] ?? 0), `rising: ${reports.map((r) => r[0]).join(', ')}`);
  });
  assert.ok(reports.length > 3, `one report per call that landed: ${reports.length}`);
});
