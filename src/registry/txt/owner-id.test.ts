import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabels, serializeLabels } from './labels.ts';
import { ownerIdProblem } from './owner-id.ts';

const readBack = (id: string): string | undefined => parseLabels(serializeLabels({ owner: id }, { quoted: true }))?.['owner'];

test('accepted owner ids read back as themselves', () => {
  for (const id of ['cluster-1', 'team.prod/eu', 'ünïcode', 'default', 'a_b']) {
    assert.equal(ownerIdProblem(id), undefined, id);
    assert.equal(readBack(id), id);
  }
});

test('ids that would read back as something else are refused (and = too, which other TXT readers split on)', () => {
  for (const id of ['c1,prod', 'say"hi"', 'trailing"']) {
    assert.notEqual(readBack(id), id, id);
    assert.notEqual(ownerIdProblem(id), undefined, id);
  }
  for (const id of ['a=b', 'a b', 'tab\there', 'new\nline', 'nul\u0000', 'zero\u200bwidth']) assert.notEqual(ownerIdProblem(id), undefined, id);
});

test('the message names what is wrong', () => {
  assert.match(ownerIdProblem('c1,prod') ?? '', /a comma/);
  assert.match(ownerIdProblem('x\u0007') ?? '', /control/);
});
