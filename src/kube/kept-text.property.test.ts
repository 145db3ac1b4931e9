/**
 * KeptText cuts a list item down to the fields a shape keeps before JSON.parse
 * reads it. For any text, it must give what JSON.parse and pick (the pruner's
 * field selection) would, or refuse with a SyntaxError exactly where JSON.parse
 * does, whether the bad bytes sit in a kept field or in one it skips.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { outcome, type Outcome } from '../../test/support/outcome.ts';
import { propertyRuns } from '../../test/support/property-runs.ts';
import { pick } from '../source/prune.ts';
import { KeptText, type KeepShape } from './kept-text.ts';
import { ListBodyParser } from './list-stream.ts';

/** Names a generated object uses often, so shapes select fields that are there. */
const NAMES = ['a', 'b', 'spec', 'status', 'metadata', 'name', '__proto__', 'constructor', 'x"y', 'é'];
const name = fc.constantFrom(...NAMES);
// A shape naming __proto__ would make pick set prototypes (no pruner's shape does); objects may still have the key.
const shapeName = fc.constantFrom(...NAMES.filter((n) => n !== '__proto__'));
const shape: fc.Arbitrary<KeepShape> = fc.letrec<{ shape: KeepShape }>((tie) => ({
  shape: fc.dictionary(shapeName, fc.oneof({ depthSize: 'small' }, fc.constant<true>(true), tie('shape')), { maxKeys: 4 }),
})).shape;

const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.dictionary(name, tie('value'), { maxKeys: 5 }),
    fc.array(tie('value'), { maxLength: 4 })),
})).value;

const spaced = fc.tuple(value, fc.constantFrom(undefined, 1, '\t')).map(([v, space]) => JSON.stringify(v, null, space));

/** What the cache would hold from `text`: JSON.parse's value with the shape applied. */
const expected = (text: string, s: KeepShape): unknown => pick(JSON.parse(text), s);
const kept = (text: string, s: KeepShape): unknown => pick(JSON.parse(new KeptText(s).of(Buffer.from(text))), s);

test('any JSON value, however spaced, and any shape: what JSON.parse and pick give', () => {
  fc.assert(fc.property(spaced, shape, (text, s) => {
    assert.deepStrictEqual(outcome(() => kept(text, s)), outcome(() => expected(text, s)));
  }), propertyRuns(2000));
});

test('duplicate, escaped and prototype-named keys come out as JSON.parse gives them', () => {
  const key = fc.constantFrom('"a"', '"\\u0061"', '"__proto__"', '"constructor"', '"b"', '"\\"a"');
  const member = fc.tuple(key, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => `${k}:${JSON.stringify(v)}`);
  const s = Object.fromEntries<true | KeepShape>([['a', true], ['b', { a: true }], ['constructor', true]]);
  fc.assert(fc.property(fc.array(member, { maxLength: 6 }), (members) => {
    const text = `{${members.join(',')}}`;
    assert.deepStrictEqual(outcome(() => kept(text, s)), outcome(() => expected(text, s)));
  }), propertyRuns(500));
});

test('any text, JSON-like or broken, in kept or skipped fields: a SyntaxError exactly where JSON.parse throws one', () => {
  const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\t', '\u0001', '1', '-', '+', 'e', '.', '0', 'true', 'tru', 'null', 'nul', 'false',
    '"a"', '"spec"', '"\\u00e9"', '"\\u00g9"', '"\\x"', '\u2028', 'x');
  const broken = fc.array(piece, { maxLength: 24 }).map((ps) => ps.join(''));
  const mangled = fc.tuple(spaced, fc.nat(), fc.array(piece, { maxLength: 2 }), fc.nat({ max: 2 })).map(([t, at, ins, del]) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + ins.join('') + t.slice(i + del);
  });
  // A broken value inside a field the shape skips, and inside one it keeps.
  const nested = fc.tuple(broken, fc.constantFrom('skipped', 'a')).map(([b, field]) => `{"a":{"b":1},"${field}":${b},"spec":[]}`);
  const s: KeepShape = { a: { b: true }, spec: true };
  fc.assert(fc.property(fc.oneof(broken, mangled, nested), fc.oneof(fc.constant(s), shape), (text, sh) => {
    assert.deepStrictEqual(outcome(() => kept(text, sh)), outcome(() => expected(text, sh)));
  }), propertyRuns(4000));
});

test('nesting: 10,000 levels are walked without recursion (deeper is refused); deep arrays at a kept place are kept whole', () => {
  const s: KeepShape = { spec: { a: true } };
  const nest = (n: number, inner: string): string => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
  const deep = (n: number): string => `{"skip":${nest(n, '')},"spec":${nest(n, '{"a":1,"b":2}')}}`;
  // pick (after JSON.parse) filters any depth; from 32 levels down the parser leaves that to it.
  assert.equal(new KeptText(s).of(Buffer.from(deep(9_999))), `{"spec":${nest(9_999, '{"a":1,"b":2}')}}`);
  assert.equal(new KeptText(s).of(Buffer.from(deep(3))), `{"spec":${nest(3, '{"a":1}')}}`);
  assert.throws(() => new KeptText(s).of(Buffer.from(deep(10_001))), /nest deeper than 10000/);
});

/** Feeds `bytes` to a keep-mode parser in chunks of the given sizes (cycled); the items and fields, or the error's name. */
function parseList(bytes: Buffer, keep: KeepShape, sizes: readonly number[]): Outcome {
  return outcome(() => {
    const items: unknown[] = [];
    const parser = new ListBodyParser((item) => { items.push(pick(item, keep)); }, { keep });
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const size = sizes[k % sizes.length] ?? 1;
      parser.push(bytes.subarray(at, at + size));
      at += size;
    }
    return { items, fields: parser.end() };
  });
}

test('a list body of any items, cut into chunks of any sizes: each item as JSON.parse and pick give it, across read batches', () => {
  // Fillers of up to 60 KB make bodies of hundreds of KB: items fall across the parser's 128 KB batches.
  const item = fc.tuple(value, fc.nat({ max: 60_000 }), fc.constantFrom('x', 'é', '\\"')).map(([v, n, c]) =>
    JSON.stringify({ filler: c.repeat(Math.ceil(n / c.length)), a: v, spec: v, n: 1e3 }));
  const body = fc.tuple(fc.array(item, { maxLength: 12 }), fc.constantFrom('', ' ', '\n  ')).map(([items, sp]) =>
    `{"kind":"List","items":[${sp}${items.join(`,${sp}`)}${sp}]${sp},"metadata":{"resourceVersion":"7"}}`);
  const sizes = fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 8 });
  fc.assert(fc.property(body, shape, sizes, (text, s, cuts) => {
    const want = JSON.parse(text) as { items: unknown[] } & Record<string, unknown>;
    const { items, ...fields } = want;
    assert.deepStrictEqual(parseList(Buffer.from(text), s, cuts), { value: { items: items.map((i) => pick(i, s)), fields } });
  }), propertyRuns(150));
});

test('a broken list body, cut anywhere: a SyntaxError exactly where JSON.parse throws one', () => {
  const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '1', '-', '0', 'e', 'true', 'nul', '"a"', '"\\u00e9"', '"\\u0g"');
  const broken = fc.tuple(fc.array(piece, { maxLength: 12 }), fc.nat({ max: 3 })).map(([ps, k]) => {
    const items = Array.from({ length: 3 }, (_, j) => (j === k ? ps.join('') : JSON.stringify({ a: { b: j }, pad: 'p'.repeat(j * 50_000) })));
    return `{"items":[${items.join(',')}],"metadata":{}}`;
  });
  const sizes = fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 4 });
  const s: KeepShape = { a: { b: true } };
  fc.assert(fc.property(broken, sizes, (text, cuts) => {
    const got = parseList(Buffer.from(text), s, cuts);
    const want = outcome(() => JSON.parse(text));
    assert.equal('error' in got ? got.error : 'value', 'error' in want ? want.error : 'value', text.slice(0, 200));
  }), propertyRuns(300));
});
