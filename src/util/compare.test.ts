import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareCodeUnits } from './compare.ts';

test('compareCodeUnits orders as Go sort.Strings does (bytes), not as a locale collator', () => {
  const names = ['b', 'a_b', 'a1', 'B', 'a-b', 'a.b', 'a', 'ab'];
  // Go: sort.Strings([]string{...}) => [B a a-b a.b a1 a_b ab b]
  assert.deepEqual([...names].sort(compareCodeUnits), ['B', 'a', 'a-b', 'a.b', 'a1', 'a_b', 'ab', 'b']);
  assert.equal(compareCodeUnits('x', 'x'), 0);
  assert.equal(compareCodeUnits('example.org', 'example.com'), 1);
});
