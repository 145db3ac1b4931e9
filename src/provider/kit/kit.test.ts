import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendBisecting } from './bisect.ts';
import { pool } from './pool.ts';
import { redactor } from './redact.ts';

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
