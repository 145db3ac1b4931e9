/**
 * The metrics registry and its text exposition: what a Prometheus scraper
 * reads back must be exactly what was recorded, escapes included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry } from '../../src/metrics/prometheus.ts';
import { parseExposition, sampleValue } from './parse-exposition.ts';

test('counters and gauges round-trip through the exposition, labelled series sorted, unlabelled ones always shown', () => {
  const r = new MetricsRegistry();
  const c = r.counter({ name: 'demo_requests_total', help: 'Requests.', labelNames: ['code'] });
  const g = r.gauge({ name: 'demo_temperature', help: 'Temperature.' });
  const unset = r.counter({ name: 'demo_never_total', help: 'Never incremented.' });
  r.gauge({ name: 'demo_empty_vector', help: 'No series yet.', labelNames: ['x'] });
  c.inc({ code: '500' });
  c.inc({ code: '200' }, 3);
  c.inc({ code: '200' });
  g.set(-1.5);
  const text = r.expose();
  const parsed = parseExposition(text);
  assert.equal(parsed.get('demo_requests_total')?.type, 'counter');
  assert.deepEqual(parsed.get('demo_requests_total')?.samples.map((s) => [s.labels.code, s.value]), [['200', 4], ['500', 1]]);
  assert.equal(sampleValue(parsed, 'demo_temperature'), -1.5);
  assert.equal(sampleValue(parsed, 'demo_never_total'), 0, 'an unlabelled counter shows 0 before any increment, like the Go client');
  assert.equal(parsed.has('demo_empty_vector'), false, 'a labelled family without series is left out, like the Go client');
  assert.equal(unset.value(), 0);
  assert.throws(() => { c.inc({ code: '200' }, -1); }, /can only go up/);
  assert.throws(() => { c.inc({ wrong: 'x' }); }, /takes labels \[code\]/);
  assert.throws(() => r.gauge({ name: 'demo_temperature', help: 'again' }), /registered twice/);
  assert.throws(() => r.gauge({ name: 'bad-name', help: '' }), /invalid metric name/);
});

test('label values and help texts with quotes, backslashes and newlines are escaped and read back intact', () => {
  const r = new MetricsRegistry();
  const nasty = 'CN="Acme \\ Root",O=Acme\nline two';
  r.gauge({ name: 'demo_cert', help: 'Help with \\ backslash\nand newline.', labelNames: ['subject'] }).set(1, { subject: nasty });
  const text = r.expose();
  assert.match(text, /^# HELP demo_cert Help with \\\\ backslash\\nand newline\.$/m);
  const parsed = parseExposition(text);
  assert.equal(parsed.get('demo_cert')?.samples[0]?.labels.subject, nasty);
  assert.equal(parsed.get('demo_cert')?.help, 'Help with \\ backslash\nand newline.');
  assert.equal(text.split('\n').filter((l) => l.startsWith('demo_cert')).length, 1, 'the newline stayed inside one sample line');
});

test('special values are written as NaN, +Inf and -Inf', () => {
  const r = new MetricsRegistry();
  const g = r.gauge({ name: 'demo_special', help: 'x', labelNames: ['k'] });
  g.set(NaN, { k: 'nan' });
  g.set(Infinity, { k: 'inf' });
  g.set(-Infinity, { k: 'ninf' });
  const text = r.expose();
  assert.match(text, /demo_special\{k="inf"\} \+Inf/);
  assert.match(text, /demo_special\{k="ninf"\} -Inf/);
  assert.ok(Number.isNaN(sampleValue(parseExposition(text), 'demo_special', { k: 'nan' })));
});

test('histograms have cumulative buckets ending in +Inf, a sum and a count', () => {
  const r = new MetricsRegistry();
  const h = r.histogram({ name: 'demo_seconds', help: 'x', buckets: [1, 0.1, 10] });
  for (const v of [0.05, 0.5, 0.5, 5, 50]) h.observe(v);
  const parsed = parseExposition(r.expose());
  const buckets = parsed.get('demo_seconds')?.samples.filter((s) => s.name === 'demo_seconds_bucket').map((s) => [s.labels.le, s.value]);
  assert.deepEqual(buckets, [['0.1', 1], ['1', 3], ['10', 4], ['+Inf', 5]]);
  assert.equal(sampleValue(parsed, 'demo_seconds_sum'), 56.05);
  assert.equal(sampleValue(parsed, 'demo_seconds_count'), 5);
});

test('summaries report quantiles over recent observations, const labels first, sum and count over all', () => {
  const r = new MetricsRegistry();
  const s = r.summary({ name: 'demo_latency_seconds', help: 'x', constLabels: { handler: 'h' }, labelNames: ['path'], quantiles: [0.5, 0.9, 0.99], now: () => 0 });
  for (let i = 1; i <= 100; i++) s.observe(i / 100, { path: 'zones' });
  const text = r.expose();
  const parsed = parseExposition(text);
  assert.equal(parsed.get('demo_latency_seconds')?.type, 'summary');
  assert.match(text, /^demo_latency_seconds\{handler="h",path="zones",quantile="0.5"\} 0.5$/m);
  assert.equal(sampleValue(parsed, 'demo_latency_seconds', { quantile: '0.9' }), 0.9);
  assert.equal(sampleValue(parsed, 'demo_latency_seconds', { quantile: '0.99' }), 0.99);
  assert.equal(sampleValue(parsed, 'demo_latency_seconds_count'), 100);
  assert.ok(Math.abs((sampleValue(parsed, 'demo_latency_seconds_sum') ?? 0) - 50.5) < 1e-9);
  assert.deepEqual(r.descriptors().find((d) => d.name === 'demo_latency_seconds')?.labelNames, ['handler', 'path']);
});

test('summary quantiles follow the Go client window: all of the first 10 minutes, then from the head age bucket on', () => {
  let now = 0;
  const r = new MetricsRegistry();
  const s = r.summary({ name: 'demo_age_seconds', help: 'x', now: () => now });
  const median = (): number | undefined => sampleValue(parseExposition(r.expose()), 'demo_age_seconds', { quantile: '0.5' });
  s.observe(10);
  now = 9 * 60_000;
  s.observe(1);
  s.observe(1);
  assert.equal(median(), 1, 'before the first reset of a later stream all three count');
  now = 10 * 60_000 + 1;
  assert.equal(median(), 1);
  now = 11 * 60_000;
  s.observe(1);
  assert.equal(sampleValue(parseExposition(r.expose()), 'demo_age_seconds', { quantile: '0.99' }), 1, 'the 10 at t=0 aged out after 10 minutes');
  now = 20 * 60_000;
  assert.ok(Number.isNaN(median()), 'an empty head stream answers NaN, as Go does');
  assert.equal(sampleValue(parseExposition(r.expose()), 'demo_age_seconds_count'), 4, 'count covers all time');
});

test('collected families are read at each scrape and add up samples with equal labels', () => {
  const r = new MetricsRegistry();
  let n = 1;
  r.collected('gauge', { name: 'demo_live', help: 'x', labelNames: ['a'] }, () => [{ labels: { a: '1' }, value: n }, { labels: { a: '1' }, value: 1 }]);
  assert.equal(sampleValue(parseExposition(r.expose()), 'demo_live', { a: '1' }), 2);
  n = 5;
  assert.equal(sampleValue(parseExposition(r.expose()), 'demo_live', { a: '1' }), 6);
});

test('the test parser itself rejects malformed exposition', () => {
  assert.throws(() => parseExposition('x{a="1} 1\n'), /unterminated|bad/);
  assert.throws(() => parseExposition('# TYPE x counter\nx 1\n# HELP x again\n'), /described twice/);
  assert.throws(() => parseExposition('# TYPE x counter\ny 1\n'), /outside its family/);
  assert.throws(() => parseExposition('# TYPE x counter\nx one\n'), /bad value/);
});
