import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throttleDelayMs } from './throttle.ts';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const headers = (h: Record<string, string>) => (name: string): string | undefined => h[name];

test('the delay of a 429, read as azcore reads it: retry-after-ms, then x-ms-retry-after-ms, then Retry-After in seconds or as a date', () => {
  assert.equal(throttleDelayMs(headers({ 'retry-after-ms': '250', 'x-ms-retry-after-ms': '900', 'retry-after': '7' }), 1, NOW), 250);
  assert.equal(throttleDelayMs(headers({ 'x-ms-retry-after-ms': '900', 'retry-after': '7' }), 1, NOW), 900);
  assert.equal(throttleDelayMs(headers({ 'retry-after': '7' }), 1, NOW), 7000);
  assert.equal(throttleDelayMs(headers({ 'retry-after': 'Fri, 04 Dec 2026 12:00:30 GMT' }), 1, NOW), 30_000);
});

test('without a usable header (none, zero, garbage, a date past): 800 ms doubled per try', () => {
  assert.equal(throttleDelayMs(headers({}), 1, NOW), 800);
  assert.equal(throttleDelayMs(headers({ 'retry-after': '0' }), 2, NOW), 1600);
  assert.equal(throttleDelayMs(headers({ 'retry-after': 'soon', 'retry-after-ms': '-5' }), 3, NOW), 3200);
  assert.equal(throttleDelayMs(headers({ 'retry-after': 'Fri, 04 Dec 2026 11:00:00 GMT' }), 1, NOW), 800);
});
