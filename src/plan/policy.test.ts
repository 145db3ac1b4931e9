import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../endpoint/endpoint.ts';
import { POLICY_NAMES, type Changes } from './plan.ts';
import { applyPolicy, POLICIES } from './policy.ts';

const ep = (name: string) => newEndpoint({ dnsName: name, recordType: 'A', targets: ['1.1.1.1'] });
const changes = (): Changes => ({ create: [ep('c')], updateOld: [ep('u')], updateNew: [ep('u')], delete: [ep('d')] });
const sizes = (c: Changes) => [c.create.length, c.updateOld.length, c.updateNew.length, c.delete.length];

test('every policy name has a policy', () => {
  assert.deepEqual(Object.keys(POLICIES).sort(), [...POLICY_NAMES].sort());
});

test('sync keeps everything, upsert-only drops deletes, create-only keeps creates', () => {
  assert.deepEqual(sizes(applyPolicy('sync', changes())), [1, 1, 1, 1]);
  assert.deepEqual(sizes(applyPolicy('upsert-only', changes())), [1, 1, 1, 0]);
  assert.deepEqual(sizes(applyPolicy('create-only', changes())), [1, 0, 0, 0]);
});

test('policies leave their input alone', () => {
  const input = changes();
  applyPolicy('create-only', input);
  applyPolicy('upsert-only', input);
  assert.deepEqual(sizes(input), [1, 1, 1, 1]);
});
