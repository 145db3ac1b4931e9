import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ExtdnsError } from '../errors/errors.ts';
import { parseListenAddress } from './address.ts';
import { Readiness } from './readiness.ts';
import { startOpsServer } from './server.ts';
import { startOperations } from './operations.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';

const BUILD = { version: 't', revision: 'r', runtime: 'node', os: 'linux', arch: 'x64' };

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string; type: string | null; length: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type'), length: res.headers.get('content-length') };
}

test('--metrics-address forms: ":7979", host:port, [v6]:port; anything else is refused with the flag named', () => {
  assert.deepEqual(parseListenAddress(':7979'), { host: undefined, port: 7979 });
  assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseListenAddress('[::1]:8080'), { host: '::1', port: 8080 });
  assert.deepEqual(parseListenAddress('localhost:9'), { host: 'localhost', port: 9 });
  for (const bad of ['7979', ':', ':99999', '::1:80', 'host:port']) {
    assert.throws(() => parseListenAddress(bad), (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_SERVER_ADDRESS_INVALID' && /--metrics-address/.test(e.message), bad);
  }
});

test('/healthz, /readyz and /metrics; HEAD; 404 and 405 elsewhere', async (ctx) => {
  const readiness = new Readiness();
  let caches: true | string = 'service informer has not synced';
  readiness.add('caches', () => caches);
  let alive: true | string = true;
  const server = await startOpsServer('127.0.0.1:0', { alive: () => alive, readiness: () => readiness.status(), metrics: () => '# TYPE x gauge\nx 1\n' });
  ctx.after(() => server.close());
  const { port } = server;

  assert.deepEqual(await get(port, '/healthz'), { status: 200, body: 'OK', type: 'text/plain; charset=utf-8', length: '2' });
  let ready = await get(port, '/readyz');
  assert.equal(ready.status, 503);
  assert.match(ready.body, /first-sync: no sync has succeeded yet/);
  assert.match(ready.body, /caches: service informer has not synced/);
  readiness.markSynced();
  ready = await get(port, '/readyz');
  assert.equal(ready.status, 503);
  assert.doesNotMatch(ready.body, /first-sync/);
  caches = true;
  assert.equal((await get(port, '/readyz?verbose')).status, 200);

  const metrics = await get(port, '/metrics');
  assert.equal(metrics.status, 200);
  assert.equal(metrics.type, 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(metrics.body, '# TYPE x gauge\nx 1\n');
  const head = await get(port, '/metrics', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal(head.length, String(Buffer.byteLength('# TYPE x gauge\nx 1\n')));

  assert.equal((await get(port, '/nope')).status, 404);
  assert.equal((await get(port, '/healthz', 'POST')).status, 405);
  alive = 'shutting down';
  const dead = await get(port, '/healthz');
  assert.equal(dead.status, 503);
  assert.match(dead.body, /shutting down/);
});

test('a check that throws makes /readyz say so rather than crash', () => {
  const r = new Readiness();
  r.markSynced();
  r.add('broken', () => { throw new Error('boom'); });
  assert.deepEqual(r.status(), { ready: false, notReady: ['broken: check failed: boom'] });
});

test('an address in use is a coded error that says to pick another --metrics-address', async (ctx) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  ctx.after(() => new Promise<void>((resolve) => blocker.close(() => { resolve(); })));
  const port = (blocker.address() as { port: number }).port;
  await assert.rejects(startOpsServer(`127.0.0.1:${port}`, { alive: () => true, readiness: () => ({ ready: true, notReady: [] }), metrics: () => '' }),
    (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_SERVER_ADDRESS_IN_USE' && /address is in use.*pick another --metrics-address/.test(e.message));
});

test('startOperations: ready after the first successful sync, metrics served, port released on close', async () => {
  const log = captureLogger();
  const ops = await startOperations({ address: '127.0.0.1:0', build: BUILD, clock: new FakeClock(), logger: log.logger, statusPage: false });
  assert.match(log.text(), new RegExp(`Serving /healthz, /readyz and /metrics on 127\\.0\\.0\\.1:${ops.port}`));
  assert.equal((await get(ops.port, '/readyz')).status, 503);
  const observer = ops.observe({
    provider: { records: () => Promise.resolve([]), applyChanges: () => Promise.resolve(), adjustEndpoints: (e) => Promise.resolve(e), domainFilter: () => { throw new Error('unused'); } },
    providerName: 'inmemory', ownerId: 'o', trustStores: [],
  });
  observer.syncSucceeded?.({ changes: { create: [], updateOld: [], updateNew: [], delete: [] }, applied: false, held: undefined, fencedDeletes: 0, failedSources: [], ownerMismatches: 0, noop: true, refused: [] }, 5);
  assert.equal((await get(ops.port, '/readyz')).status, 200);
  assert.match((await get(ops.port, '/metrics')).body, /^external_dns_controller_no_op_runs_total 1$/m);
  const port = ops.port;
  await ops.close();
  await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  // The port is free again.
  const again = await startOpsServer(`127.0.0.1:${port}`, { alive: () => true, readiness: () => ({ ready: true, notReady: [] }), metrics: () => '' });
  await again.close();
});

test('/status and /status.json: served when a status source is given (HTML with a no-external-load policy), 404 without (--no-status-page)', async (ctx) => {
  const base = { alive: () => true as const, readiness: () => ({ ready: true, notReady: [] }), metrics: () => '' };
  const off = await startOpsServer('127.0.0.1:0', base);
  ctx.after(() => off.close());
  assert.equal((await get(off.port, '/status')).status, 404);
  assert.equal((await get(off.port, '/status.json')).status, 404);
  const ops = await startOperations({ address: '127.0.0.1:0', build: BUILD, clock: new FakeClock(), logger: captureLogger().logger, statusPage: true });
  ctx.after(() => ops.close());
  const json = await get(ops.port, '/status.json');
  assert.equal(json.status, 200);
  assert.equal(json.type, 'application/json; charset=utf-8');
  assert.deepEqual((JSON.parse(json.body) as { lastSync: unknown; version: string }).lastSync, null);
  const res = await fetch(`http://127.0.0.1:${ops.port}/status`);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'");
  assert.match(await res.text(), /<title>extdns status/);
});
