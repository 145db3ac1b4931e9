import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListBodyParser } from './list-stream.ts';

/** Feeds `bytes` cut at `cuts` (sorted offsets) and returns the items and the other fields. */
function parseCut(bytes: Buffer, cuts: readonly number[]): { items: unknown[]; fields: Record<string, unknown> } {
  const items: unknown[] = [];
  const parser = new ListBodyParser((item) => { items.push(item); });
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(from, at));
    from = at;
  }
  return { items, fields: parser.end() };
}

const LIST = {
  kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '123', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ' },
  items: [
    { metadata: { name: 'a', namespace: 'ns', annotations: { 'x/y': 'ünïcödé ✓ 🚀', quote: 'say "hi" \\ {not} [a] bracket' } }, spec: { n: 1, f: -2.5e3, t: true, z: null } },
    { metadata: { name: 'b', labels: {} }, status: { list: [[1], [], { '': '}' }] } },
    { metadata: { name: '日本語' }, runs: ['ends in a backslash \\', '\\"', '\\\\\\"\\', '"', ''] },
  ],
};

test('every item and field of a list body, whatever the bytes are cut at (each single cut and byte by byte)', () => {
  for (const text of [JSON.stringify(LIST), JSON.stringify(LIST, null, 2), JSON.stringify({ items: LIST.items, kind: 'ItemsFirst', metadata: LIST.metadata })]) {
    const bytes = Buffer.from(text, 'utf8');
    const want = JSON.parse(text) as { items: unknown[] } & Record<string, unknown>;
    const { items: wantItems, ...wantFields } = want;
    for (let at = 0; at <= bytes.length; at++) {
      assert.deepEqual(parseCut(bytes, [at]), { items: wantItems, fields: wantFields }, `cut at ${at}`);
    }
    assert.deepEqual(parseCut(bytes, Array.from({ length: bytes.length }, (_, i) => i)), { items: wantItems, fields: wantFields });
  }
});

test('a multi-byte UTF-8 character split between chunks decodes whole', () => {
  const bytes = Buffer.from(JSON.stringify({ items: [{ s: '🚀é' }] }), 'utf8');
  const rocket = bytes.indexOf(Buffer.from('🚀'));
  for (const at of [rocket + 1, rocket + 2, rocket + 3, rocket + 5]) {
    assert.deepEqual(parseCut(bytes, [at]).items, [{ s: '🚀é' }], `cut at ${at}`);
  }
});

test('items arrive one at a time, before the body has ended', () => {
  const seen: unknown[] = [];
  const parser = new ListBodyParser((item) => { seen.push(item); });
  parser.push(Buffer.from('{"metadata":{"resourceVersion":"9"},"items":[{"a":1},'));
  assert.deepEqual(seen, [{ a: 1 }]);
  parser.push(Buffer.from('{"b":2}'));
  assert.deepEqual(seen, [{ a: 1 }, { b: 2 }]);
  parser.push(Buffer.from(']}'));
  assert.deepEqual(parser.end(), { metadata: { resourceVersion: '9' } });
});

test('empty and null items', () => {
  assert.deepEqual(parseCut(Buffer.from('{"items":[],"metadata":{}}'), []), { items: [], fields: { metadata: {} } });
  assert.deepEqual(parseCut(Buffer.from('{"items":null}'), []), { items: [], fields: { items: null } });
});

test('a body that is not a whole JSON list is a SyntaxError', () => {
  for (const bad of ['', 'not json', '[1,2]', '{"items":[{"a":1}', '{"items":[{"a":1}]', '{"a" 1}', '{"a":1 "b":2}', '{"items":[{"a":}]}', '{} x', '{"a":1}}']) {
    assert.throws(() => parseCut(Buffer.from(bad), []), SyntaxError, bad);
  }
});

test('with dropManagedFields, items come without metadata.managedFields, whatever the bytes are cut at', () => {
  const item = { metadata: { name: 'a', managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }], uid: 'u' }, spec: { n: 1 } };
  const bytes = Buffer.from(JSON.stringify({ metadata: { resourceVersion: '1' }, items: [item, item] }));
  for (let at = 0; at <= bytes.length; at++) {
    const items: unknown[] = [];
    const parser = new ListBodyParser((i) => { items.push(i); }, { dropManagedFields: true });
    parser.push(bytes.subarray(0, at));
    parser.push(bytes.subarray(at));
    assert.deepEqual(parser.end(), { metadata: { resourceVersion: '1' } });
    assert.deepEqual(items, [{ metadata: { name: 'a', uid: 'u' }, spec: { n: 1 } }, { metadata: { name: 'a', uid: 'u' }, spec: { n: 1 } }], `cut at ${at}`);
  }
});

test('with keep, items come with only the kept fields, whatever the bytes are cut at', () => {
  const item = {
    metadata: { name: 'a', managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }], uid: 'u', labels: { x: 'ü "}' } },
    spec: { containers: [{ name: 'c', env: [{ value: '[{' }] }], nodeName: 'n1' },
    status: { podIPs: [{ ip: '10.0.0.1', extra: 1 }, { ip: 'fd00::1' }], phase: 'Running' },
  };
  const keep = { metadata: { name: true, uid: true, labels: true }, spec: { nodeName: true }, status: { podIPs: { ip: true } } } as const;
  const bytes = Buffer.from(JSON.stringify({ metadata: { resourceVersion: '1' }, items: [item, item] }));
  const want = { metadata: { name: 'a', uid: 'u', labels: { x: 'ü "}' } }, spec: { nodeName: 'n1' }, status: { podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] } };
  for (let at = 0; at <= bytes.length; at++) {
    const items: unknown[] = [];
    const parser = new ListBodyParser((i) => { items.push(i); }, { keep });
    parser.push(bytes.subarray(0, at));
    parser.push(bytes.subarray(at));
    assert.deepEqual(parser.end(), { metadata: { resourceVersion: '1' } });
    assert.deepEqual(items, [want, want], `cut at ${at}`);
  }
});

test('with keep, a field that is not JSON fails the list even where it is skipped', () => {
  for (const bad of ['{"items":[{"metadata":{"name":"a"},"spec":{"containers":[{"name":01}]}}]}', '{"items":[{"spec":{"x":"\u0001"},"metadata":{}}]}',
    '{"items":[{"metadata":{"name":"a"},"status":tru}]}', '{"items":[{"metadata":{"name":"a"},"spec":{"a" 1}}]}']) {
    assert.throws(() => parseCut(Buffer.from(bad), []), SyntaxError, bad);
    const parser = new ListBodyParser(() => undefined, { keep: { metadata: true } });
    assert.throws(() => { parser.push(Buffer.from(bad)); parser.end(); }, SyntaxError, bad);
  }
});

test('with keep, an item of megabytes among small ones, fed in 16 KB chunks, comes whole', () => {
  const big = { metadata: { name: 'big', annotations: { a: 'x'.repeat(3_000_000) } }, spec: { skip: 'y'.repeat(1_000_000) } };
  const small = (i: number): unknown => ({ metadata: { name: `s${i}` }, spec: { skip: 'z'.repeat(40_000) } });
  const items = [small(0), big, small(1), small(2), big, small(3)];
  const bytes = Buffer.from(JSON.stringify({ items, metadata: { resourceVersion: '5' } }));
  const got: unknown[] = [];
  const parser = new ListBodyParser((i) => { got.push(i); }, { keep: { metadata: true } });
  for (let at = 0; at < bytes.length; at += 16_384) parser.push(bytes.subarray(at, at + 16_384));
  assert.deepEqual(parser.end(), { metadata: { resourceVersion: '5' } });
  assert.deepEqual(got, items.map((i) => ({ metadata: (i as { metadata: unknown }).metadata })));
});
