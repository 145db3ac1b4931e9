import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareTargetLists, isLessTargets, sameTargets, sortTargets, suitableType } from './targets.ts';

test('sameTargets ignores order, case, trailing dots and IPv6 spelling', () => {
  assert.equal(sameTargets(['1.1.1.1', '2.2.2.2'], ['2.2.2.2', '1.1.1.1']), true);
  assert.equal(sameTargets(['LB.Example.COM'], ['lb.example.com']), true);
  assert.equal(sameTargets(['lb.example.com.'], ['lb.example.com']), true);
  assert.equal(sameTargets(['2001:db8::1'], ['2001:0DB8:0:0:0:0:0:1']), true);
  // Case differences that change the sort order (Go's Same trips on this one).
  assert.equal(sameTargets(['B.example', 'a.example'], ['b.example', 'A.example']), true);
});

test('sameTargets sees real differences', () => {
  assert.equal(sameTargets(['1.1.1.1'], ['1.1.1.2']), false);
  assert.equal(sameTargets(['1.1.1.1'], ['1.1.1.1', '2.2.2.2']), false);
  assert.equal(sameTargets(['a', 'a'], ['a', 'b']), false);
  // Go returns early after the first equal IPv6 pair; the rest of the list still counts here.
  assert.equal(sameTargets(['::1', 'b.example'], ['0::1', 'c.example']), false);
  assert.equal(sameTargets([], []), true);
});

test('sameTargets is order-insensitive for any list (property)', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()), { maxLength: 6 }), (targets) => {
    const shuffled = [...targets].reverse().map((t) => t.toUpperCase());
    assert.equal(sameTargets(targets, shuffled), true);
  }), { numRuns: 200 });
});

test('sortTargets puts IPs first, numerically, then names; leaves the input alone', () => {
  const input = ['b.example', '10.0.0.1', 'a.example', '9.0.0.1', '::1'];
  assert.deepEqual(sortTargets(input), ['9.0.0.1', '10.0.0.1', '::1', 'a.example', 'b.example']);
  assert.deepEqual(input, ['b.example', '10.0.0.1', 'a.example', '9.0.0.1', '::1']);
});

test('isLessTargets: shorter first, then IPs before hostnames, IPs numerically, else lexicographic', () => {
  assert.equal(isLessTargets(['z.example'], ['1.1.1.1', '2.2.2.2']), true);
  assert.equal(isLessTargets(['1.1.1.1', '2.2.2.2'], ['z.example']), false);
  assert.equal(isLessTargets(['1.2.3.4'], ['1-2-3-4.example.com']), true);
  assert.equal(isLessTargets(['9.0.0.1'], ['10.0.0.1']), true);
  assert.equal(isLessTargets(['a.example'], ['b.example']), true);
  assert.equal(isLessTargets(['a.example'], ['a.example']), false);
  assert.equal(isLessTargets(['2.2.2.2', '1.1.1.1'], ['1.1.1.1', '3.3.3.3']), true);
});

test('compareTargetLists is antisymmetric (property)', () => {
  const list = fc.array(fc.oneof(fc.ipV4(), fc.domain()), { maxLength: 3 });
  fc.assert(fc.property(list, list, (a, b) => {
    assert.equal(Math.sign(compareTargetLists(a, b)) + Math.sign(compareTargetLists(b, a)), 0);
  }), { numRuns: 300 });
});

test('suitableType', () => {
  assert.equal(suitableType('10.0.0.1'), 'A');
  assert.equal(suitableType('2001:db8::1'), 'AAAA');
  assert.equal(suitableType('::ffff:1.2.3.4'), 'AAAA');
  assert.equal(suitableType('lb.example.com'), 'CNAME');
  assert.equal(suitableType('010.0.0.1'), 'CNAME');
});
