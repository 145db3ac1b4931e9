/**
 * A long first sync says how far its apply is: the controller, the TXT
 * registry and the Route53 provider (paced by --aws-batch-change-interval on
 * the injected clock) against the Route53 test server, with the progress
 * observer logging every 5 s of that clock. The applied count comes from the
 * provider's progress hook as each change batch lands.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createController, type SyncResult } from '../../src/controller/controller.ts';
import { newEndpoint, type Endpoint } from '../../src/endpoint/endpoint.ts';
import { calculate } from '../../src/plan/calculate.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { combineObservers } from '../../src/controller/controller.ts';
import { progressObserver } from '../../src/status/progress.ts';
import { createAwsProvider } from '../../src/provider/aws/index.ts';
import { defaultOptions, startServer, testClient, zonesFilter } from '../aws/harness.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { usePkiServer } from '../support/server-fixture.ts';

const ZONE = 'progress.example.com';
const NAMES = 3000;

const fixture = usePkiServer('Route53', startServer);

function wanted(n: number): Endpoint[] {
  return Array.from({ length: n }, (_, i) => newEndpoint({ dnsName: `r${i}.${ZONE}`, recordType: 'A', targets: [`10.0.${(i >> 8) & 255}.${i & 255}`], recordTTL: 300 }));
}

/** Lets real I/O (the HTTP calls to the test server) run until the sync parks on the clock beside the progress timer, or ends. */
async function untilParked(clock: FakeClock, finished: () => boolean): Promise<void> {
  while (!finished() && clock.pending < 2) await new Promise((resolve) => setImmediate(resolve));
}

function setUp() {
  const { server, pki } = fixture;
  const zoneId = server.addZone(ZONE);
  const clock = new FakeClock();
  const log = captureLogger();
  const provider = createAwsProvider(
    // 500 Route53 changes per call: 250 records with their ownership TXTs, 4 s apart.
    defaultOptions({ domainFilter: zonesFilter([ZONE]), batchChangeSize: 500, batchChangeIntervalMs: 4_000 }),
    { logger: log.logger, clock, random: seededRandom(1), clients: [{ profile: '', client: testClient(server, pki) }] },
  );
  const registry = createTxtRegistry(provider, {
    ownerId: 'progress', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A'], excludeRecordTypes: [],
  }, { clock, logger: log.logger });
  const reported: [number, number][] = [];
  const controller = createController({
    policy: 'sync', domainFilters: [zonesFilter([ZONE])], managedRecordTypes: ['A'], excludeRecordTypes: [], oldOwnerId: '',
    intervalMs: 60_000, minEventSyncIntervalMs: 5_000, dryRun: false,
    deleteBrake: { allowMassDelete: false, thresholdPercent: 10, minimum: 10, holdMs: 300_000 }, backoff: { baseMs: 1_000, maxMs: 5_000 },
  }, {
    registry, sources: { collect: () => Promise.resolve({ endpoints: wanted(NAMES), failures: [] }) }, plan: calculate,
    clock, random: seededRandom(2), logger: log.logger,
    observer: combineObservers(progressObserver({ clock, logger: log.logger }), { applyProgress: (applied, total) => reported.push([applied, total]) }),
  });
  return { zoneId, clock, log, controller, reported };
}

test('a first sync of 3,000 records logs applied out of the total every 5 s while the Route53 batches land', async () => {
  const { zoneId, clock, log, controller, reported } = setUp();
  let result: SyncResult | undefined;
  const running = controller.runOnce(new AbortController().signal).then((r) => { result = r; });
  for (;;) {
    await untilParked(clock, () => result !== undefined);
    if (result !== undefined) break;
    await clock.advance(clock.nextDueIn ?? 0);
  }
  await running;
  await clock.advance(10_000);

  assert.equal(fixture.server.recordSets(zoneId).filter((s) => s.type === 'A').length, NAMES);
  // The hook: from 0, rising with every batch of 250 records, ending at the total.
  assert.ok(reported.length >= NAMES / 250, `one report per batch at least, got ${reported.length}`);
  assert.deepEqual(reported[0], [0, NAMES]);
  assert.deepEqual(reported.at(-1), [NAMES, NAMES]);
  for (const [i, [applied, total]] of reported.entries()) {
    assert.equal(total, NAMES);
    if (i > 0) assert.ok(applied >= (reported[i - 1]?.[0] ?? 0), `applied never falls: ${applied} after ${reported[i - 1]?.[0]}`);
  }
  assert.ok(reported.some(([applied]) => applied > 0 && applied < NAMES), 'counts between 0 and the total while the apply runs');

  // The log: one line per 5 s of the injected clock, the applied count rising, then the closing line.
  const lines = log.entries.map((e) => e.msg).filter((m) => m.startsWith('Sync in progress for '));
  const parsed = lines.map((m) => /^Sync in progress for (\d+)s: applying; .*3000 changes planned, (\d+) of 3000 applied so far$/.exec(m));
  assert.ok(parsed.length >= 8, `11 intervals of 4 s between 12 batches make 44 s: at least 8 lines, got ${lines.join(' | ')}`);
  parsed.forEach((match, i) => {
    assert.ok(match, `a progress line with planned and applied counts: ${lines[i]}`);
    assert.equal(Number(match[1]), 5 * (i + 1), 'one line every 5 s');
  });
  const applied = parsed.map((m) => Number(m?.[2]));
  assert.deepEqual(applied, [...applied].sort((a, b) => a - b), 'applied counts rise');
  assert.ok((applied[0] ?? NAMES) < NAMES && (applied.at(-1) ?? 0) > (applied[0] ?? 0), `the count moves during the apply: ${applied.join(', ')}`);
  assert.equal(log.entries.map((e) => e.msg).filter((m) => m.startsWith('Sync finished after ')).at(-1), 'Sync finished after 44s: applied 3000 of 3000 planned changes');
  assert.equal(clock.pending, 0, 'no timer left once the sync ended');
});
