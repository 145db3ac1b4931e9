import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelSelectorMatches } from './gateway-parents.ts';
import { matchingHost } from './gateway.ts';

test('matchingHost: "" matches anything, wildcards match names below them, the specific name wins', () => {
  const cases: [string, string, string | undefined][] = [
    ['', 'a.example.org', 'a.example.org'],
    ['a.example.org', '', 'a.example.org'],
    ['A.Example.org', 'a.example.org', 'a.example.org'],
    ['*.example.org', 'a.example.org', 'a.example.org'],
    ['a.b.example.org', '*.example.org', 'a.b.example.org'],
    ['*.example.org', 'example.org', undefined],
    ['*.example.org', '*.b.example.org', '*.b.example.org'],
    ['*.a.example.org', '*.b.example.org', undefined],
    ['a.example.org', 'b.example.org', undefined],
    ['192.0.2.1', '', undefined],
    ['bad_name.example.org', '', undefined],
    ['-x.example.org', 'x.example.org', undefined],
  ];
  for (const [a, b, want] of cases) assert.equal(matchingHost(a, b), want, `${a} ∩ ${b}`);
});

test('labelSelectorMatches: matchLabels and every matchExpressions operator', () => {
  const labels = { team: 'a', env: 'prod' };
  assert.equal(labelSelectorMatches({}, labels), true);
  assert.equal(labelSelectorMatches({ matchLabels: { team: 'a' } }, labels), true);
  assert.equal(labelSelectorMatches({ matchLabels: { team: 'b' } }, labels), false);
  assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] }, labels), true);
  assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels), false);
  assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'gone', operator: 'NotIn', values: ['x'] }] }, labels), true);
  assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels), true);
  assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, labels), false);
  assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'team', operator: 'Matches' }] }, labels), false, 'unknown operators match nothing');
});
