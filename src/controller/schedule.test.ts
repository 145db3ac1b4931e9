import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../test/support/fake-clock.ts';
import { backoffDelay, RunSchedule } from './schedule.ts';

test('the first run is due at once, then every interval', () => {
  const s = new RunSchedule({ intervalMs: 60_000, minEventSyncIntervalMs: 5_000 });
  assert.ok(s.isDue(1_000));
  s.started(1_000);
  assert.equal(s.nextRunAt, 61_000);
  assert.ok(!s.isDue(60_999));
  assert.ok(s.isDue(61_000));
});

test('an event pulls the next run to now, but not sooner than min-event-sync-interval after the last start', () => {
  const s = new RunSchedule({ intervalMs: 60_000, minEventSyncIntervalMs: 5_000 });
  s.started(0);
  assert.equal(s.event(1_000), true);
  assert.equal(s.nextRunAt, 5_000);
  assert.equal(s.event(2_000), false, 'a second event in the burst changes nothing');
  assert.equal(s.nextRunAt, 5_000);
  s.started(5_000);
  assert.equal(s.event(30_000), true);
  assert.equal(s.nextRunAt, 30_000);
});

test('an event never pushes the next run later (interval shorter than min-event-sync-interval)', () => {
  const s = new RunSchedule({ intervalMs: 1_000, minEventSyncIntervalMs: 5_000 });
  s.started(0);
  assert.equal(s.event(500), false);
  assert.equal(s.nextRunAt, 1_000);
});

test('events cannot cut a backoff short', () => {
  const s = new RunSchedule({ intervalMs: 60_000, minEventSyncIntervalMs: 0 });
  s.started(0);
  s.backOff(100, 8_000);
  assert.equal(s.event(200), false);
  assert.equal(s.nextRunAt, 8_100);
});

test('backoff grows exponentially up to the cap (full jitter scales the ceiling)', () => {
  const almostOne = { next: () => 0.999 };
  const options = { baseMs: 1_000, maxMs: 10_000 };
  const delays = [1, 2, 3, 4, 5, 6, 50, 2000].map((n) => backoffDelay(n, options, almostOne));
  assert.deepEqual(delays, [999, 1998, 3996, 7992, 9990, 9990, 9990, 9990]);
  assert.equal(backoffDelay(3, options, { next: () => 0 }), 0);
});

test('jittered delays stay within [0, ceiling) and are spread', () => {
  const random = seededRandom(7);
  const options = { baseMs: 500, maxMs: 30_000 };
  for (let attempt = 1; attempt <= 12; attempt++) {
    const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
    const seen = Array.from({ length: 200 }, () => backoffDelay(attempt, options, random));
    assert.ok(seen.every((d) => d >= 0 && d < ceiling), `attempt ${attempt}`);
    assert.ok(Math.max(...seen) > ceiling * 0.8 && Math.min(...seen) < ceiling * 0.2, `attempt ${attempt} is spread`);
  }
});
