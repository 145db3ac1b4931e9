import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineObservers, type SyncObserver } from './controller.ts';

test('combineObservers forwards every hook to every observer, with its arguments', () => {
  const seen: string[] = [];
  const recorder = (tag: string): SyncObserver => new Proxy({}, {
    get: (_t, key) => (...args: unknown[]) => { seen.push(`${tag}:${String(key)}:${JSON.stringify(args)}`); },
  });
  const combined = combineObservers(recorder('a'), undefined, recorder('b'));
  const hooks = Object.keys(combined) as (keyof SyncObserver)[];
  assert.ok(hooks.length >= 12, `only ${hooks.length} hooks`);
  for (const hook of hooks) (combined[hook] as (...a: unknown[]) => void)(1, 'x');
  assert.deepEqual(seen, hooks.flatMap((h) => [`a:${h}:[1,"x"]`, `b:${h}:[1,"x"]`]));
});
