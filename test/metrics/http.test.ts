/**
 * external_dns_http_request_duration_seconds from real outgoing requests:
 * undici (the trust module's dispatchers, fetch) and node:http (the AWS SDK's
 * handler), seen through Node's diagnostics channels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { instrumentHttp, lastPathSegment } from '../../src/metrics/http.ts';
import { MetricsRegistry } from '../../src/metrics/prometheus.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { parseExposition } from './parse-exposition.ts';

test('outgoing requests are timed with scheme, host, last path segment, method as sent (GET, as Go has it) and status; errors have status ""', async (ctx) => {
  const server = createServer((req, res) => {
    res.statusCode = req.url?.startsWith('/missing') === true ? 404 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.after(() => new Promise<void>((resolve) => server.close(() => { resolve(); })));
  const port = (server.address() as AddressInfo).port;
  const registry = new MetricsRegistry();
  const summary = registry.summary({ name: 'demo_http_seconds', help: 'x', constLabels: { handler: 'instrumented_http' }, labelNames: ['scheme', 'host', 'path', 'method', 'status'], now: () => 0 });
  const stop = instrumentHttp(summary, new FakeClock());
  ctx.after(stop);
  const agent = new Agent();
  ctx.after(() => agent.close());

  await (await request(`http://127.0.0.1:${port}/api/v1/servers/localhost/zones/example.org.`, { dispatcher: agent })).body.text();
  await (await request(`http://127.0.0.1:${port}/missing?x=1`, { method: 'PATCH', dispatcher: agent })).body.text();
  await new Promise<void>((resolve, reject) => {
    httpGet(`http://127.0.0.1:${port}/2013-04-01/hostedzone`, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
  });
  await assert.rejects(request('http://127.0.0.1:1/refused', { dispatcher: agent }));

  const samples = parseExposition(registry.expose()).get('demo_http_seconds')?.samples.filter((s) => s.name === 'demo_http_seconds_count') ?? [];
  const seen = samples.map((s) => `${s.labels.method} ${s.labels.scheme}://${s.labels.host}/${s.labels.path} ${s.labels.status}`).sort();
  assert.deepEqual(seen, [
    `GET http://127.0.0.1:${port}/example.org. 200`,
    `GET http://127.0.0.1:${port}/hostedzone 200`,
    'GET http://127.0.0.1:1/refused ',
    `PATCH http://127.0.0.1:${port}/missing 404`,
  ].sort());
  stop();
  await (await request(`http://127.0.0.1:${port}/after-stop`, { dispatcher: agent })).body.text();
  assert.doesNotMatch(registry.expose(), /after-stop/, 'nothing is recorded once stopped');
});

test('the path label keeps only the last segment, as ExternalDNS does, so label values stay bounded', () => {
  assert.equal(lastPathSegment('/api/v1/servers/localhost/zones/example.org.'), 'example.org.');
  assert.equal(lastPathSegment('/records?page=2'), 'records');
  assert.equal(lastPathSegment('/'), '');
});
