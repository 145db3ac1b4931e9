/**
 * Long sleeps (issue 12 item 7): `--interval=720h` is longer than one Node
 * timer can hold; the sleep is chained from timers of at most 2^31-1 ms
 * instead of firing at once and spinning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainedSleep, MAX_TIMER_MS, systemClock, type Timers } from './clock.ts';

/** Timers a test fires by hand; records every delay armed. */
function manualTimers(): Timers & { armed: number[]; fire(): void; pending: number } {
  const queue: (() => void)[] = [];
  const armed: number[] = [];
  return {
    armed,
    set: (fire, ms) => { armed.push(ms); queue.push(fire); return queue.length; },
    clear: () => { queue.length = 0; },
    fire: () => { queue.shift()?.(); },
    get pending() { return queue.length; },
  };
}

const HOUR = 3_600_000;

test('a 720h sleep is two timers, none longer than 2^31-1 ms, and resolves only after the last', async () => {
  const timers = manualTimers();
  let done = false;
  const sleeping = chainedSleep(timers, 720 * HOUR).then(() => { done = true; });
  assert.deepEqual(timers.armed, [MAX_TIMER_MS]);
  timers.fire();
  await Promise.resolve();
  assert.equal(done, false, 'still asleep after the first timer');
  assert.deepEqual(timers.armed, [MAX_TIMER_MS, 720 * HOUR - MAX_TIMER_MS]);
  timers.fire();
  await sleeping;
  assert.equal(done, true);
  assert.ok(timers.armed.every((ms) => ms <= MAX_TIMER_MS));
});

test('short, zero and negative sleeps arm one timer; an abort clears it and rejects with the reason', async () => {
  for (const [ms, want] of [[1000, 1000], [0, 0], [-5, 0], [Number.NaN, 0]] as const) {
    const timers = manualTimers();
    const sleeping = chainedSleep(timers, ms);
    assert.deepEqual(timers.armed, [want]);
    timers.fire();
    await sleeping;
  }
  const timers = manualTimers();
  const stop = new AbortController();
  const sleeping = chainedSleep(timers, Number.POSITIVE_INFINITY, stop.signal);
  timers.fire();
  timers.fire();
  assert.deepEqual(timers.armed, [MAX_TIMER_MS, MAX_TIMER_MS, MAX_TIMER_MS], 'Infinity sleeps in steps until aborted');
  stop.abort(new Error('received SIGTERM'));
  await assert.rejects(sleeping, /received SIGTERM/);
  assert.equal(timers.pending, 0, 'the armed timer was cleared');
});

test('the system clock does not fire a 720h sleep early and emits no TimeoutOverflowWarning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => { warnings.push(w.name); };
  process.on('warning', onWarning);
  try {
    const stop = new AbortController();
    let woke = false;
    const sleeping = systemClock.sleep(720 * HOUR, stop.signal).then(() => { woke = true; }, () => undefined);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(woke, false, 'a 720h sleep resolved within 30 ms (the timer overflowed)');
    stop.abort(new Error('done'));
    await sleeping;
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings.filter((n) => n === 'TimeoutOverflowWarning'), []);
});
