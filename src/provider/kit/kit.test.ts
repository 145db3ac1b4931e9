import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendBisecting } from './bisect.ts';
import { pool } from './pool.ts';
import { redactor } from './redact.ts';
import { ListCache, ZoneCache } from './cache.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';

/** A group as providers make them: a record with its TXT ownership record, never split. */
const groups = (n: number): string[][] => Array.from({ length: n }, (_, i) => [`r${i} A`, `r${i} TXT`]);

test('sendBisecting: one bad group among 16 is named, every other group lands, within 2·log₂ n extra calls', async () => {
  const bad = 'r11 A';
  const batches: string[][][] = [];
  const result = await sendBisecting(groups(16), (batch) => {
    batches.push([...batch]);
    return Promise.resolve(batch.some((g) => g.includes(bad)) ? `refused ${bad}` : undefined);
  });
  assert.deepEqual(result.rejected.map((r) => r.group), [['r11 A', 'r11 TXT']]);
  assert.equal(result.rejected[0]?.error, 'refused r11 A');
  assert.equal(result.applied.length, 15);
  assert.equal(result.calls, batches.length);
  assert.ok(result.calls <= 1 + 2 * Math.log2(16), `${result.calls} calls`);
  for (const batch of batches) for (const g of batch) assert.equal(g.length, 2, 'a record and its TXT travel together');
});

test('sendBisecting: an accepted batch is one call; nothing to send is none; other failures propagate', async () => {
  assert.deepEqual(await sendBisecting(groups(3), () => Promise.resolve(undefined)), { applied: groups(3), rejected: [], calls: 1 });
  assert.deepEqual(await sendBisecting([], () => Promise.reject(new Error('never called'))), { applied: [], rejected: [], calls: 0 });
  await assert.rejects(sendBisecting(groups(2), () => Promise.reject(new Error('503'))), /503/);
});

test('pool: keeps order and runs at most `limit` at once', async () => {
  let running = 0;
  let peak = 0;
  const out = await pool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await Promise.resolve();
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [10, 20, 30, 40, 50, 60, 70]);
  assert.equal(peak, 3);
});

test('redactor: every occurrence of every secret is masked; empty secrets are ignored', () => {
  const redact = redactor('k3y', '', 'pw');
  assert.equal(redact('key=k3y, again k3y, pw=pw'), 'key=***, again ***, ***=***');
  assert.equal(redactor('')('nothing to hide'), 'nothing to hide');
});

test('ListCache: read at most once per duration; 0 reads every time; last() keeps the last read', async () => {
  const clock = new FakeClock();
  let reads = 0;
  const load = (): Promise<number> => Promise.resolve(++reads);
  const cached = new ListCache<number>(clock, 60_000);
  assert.equal(cached.last(), undefined);
  assert.equal(await cached.get(load), 1);
  await clock.advance(59_999);
  assert.equal(await cached.get(load), 1, 'still fresh');
  await clock.advance(1);
  assert.equal(await cached.get(load), 2, 'the duration passed');
  const always = new ListCache<number>(clock, 0);
  await always.get(load);
  assert.equal(await always.get(load), 4);
  assert.equal(always.last(), 4);
});

test('ZoneCache: fresh while the version stands and the age is below the maximum; stale after our write; retain drops zones', async () => {
  const clock = new FakeClock();
  const reads: string[] = [];
  const load = (zone: string) => (): Promise<string[]> => {
    reads.push(zone);
    return Promise.resolve([`${zone}#${reads.length}`]);
  };
  const cache = new ZoneCache<string[]>(clock, 600_000);
  await cache.get('a', '7/7', load('a'));
  await cache.get('a', '7/7', load('a'));
  assert.deepEqual(reads, ['a'], 'same serial: from the cache');
  await cache.get('a', '8/8', load('a'));
  assert.deepEqual(reads, ['a', 'a'], 'a new serial: read again');
  cache.markStale('a');
  assert.deepEqual(cache.peek('a'), ['a#2'], 'the value is kept for the exactness check');
  await cache.get('a', '8/8', load('a'));
  assert.equal(reads.length, 3, 'after our own write: read again');
  await clock.advance(600_000);
  await cache.get('a', '8/8', load('a'));
  assert.equal(reads.length, 4, 'past the maximum age: read again');
  await cache.get('b', undefined, load('b'));
  await cache.get('b', undefined, load('b'));
  assert.equal(reads.filter((z) => z === 'b').length, 2, 'no version: always read');
  cache.retain(new Set(['b']));
  assert.equal(cache.has('a'), false);
  assert.equal(cache.has('b'), true);
});
