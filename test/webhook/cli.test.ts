/**
 * End to end through the command line: `extdns webhook --provider=inmemory`
 * in a subprocess, and `extdns --provider=webhook --once` against it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runCli } from '../../src/cli/cli.ts';
import { WEBHOOK_MEDIA_TYPE } from '../../src/provider/webhook/media-type.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { freePort } from '../support/pdns-server.ts';

const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations:
    external-dns.kubernetes.io/hostname: web.example.org
spec:
  type: LoadBalancer
status:
  loadBalancer:
    ingress:
      - ip: 192.0.2.80
`;

interface Sidecar { child: ChildProcess; api: string; metrics: string; stderr: () => string; exited: Promise<number | null> }

async function startSidecar(): Promise<Sidecar> {
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, 'webhook', '--provider=inmemory', '--inmemory-zone=example.org',
    `--webhook-server-address=127.0.0.1:${apiPort}`, `--webhook-server-metrics-address=127.0.0.1:${metricsPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code); }));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('Serving the webhook provider API')) resolve();
    });
    void exited.then((code) => { reject(new Error(`extdns webhook exited (${code}): ${err}`)); });
  });
  return { child, api: `http://127.0.0.1:${apiPort}`, metrics: `http://127.0.0.1:${metricsPort}`, stderr: () => err, exited };
}

async function runOnce(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(args, {
    env: {}, stdout: () => undefined, stderr: (t) => { stderr += t; }, clock: systemClock, random: seededRandom(), signal: new AbortController().signal,
  });
  return { code, stderr };
}

async function records(api: string): Promise<string[]> {
  const res = await request(`${api}/records`, { headers: { Accept: WEBHOOK_MEDIA_TYPE } });
  const eps = await res.body.json() as { dnsName: string; recordType: string; targets: string[] }[];
  return eps.map((e) => `${e.dnsName} ${e.recordType} ${e.targets.join(',')}`).sort();
}

test('extdns --provider=webhook syncs through `extdns webhook`, which stops cleanly on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'extdns-webhook-'));
  const sidecar = await startSidecar();
  try {
    writeFileSync(join(dir, 'web.yaml'), SERVICE);
    const health = await request(`${sidecar.metrics}/healthz`);
    assert.equal(health.statusCode, 200);
    await health.body.text();
    const args = ['--source=manifest', `--manifest-path=${dir}`, '--provider=webhook', `--webhook-provider-url=${sidecar.api}`,
      '--policy=sync', '--registry=txt', '--txt-owner-id=e2e', '--once'];
    const first = await runOnce(args);
    assert.equal(first.code, 0, first.stderr);
    const held = await records(sidecar.api);
    assert.ok(held.includes('web.example.org A 192.0.2.80'), held.join('\n'));
    assert.ok(held.some((r) => r.startsWith('a-web.example.org TXT "heritage=external-dns,external-dns/owner=e2e')), held.join('\n'));
    const second = await runOnce(args);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(await records(sidecar.api), held);
  } finally {
    sidecar.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(await sidecar.exited, 0, sidecar.stderr());
  assert.match(sidecar.stderr(), /Stopping the webhook server/);
});

test('extdns webhook refuses to serve the webhook provider itself', async () => {
  const run = await runOnce(['webhook', '--provider=webhook']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /EXTDNS_WEBHOOK_CONFIG.*--provider=webhook cannot be served/);
});

test('extdns --provider=webhook with nothing listening stops with the URL in the message', async () => {
  const port = await freePort();
  const run = await runOnce(['--source=manifest', '--manifest-path=/nonexistent', '--provider=webhook', `--webhook-provider-url=http://127.0.0.1:${port}`,
    '--policy=sync', '--once']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`EXTDNS_WEBHOOK_NEGOTIATION.*127\\.0\\.0\\.1:${port}`));
});
