/**
 * `--provider=webhook` over https: trust comes from the trust module
 * (--tls-ca here), through the provider table's `webhook` connection.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli.ts';
import { WEBHOOK_MEDIA_TYPE } from '../../src/provider/webhook/media-type.ts';
import { PROVIDERS } from '../../src/provider/table.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { createPki, type Pki } from '../support/pki.ts';

let pki: Pki;
let server: Server;
let url = '';
let dir = '';
const paths: string[] = [];

before(async () => {
  pki = await createPki();
  dir = mkdtempSync(join(tmpdir(), 'extdns-webhook-tls-'));
  server = createServer({ cert: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key }, (req, res) => {
    paths.push(`${req.method ?? ''} ${req.url ?? ''}`);
    req.resume();
    req.on('end', () => {
      if (req.url === '/records' && req.method === 'POST') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': WEBHOOK_MEDIA_TYPE });
      res.end(req.url === '/' ? '{}\n' : '[]\n');
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  rmSync(dir, { recursive: true, force: true });
  await pki.cleanup();
});

async function run(extra: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(['--source=manifest', `--manifest-path=${dir}`, '--provider=webhook', `--webhook-provider-url=${url}`,
    '--policy=sync', '--once', ...extra], {
    env: {}, stdout: () => undefined, stderr: (t) => { stderr += t; }, clock: systemClock, random: seededRandom(), signal: new AbortController().signal,
  });
  return { code, stderr };
}

test('the webhook table entry opens one TLS connection named webhook for an https URL only', () => {
  const connections = PROVIDERS['webhook']?.tlsConnections;
  assert.ok(connections !== undefined);
  const config = (u: string): Parameters<typeof connections>[0] => ({ webhookProviderUrl: u }) as unknown as Parameters<typeof connections>[0];
  assert.deepEqual(connections(config('https://hook:8888'), {}), [{ name: 'webhook', endpoint: 'https://hook:8888' }]);
  assert.deepEqual(connections(config('http://localhost:8888'), {}), []);
});

test('an https webhook signed by --tls-ca is negotiated and synced', async () => {
  paths.length = 0;
  const result = await run([`--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(paths.slice(0, 2), ['GET /', 'GET /records']);
});

test('without the CA, start-up fails naming the URL and the certificate problem', async () => {
  const result = await run([]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /EXTDNS_WEBHOOK_NEGOTIATION/);
  assert.ok(result.stderr.includes(url), result.stderr);
  assert.match(result.stderr, /certificate|CERT/i);
});

test('a TLS failure re-reads the trust files once: a call racing a CA rotation lands, an unchanged trust fails as TLS', async () => {
  const { copyFileSync } = await import('node:fs');
  const { createTrustStore } = await import('../../src/tls/store.ts');
  const { createWebhookProvider } = await import('../../src/provider/webhook/client.ts');
  const { captureLogger } = await import('../support/capture-logger.ts');
  const { FakeClock } = await import('../support/fake-clock.ts');
  const caFile = join(dir, 'mounted-ca.pem');
  copyFileSync(pki.rootB.certFile, caFile); // the old CA: the server already presents a chain under root A
  const { logger } = captureLogger();
  const store = createTrustStore({ name: 'webhook', mode: 'replace', caFiles: [caFile], env: {} },
    { clock: new FakeClock(Date.now()), logger, watch: false, systemCertificates: () => [] });
  try {
    // The negotiation's retry pauses pass at once: this test is about trust, not backoff.
    const instant = { now: () => Date.now(), sleep: () => Promise.resolve() };
    const make = () => createWebhookProvider({ url, readTimeoutMs: 5_000, writeTimeoutMs: 5_000, maxBodySize: 0 },
      { logger, clock: instant, dispatcher: store.dispatcher(), onTlsFailure: () => store.reload('tls-failure') });
    // Unchanged files: every negotiation try fails as TLS, and the message says so.
    await assert.rejects(make(), (err: Error) => /TLS/.test(err.message) && /--tls-ca/.test(err.message));
    assert.equal(store.reloadCounts().success, 0);
    copyFileSync(pki.rootA.certFile, caFile); // the kubelet wrote the new CA
    const provider = await make();
    assert.deepEqual(await provider.records(new AbortController().signal), []);
    assert.equal(store.reloadCounts().success, 1);
  } finally {
    await store.close();
  }
});
