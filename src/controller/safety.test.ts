import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import { countOwned, DeleteBrake, fenceDeletes } from './safety.ts';

const a = (name: string, owner = 'me'): Endpoint => newEndpoint({ dnsName: name, recordType: 'A', targets: ['10.0.0.1'], labels: { owner } });
const many = (n: number, prefix = 'r'): Endpoint[] => Array.from({ length: n }, (_, i) => a(`${prefix}${i}.example.com`));
const brakeOptions = { allowMassDelete: false, thresholdPercent: 10, minimum: 10, holdMs: 300_000 };

test('fenceDeletes keeps creates and updates, drops every delete', () => {
  const changes = { create: [a('new.example.com')], updateOld: [a('u.example.com')], updateNew: [a('u.example.com')], delete: many(3) };
  const { changes: out, fenced } = fenceDeletes(changes);
  assert.equal(fenced, 3);
  assert.deepEqual(out.delete, []);
  assert.equal(out.create, changes.create);
  assert.equal(out.updateNew, changes.updateNew);
  assert.equal(changes.delete.length, 3, 'the input is not modified');
});

test('countOwned counts our owner label, or everything for the noop registry', () => {
  const current = [a('x.example.com'), a('y.example.com', 'other'), newEndpoint({ dnsName: 'z.example.com', recordType: 'A' })];
  assert.equal(countOwned(current, 'me'), 1);
  assert.equal(countOwned(current, 'other'), 1);
  assert.equal(countOwned(current, ''), 3);
});

test('limit is the larger of the minimum and the percentage of owned records', () => {
  const brake = new DeleteBrake(brakeOptions);
  assert.equal(brake.limit(0), 10);
  assert.equal(brake.limit(99), 10);
  assert.equal(brake.limit(250), 25);
  assert.equal(brake.limit(259), 25);
});

test('deletes at the limit pass, one more is held', () => {
  const brake = new DeleteBrake(brakeOptions);
  assert.equal(brake.check(many(25), 250, 0).kind, 'pass');
  const decision = brake.check(many(26), 250, 0);
  assert.equal(decision.kind, 'hold');
  if (decision.kind !== 'hold') return;
  assert.equal(decision.held.count, 26);
  assert.equal(decision.held.limit, 25);
  assert.equal(decision.held.owned, 250);
  assert.equal(decision.held.sample.length, 10);
  assert.deepEqual(decision.held.sample, [...decision.held.sample].sort());
  assert.equal(decision.held.releaseAt, 300_000);
});

test('the same set is released once held for holdMs; a different set restarts the clock', () => {
  const brake = new DeleteBrake(brakeOptions);
  const set1 = many(20);
  assert.equal(brake.check(set1, 50, 0).kind, 'hold');
  assert.equal(brake.check([...set1].reverse(), 50, 299_999).kind, 'hold', 'order does not matter, time does');
  const set2 = many(21);
  const restarted = brake.check(set2, 50, 299_999);
  assert.equal(restarted.kind, 'hold');
  if (restarted.kind === 'hold') assert.equal(restarted.held.since, 299_999);
  assert.equal(brake.check(set2, 50, 500_000).kind, 'hold');
  const released = brake.check(set2, 50, 599_999);
  assert.deepEqual(released, { kind: 'release', count: 21, heldForMs: 300_000 });
});

test('a retry of released deletes (or part of them) passes without a new hold', () => {
  const brake = new DeleteBrake({ ...brakeOptions, holdMs: 0 });
  const set = many(30);
  assert.equal(brake.check(set, 40, 0).kind, 'release');
  assert.equal(brake.check(set.slice(0, 15), 40, 1).kind, 'pass');
  // A sync under the limit forgets the approval.
  assert.equal(brake.check([], 40, 2).kind, 'pass');
  assert.equal(new DeleteBrake(brakeOptions).check(set, 40, 3).kind, 'hold');
});

test('a sync under the limit resets the hold-down clock', () => {
  const brake = new DeleteBrake(brakeOptions);
  const set = many(20);
  brake.check(set, 50, 0);
  assert.equal(brake.check(many(2), 50, 100_000).kind, 'pass');
  const again = brake.check(set, 50, 350_000);
  assert.equal(again.kind, 'hold');
  if (again.kind === 'hold') assert.equal(again.held.since, 350_000);
});

test('allowMassDelete never holds', () => {
  const brake = new DeleteBrake({ ...brakeOptions, allowMassDelete: true });
  assert.deepEqual(brake.check(many(500), 500, 0), { kind: 'allowed', count: 500, limit: 50 });
});
