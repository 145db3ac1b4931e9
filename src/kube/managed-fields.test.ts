import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectTextWithoutManagedFields } from './managed-fields.ts';

const cut = (value: unknown, space?: number): unknown => JSON.parse(objectTextWithoutManagedFields(Buffer.from(JSON.stringify(value, null, space))));
const MF = [{ manager: 'kubectl', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a]}"': {} } } } }];

test('metadata.managedFields is cut wherever it sits among the metadata keys, compact or indented', () => {
  for (const space of [undefined, 2]) {
    assert.deepEqual(cut({ kind: 'Pod', metadata: { name: 'a', managedFields: MF, uid: 'u' }, spec: { x: 1 } }, space), { kind: 'Pod', metadata: { name: 'a', uid: 'u' }, spec: { x: 1 } });
    assert.deepEqual(cut({ metadata: { managedFields: MF, name: 'first' } }, space), { metadata: { name: 'first' } });
    assert.deepEqual(cut({ metadata: { name: 'last', managedFields: MF } }, space), { metadata: { name: 'last' } });
    assert.deepEqual(cut({ metadata: { managedFields: MF } }, space), { metadata: {} });
    assert.deepEqual(cut({ metadata: { name: 'ünï', annotations: { note: '"managedFields": in a value' }, managedFields: [] } }, space),
      { metadata: { name: 'ünï', annotations: { note: '"managedFields": in a value' } } });
  }
});

test('a managedFields key anywhere but directly in the top-level metadata is kept', () => {
  for (const obj of [
    { spec: { managedFields: MF }, metadata: { name: 'a' } },
    { metadata: { name: 'a', labels: { managedFields: 'x' } } },
    { status: { metadata: { managedFields: MF } } },
    { 'a"metadata': { managedFields: MF } },
    { items: [{ metadata: { managedFields: MF } }] },
  ]) {
    assert.deepEqual(cut(obj), obj);
  }
});
