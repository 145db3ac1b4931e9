import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../endpoint/endpoint.ts';
import type { SyncResult } from '../controller/controller.ts';
import type { Changes } from '../plan/plan.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { progressObserver } from './progress.ts';

const eps = (n: number) => Array.from({ length: n }, (_, i) => newEndpoint({ dnsName: `r${i}.example.org`, recordType: 'A', targets: ['192.0.2.1'] }));
const creates = (n: number): Changes => ({ create: eps(n), updateOld: [], updateNew: [], delete: [] });
const done = (changes: Changes): SyncResult => ({ changes, applied: true, held: undefined, fencedDeletes: 0, failedSources: [], ownerMismatches: 0, noop: false, refused: [] });

test('a long first sync logs every 5 s on the injected clock: the step, records read, planned and applied out of the total', async () => {
  const clock = new FakeClock();
  const log = captureLogger();
  const o = progressObserver({ clock, logger: log.logger });
  o.syncStarted?.();
  o.registryRead?.(eps(3));
  await clock.advance(5_000);
  o.sourcesRead?.({ endpoints: eps(8000), failures: [] });
  o.planned?.({ changes: creates(8000), skippedOwnerMismatch: [] });
  await clock.advance(5_000);
  await clock.advance(2_000);
  o.syncSucceeded?.(done(creates(8000)), 12_000);
  await clock.advance(20_000);
  assert.deepEqual(log.entries.map((e) => e.msg), [
    'Sync in progress for 5s: reading the sources; 3 records read from the provider',
    'Sync in progress for 10s: applying; 3 records read from the provider, 8000 records wanted by the sources, 8000 changes planned, 0 of 8000 applied so far',
    'Sync finished after 12s: applied 8000 of 8000 planned changes',
  ]);
  assert.equal(clock.pending, 0, 'no timer left once the sync ended');
});

test('a sync shorter than the interval logs nothing; a failed long one says where it stopped', async () => {
  const clock = new FakeClock();
  const log = captureLogger();
  const o = progressObserver({ clock, logger: log.logger, everyMs: 3_000 });
  o.syncStarted?.();
  await clock.advance(2_000);
  o.syncSucceeded?.(done(creates(1)), 2_000);
  await clock.advance(10_000);
  assert.equal(log.entries.length, 0);
  o.syncStarted?.();
  o.registryRead?.(eps(1));
  o.sourcesRead?.({ endpoints: eps(1), failures: [] });
  o.planned?.({ changes: creates(1), skippedOwnerMismatch: [] });
  await clock.advance(3_000);
  o.syncFailed?.({ stage: 'apply', error: new Error('x'), transient: true });
  assert.deepEqual(log.entries.map((e) => e.msg).slice(-1), ['Sync failed after 3s while applying']);
});

test('a clock whose sleep does not wait makes no progress lines (and no busy loop)', async () => {
  const log = captureLogger();
  const o = progressObserver({ clock: { now: () => 0, sleep: () => Promise.resolve() }, logger: log.logger });
  o.syncStarted?.();
  await new Promise((r) => setImmediate(r));
  o.syncSucceeded?.(done(creates(1)), 0);
  assert.equal(log.entries.length, 0);
});
