/**
 * The run command serves /healthz, /readyz and /metrics on --metrics-address
 * while its loop runs (the wiring in src/cli), and refuses a taken address
 * with a coded error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { parseExposition, sampleValue } from './parse-exposition.ts';
import { SERVICE, workspace } from './support.ts';

test('a running extdns: ready after its first sync, metrics reflect it, health goes away on SIGTERM', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'svc.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  const stop = new AbortController();
  let log = '';
  let announce: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => { announce = resolve; });
  let synced: () => void = () => undefined;
  const firstSync = new Promise<void>((resolve) => { synced = resolve; });
  const running = runCli([...ws.flags(), '--metrics-address=127.0.0.1:0', '--interval=1h'], {
    env: {}, clock: systemClock, random: seededRandom(5), signal: stop.signal, stdout: () => undefined,
    stderr: (t) => {
      log += t;
      const m = /Serving \/healthz, \/readyz and \/metrics on 127\.0\.0\.1:(\d+)/.exec(t);
      if (m) announce(Number(m[1]));
      if (t.includes('Applied changes')) synced();
    },
  });
  const p = await port;
  await firstSync;
  const base = `http://127.0.0.1:${p}`;
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 200, await ready.text());
  const m = parseExposition(await (await fetch(`${base}/metrics`)).text());
  assert.equal(sampleValue(m, 'extdns_changes_applied_total', { action: 'create' }), 1);
  assert.equal(sampleValue(m, 'external_dns_source_records', { record_type: 'a' }), 1);
  assert.ok((sampleValue(m, 'external_dns_controller_last_sync_timestamp_seconds') ?? 0) > 0);
  stop.abort(new Error('received SIGTERM'));
  assert.equal(await running, 0, log);
  await assert.rejects(fetch(`${base}/healthz`), 'the server is closed after shutdown');
});

test('--metrics-address already taken: exit 1 with EXTDNS_SERVER_ADDRESS_IN_USE before anything is synced', async (ctx) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  ctx.after(() => new Promise<void>((resolve) => blocker.close(() => { resolve(); })));
  const taken = (blocker.address() as { port: number }).port;
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'svc.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  let log = '';
  const code = await runCli([...ws.flags(), `--metrics-address=127.0.0.1:${taken}`], {
    env: {}, clock: systemClock, random: seededRandom(5), signal: new AbortController().signal, stdout: () => undefined, stderr: (t) => { log += t; },
  });
  assert.equal(code, 1);
  assert.match(log, /EXTDNS_SERVER_ADDRESS_IN_USE.*pick another --metrics-address/);
  assert.doesNotMatch(log, /Applied changes/);
});
