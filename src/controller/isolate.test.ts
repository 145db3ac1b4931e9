/**
 * Poison-pill split: a provider that refuses every batch holding one bad
 * change (fault injected: a refused-change error naming nothing) gets the
 * other changes applied, each record with its ownership TXT, and the bad
 * change is not sent again while it stays the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import { defineErrors, ExtdnsError } from '../errors/errors.ts';
import { calculate } from '../plan/calculate.ts';
import type { Changes } from '../plan/plan.ts';
import { createInMemoryProvider } from '../provider/inmemory/inmemory.ts';
import type { Provider } from '../provider/provider.ts';
import { createTxtRegistry } from '../registry/txt/registry.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { FakeClock, seededRandom } from '../../test/support/fake-clock.ts';
import { createController, type ControllerOptions } from './controller.ts';

const TestErrors = defineErrors({
  EXTDNS_TEST_POISON: { transient: false, kind: 'refused-change', summary: 'test: the provider refuses a batch holding the poisoned name' },
  EXTDNS_TEST_OUTAGE: { transient: true, summary: 'test: the provider is down' },
});

const OPTIONS: ControllerOptions = {
  policy: 'sync', domainFilters: [], managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [], oldOwnerId: '',
  intervalMs: 60_000, minEventSyncIntervalMs: 0, dryRun: false,
  deleteBrake: { allowMassDelete: true, thresholdPercent: 100, minimum: 100, holdMs: 0 },
  backoff: { baseMs: 1_000, maxMs: 5_000 },
};

/** Fault injection: batches naming `poison` are refused whole; `outages` transient failures come first. */
function faulty(inner: Provider, poison: string): Provider & { batches: Changes[]; outages: number } {
  const p = {
    batches: [] as Changes[],
    outages: 0,
    records: (s: AbortSignal) => inner.records(s),
    adjustEndpoints: (e: Endpoint[]) => inner.adjustEndpoints(e),
    domainFilter: () => inner.domainFilter(),
    capabilities: inner.capabilities,
    async applyChanges(c: Changes, s: AbortSignal) {
      p.batches.push(c);
      if (p.outages > 0) { p.outages--; throw new ExtdnsError(TestErrors.EXTDNS_TEST_OUTAGE, 'down'); }
      if ([...c.create, ...c.updateNew, ...c.delete].some((e) => e.dnsName === poison)) throw new ExtdnsError(TestErrors.EXTDNS_TEST_POISON, `refusing ${poison}`);
      await inner.applyChanges(c, s);
    },
  };
  return p;
}

function setup() {
  const memory = createInMemoryProvider({ zones: ['example.org'] });
  const provider = faulty(memory, 'bad.example.org');
  const clock = new FakeClock();
  const log = captureLogger();
  const registry = createTxtRegistry(provider, {
    ownerId: 'o', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '', cacheIntervalMs: 0,
    oldOwnerId: '', managedRecordTypes: OPTIONS.managedRecordTypes, excludeRecordTypes: [],
  }, { clock, logger: log.logger });
  const desired = ['a', 'b', 'bad', 'c', 'd', 'e'].map((n, i) => newEndpoint({ dnsName: `${n}.example.org`, recordType: 'A', targets: [`192.0.2.${i + 1}`], labels: { resource: `crd/t/${n}` } }));
  const sources = { collect: () => Promise.resolve({ endpoints: desired.map((e) => ({ ...e, labels: { ...e.labels } })), failures: [] }) };
  const controller = createController(OPTIONS, { registry, sources, plan: calculate, clock, random: seededRandom(1), logger: log.logger });
  return { memory, provider, controller, log, clock };
}

test('a refused change is split off: the others land with their TXTs, the refused one is reported and not retried', async () => {
  const { memory, provider, controller, log } = setup();
  const signal = new AbortController().signal;
  const first = await controller.runOnce(signal);
  const held = new Map((await memory.records(signal)).map((e) => [`${e.dnsName} ${e.recordType}`, e]));
  for (const n of ['a', 'b', 'c', 'd', 'e']) {
    assert.ok(held.has(`${n}.example.org A`), n);
    assert.ok(held.has(`a-${n}.example.org TXT`), `${n}'s TXT goes with it`);
  }
  assert.ok(!held.has('bad.example.org A') && !held.has('a-bad.example.org TXT'), 'neither the refused record nor its TXT');
  assert.deepEqual(first.refused.map((r) => r.endpoint.dnsName), ['bad.example.org']);
  assert.match(log.text(), /the provider refused bad\.example\.org A \(from crd\/t\/bad\)/);
  for (const batch of provider.batches) {
    assert.equal(batch.create.filter((e) => e.recordType === 'A').length, batch.create.filter((e) => e.recordType === 'TXT').length, 'record and TXT together');
  }
  const calls = provider.batches.length;
  assert.ok(calls <= 1 + 2 * Math.ceil(Math.log2(6)) + 1, `bisection, not one call per record (${calls})`);
  const second = await controller.runOnce(signal);
  assert.equal(provider.batches.length, calls, 'the same refused change is never sent again');
  assert.equal(second.refused.length, 1);
  assert.match(second.refused[0]?.reason ?? '', /not retried until it changes/);
});

test('a transient failure is not split: it backs off and the loop keeps running', async () => {
  const { provider, controller, clock, log } = setup();
  provider.outages = 1;
  const stop = new AbortController();
  const loop = controller.run(stop.signal);
  await clock.advance(0);
  assert.equal(provider.batches.length, 1, 'one call, no split on a transient error');
  assert.match(log.text(), /Sync failed \(attempt 1\), retrying in/);
  await clock.advance(5_000);
  assert.match(log.text(), /the provider refused bad\.example\.org/, 'the retry isolates the refused change and the loop is still running');
  stop.abort();
  await loop;
});
