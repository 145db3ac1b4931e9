import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatGoDuration, parseGoBool, parseGoDuration, parseGoFloat, parseGoInt } from './go-values.ts';

test('parseGoDuration reads Go durations into milliseconds', () => {
  const cases: [string, number][] = [
    ['0', 0], ['-0', 0], ['0s', 0], ['1m30s', 90_000], ['500ms', 500], ['1h', 3_600_000], ['1.5h', 5_400_000],
    ['.5s', 500], ['1.s', 1000], ['-1m', -60_000], ['+2s', 2000], ['1500us', 1.5], ['1500µs', 1.5], ['1500μs', 1.5],
    ['2000000ns', 2], ['1h2m3s4ms', 3_723_004], ['72s', 72_000],
  ];
  for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
});

test('parseGoDuration refuses what Go refuses', () => {
  for (const text of ['', '72', '1', '1d', 's', '.s', '1m 30s', 'one', '--1s', '1.2.3s', ' 1s', '1S']) {
    assert.equal(parseGoDuration(text), undefined, text);
  }
});

test('formatGoDuration prints like Go and round-trips', () => {
  assert.equal(formatGoDuration(60_000), '1m0s');
  assert.equal(formatGoDuration(3_723_000), '1h2m3s');
  assert.equal(formatGoDuration(500), '500ms');
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(1500), '1.5s');
  fc.assert(fc.property(fc.integer({ min: -1e10, max: 1e10 }), (ms) => parseGoDuration(formatGoDuration(ms)) === ms));
});

test('parseGoBool accepts strconv.ParseBool words only', () => {
  for (const t of ['1', 't', 'T', 'true', 'TRUE', 'True']) assert.equal(parseGoBool(t), true, t);
  for (const f of ['0', 'f', 'F', 'false', 'FALSE', 'False']) assert.equal(parseGoBool(f), false, f);
  for (const x of ['yes', 'no', 'tRUE', '', 'on']) assert.equal(parseGoBool(x), undefined, x);
});

test('parseGoInt follows strconv.ParseInt base 0', () => {
  const cases: [string, number][] = [
    ['10', 10], ['-3', -3], ['+7', 7], ['0', 0], ['0x1F', 31], ['0o17', 15], ['017', 15], ['0b101', 5], ['1_000', 1000],
  ];
  for (const [text, n] of cases) assert.equal(parseGoInt(text), n, text);
  for (const x of ['', '5.5', '09', '1e3', '_1', '1_', '1__0', 'ten', ' 1', '9007199254740993']) assert.equal(parseGoInt(x), undefined, x);
  fc.assert(fc.property(fc.integer(), (n) => parseGoInt(String(n)) === n));
});

test('parseGoFloat reads decimal floats', () => {
  assert.equal(parseGoFloat('0.5'), 0.5);
  assert.equal(parseGoFloat('1e3'), 1000);
  assert.equal(parseGoFloat('.5'), 0.5);
  for (const x of ['', 'abc', '1.2.3', '0x10']) assert.equal(parseGoFloat(x), undefined, x);
});
