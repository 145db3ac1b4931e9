/**
 * extdns's log lines against logrus v1.10.1 (what ExternalDNS v0.22 logs
 * with): logrus-formats.txt holds the same four entries formatted by logrus's
 * default TextFormatter, then its JSONFormatter (see the README for the program).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLogger, type Logger } from '../../src/log/logger.ts';

const golden = readFileSync(new URL('./go-v0.22/logrus-formats.txt', import.meta.url), 'utf8').trimEnd().split('\n');
/** 2026-12-04T19:16:14.123Z: logrus prints whole seconds. */
const AT = Date.UTC(2026, 11, 4, 19, 16, 14, 123);

function entries(log: Logger): void {
  log.info('All records are already up to date');
  log.warn('');
  log.error('failed to sync: "x"', {
    msg: 'clash', level: 'x', time: 'y', b: 'a b', a: 1.5, c: true, d: '', e: 'é\u00a0\x01<>&\u2028', f: 1234567.5,
    g: new Error('boom'), h: 42, i: 'key=value', j: 'a:b', k: 'ok-._/@^+', l: 0.0001, m: 1e21, n: 'tab\there "q" \\ back', o: -3,
  });
  log.debug('multi\nline', { zone: 'example.org.' });
}

function lines(format: 'text' | 'json'): string[] {
  const out: string[] = [];
  entries(createLogger({ level: 'trace', format, clock: { now: () => AT, sleep: () => Promise.resolve() }, write: (l) => out.push(l) }));
  return out;
}

test('text lines are logrus TextFormatter lines: RFC 3339 seconds, fixed keys then sorted fields, logrus quoting, fields.* for clashes', () => {
  assert.deepEqual(lines('text'), golden.slice(0, 4));
});

test('JSON lines are logrus JSONFormatter lines: encoding/json key order and HTML escaping', () => {
  assert.deepEqual(lines('json'), golden.slice(4, 8));
});
