/**
 * parseJsonSliced is JSON.parse, a slice at a time: for any JSON text (and
 * any text at all) it returns what JSON.parse returns, or throws a
 * SyntaxError when JSON.parse does. Run with tiny thresholds so the member
 * by member walk, not JSON.parse, handles nearly every value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { outcome } from '../../test/support/outcome.ts';
import { propertyRuns } from '../../test/support/property-runs.ts';
import { parseJsonSliced } from './json-sliced.ts';
import { drain, paced } from './sliced.ts';

const options = fc.record({ small: fc.integer({ min: 0, max: 12 }), sliceChars: fc.integer({ min: 1, max: 8 }) });

test('any JSON text, however spaced: the value JSON.parse gives', () => {
  const spaced = fc.tuple(fc.jsonValue(), fc.constantFrom(undefined, 1, 2, '\t')).map(([v, space]) => JSON.stringify(v, null, space));
  fc.assert(fc.property(spaced, options, (text, opts) => {
    assert.deepStrictEqual(drain(parseJsonSliced(text, opts)), JSON.parse(text));
  }), propertyRuns(1000));
});

test('keys JSON.parse treats specially (__proto__, duplicates, numeric keys) come out as JSON.parse gives them', () => {
  const key = fc.constantFrom('__proto__', 'constructor', 'a', '1', '01', 'toString', '');
  const member = fc.tuple(key, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  fc.assert(fc.property(fc.array(member, { maxLength: 6 }), options, (members, opts) => {
    const text = `{${members.join(',')}}`;
    assert.deepStrictEqual(drain(parseJsonSliced(text, opts)), JSON.parse(text));
  }), propertyRuns(500));
});

test('any text, JSON-like or broken: the same value, or a SyntaxError where JSON.parse throws one', () => {
  const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '1', '-', 'e', '.', 'true', 'null', '"a"', '"\\u00e9"', '\u2028', 'x');
  const broken = fc.array(piece, { maxLength: 24 }).map((ps) => ps.join(''));
  const json = fc.jsonValue().map((v) => JSON.stringify(v));
  const mangled = fc.tuple(json, fc.nat(), fc.string({ maxLength: 2 })).map(([t, at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1)));
  fc.assert(fc.property(fc.oneof(broken, json, mangled), options, (text, opts) => {
    assert.deepStrictEqual(outcome(() => drain(parseJsonSliced(text, opts))), outcome(() => JSON.parse(text)));
  }), propertyRuns(2000));
});

test('a 1 MiB body is worked through in slices, and nesting 1,000 deep across big containers is refused, never a stack overflow', async () => {
  const big = JSON.stringify({ create: Array.from({ length: 10_000 }, (_, i) => ({ dnsName: `h${i}.example.com`, targets: ['192.0.2.1'], recordType: 'A' })) });
  let pauses = 0;
  const value = await paced(parseJsonSliced(big), async () => {
    pauses++;
    await Promise.resolve();
  });
  assert.deepStrictEqual(value, JSON.parse(big));
  assert.ok(pauses >= Math.floor(big.length / (64 * 1024)), `paused ${pauses} times for ${big.length} characters`);
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  assert.throws(() => drain(parseJsonSliced(deep)), /nested deeper than 1000 levels/);
  const fine = `${'['.repeat(999)}${'0,'.repeat(20_000)}0${']'.repeat(999)}`;
  assert.deepStrictEqual(drain(parseJsonSliced(fine)), JSON.parse(fine));
});
