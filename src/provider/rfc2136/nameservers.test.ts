import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NameserverRotation } from './nameservers.ts';

const fixed = (values: number[]) => { let i = 0; return { next: () => values[i++ % values.length] ?? 0 }; };

test('disabled: the same host until it fails, then the next', () => {
  const r = new NameserverRotation(['a', 'b', 'c'], 'disabled', fixed([0]));
  assert.deepEqual([r.next(), r.next()], ['a', 'a']);
  r.failed();
  assert.deepEqual([r.next(), r.next()], ['b', 'b']);
  r.failed();
  r.next();
  r.failed();
  assert.equal(r.next(), 'a');
});

test('round-robin: each host in turn', () => {
  const r = new NameserverRotation(['a', 'b', 'c'], 'round-robin', fixed([0]));
  assert.deepEqual([r.next(), r.next(), r.next(), r.next()], ['a', 'b', 'c', 'a']);
});

test('random: never the host used last', () => {
  const r = new NameserverRotation(['a', 'b', 'c'], 'random', fixed([0, 0.99, 0.5, 0, 0]));
  const picks = Array.from({ length: 5 }, () => r.next());
  for (let i = 1; i < picks.length; i++) assert.notEqual(picks[i], picks[i - 1]);
  assert.notEqual(picks[0], 'a');
});

test('run: tries each host once, skips on retryable errors, stops on others', async () => {
  const r = new NameserverRotation(['a', 'b', 'c'], 'disabled', fixed([0]));
  const tried: string[] = [];
  const result = await r.run((h) => { tried.push(h); return h === 'c' ? Promise.resolve(h) : Promise.reject(new Error(`down ${h}`)); }, () => true);
  assert.equal(result, 'c');
  assert.deepEqual(tried, ['a', 'b', 'c']);
  await assert.rejects(r.run(() => Promise.reject(new Error('refused')), () => false), /refused/);
  await assert.rejects(r.run((h) => Promise.reject(new Error(`down ${h}`)), () => true), /down/);
});
