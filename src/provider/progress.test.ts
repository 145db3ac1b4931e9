import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../endpoint/endpoint.ts';
import { emptyChanges, type Changes } from '../plan/plan.ts';
import { landedCounter, scaledProgress } from './progress.ts';

const ep = (name: string) => newEndpoint({ dnsName: `${name}.example.org`, recordType: 'A', targets: ['192.0.2.1'] });

test('a landed counter counts creates, updates once and deletes, rising and capped at the total', () => {
  const [a, b, oldC, newC, d] = ['a', 'b', 'c', 'c', 'd'].map(ep);
  const changes: Changes = { create: [a!, b!], updateOld: [oldC!], updateNew: [newC!], delete: [d!] };
  const reports: [number, number][] = [];
  const landed = landedCounter(changes, (applied, total) => reports.push([applied, total]));
  landed.endpoints([a!, oldC!]); // the old side of an update is no change of its own
  landed.endpoints([a!]); // counted once
  landed.endpoints([newC!, d!]);
  landed.add(0);
  landed.add(5);
  assert.deepEqual(reports, [[1, 4], [3, 4], [4, 4]]);
});

test('without a hook the counter does nothing', () => {
  const landed = landedCounter(emptyChanges(), undefined);
  landed.add(3);
  landed.endpoints([ep('a')]);
  assert.equal(scaledProgress(undefined, 10), undefined);
});

test('a scaled hook reports the inner fraction in the caller\'s units, rounded down, whole when the inner call is', () => {
  const reports: [number, number][] = [];
  const scaled = scaledProgress((applied, total) => reports.push([applied, total]), 3);
  assert.ok(scaled);
  scaled(1, 6); // 0.5 → 0: nothing new
  scaled(2, 6);
  scaled(5, 6);
  scaled(6, 6);
  scaled(6, 6);
  assert.deepEqual(reports, [[1, 3], [2, 3], [3, 3]]);
});
