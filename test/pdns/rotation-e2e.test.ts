/**
 * Rotation end to end (issue 4, point 5): one long-running extdns (the
 * controller loop, on a fake clock) syncs into PowerDNS behind nginx with
 * mTLS. Then the PKI is rotated the way a cluster does it: the server's
 * certificate is re-issued from a new CA and nginx reloaded, and the mounted
 * Secret holding extdns's CA and client certificate is updated the way the
 * kubelet does it (a new `..<timestamp>` folder and an atomic rename of the
 * `..data` symlink). The next sync must succeed without a restart.
 *
 * The second test drives the PowerDNS client directly with a trust store that
 * does not watch its files, so the only way to pick up the rotation is the
 * re-read on a TLS failure: the sync that races a rotation still lands.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/cli.ts';
import { createPdnsClient } from '../../src/provider/pdns/client.ts';
import { createTrustStore } from '../../src/tls/store.ts';
import { seededRandom, FakeClock } from '../support/fake-clock.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { createTestPki, startNginx, type Nginx, type TestPki } from '../support/nginx.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';

const ZONE = 'rotate.example';
const ENV = { SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt', SSL_CERT_DIR: '/etc/ssl/certs' };

let dir: string;
let before1: TestPki;
let after1: TestPki;
let pdns: PdnsServer;
let front: Nginx;
/** The files nginx serves; a rotation copies the new PKI over them and reloads nginx. */
let served: { chain: string; key: string; clientCa: string };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extdns-rotation-'));
  [before1, after1, pdns] = await Promise.all([
    createTestPki(join(dir, 'pki-old'), 'extdns-old'),
    createTestPki(join(dir, 'pki-new'), 'extdns-new'),
    startPdns(),
  ]);
  await pdns.createZone(ZONE);
  await mkdir(join(dir, 'nginx-tls'));
  served = { chain: join(dir, 'nginx-tls', 'chain.pem'), key: join(dir, 'nginx-tls', 'key.pem'), clientCa: join(dir, 'nginx-tls', 'client-ca.pem') };
  await serve(before1);
  front = await startNginx({ upstream: pdns.apiUrl, tls: { certFile: served.chain, keyFile: served.key, clientCaFile: served.clientCa } });
});

after(async () => {
  await front?.stop();
  await pdns?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function serve(pki: TestPki): Promise<void> {
  await copyFile(pki.serverChainFile, served.chain);
  await copyFile(pki.serverKeyFile, served.key);
  await copyFile(pki.clientCaFile, served.clientCa);
}

/** The server side of a rotation: a certificate from the new CA, and only the new CA's clients accepted. */
async function rotateServer(pki: TestPki): Promise<void> {
  await serve(pki);
  await front.reload();
}

/** A Secret volume as the kubelet lays it out: ca.crt, tls.crt and tls.key link through `..data`. */
async function mountSecret(mount: string, pki: TestPki, version: string): Promise<void> {
  const payload = join(mount, `..${version}`);
  await mkdir(payload, { recursive: true });
  await copyFile(pki.caFile, join(payload, 'ca.crt'));
  await copyFile(pki.clientCertFile, join(payload, 'tls.crt'));
  await copyFile(pki.clientKeyFile, join(payload, 'tls.key'));
  // The kubelet's atomic update: a new symlink, renamed over `..data`.
  await symlink(`..${version}`, join(mount, '..data_tmp'));
  await rename(join(mount, '..data_tmp'), join(mount, '..data'));
  for (const file of ['ca.crt', 'tls.crt', 'tls.key']) {
    await symlink(join('..data', file), join(mount, file)).catch((err: unknown) => {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    });
  }
}

async function rotateSecret(mount: string, pki: TestPki, version: string, previous: string): Promise<void> {
  await mountSecret(mount, pki, version);
  await rm(join(mount, `..${previous}`), { recursive: true });
}

function dnsEndpoint(names: readonly string[]): string {
  return [
    'apiVersion: externaldns.k8s.io/v1alpha1',
    'kind: DNSEndpoint',
    'metadata: {name: rotation, namespace: default}',
    'spec:',
    '  endpoints:',
    ...names.map((n, i) => `    - {dnsName: ${n}.${ZONE}, recordType: A, targets: [192.0.2.${i + 1}]}`),
    '',
  ].join('\n');
}

/** stderr of a running extdns, with a way to wait (without sleeping) for the n-th line matching a pattern. */
function logWatcher(): { write: (t: string) => void; text: () => string; waitFor: (pattern: RegExp, count: number) => Promise<void> } {
  let text = '';
  let waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const matches = (pattern: RegExp): number => text.split('\n').filter((l) => pattern.test(l)).length;
  return {
    write: (t) => {
      text += t;
      waiters = waiters.filter((w) => {
        if (matches(w.pattern) < w.count) return true;
        w.resolve();
        return false;
      });
    },
    text: () => text,
    waitFor: (pattern, count) => new Promise((resolve) => {
      if (matches(pattern) >= count) resolve();
      else waiters.push({ pattern, count, resolve });
    }),
  };
}

test('kubelet-style rotation of the CA and client certificate: the next sync succeeds without a restart', async () => {
  const mount = join(dir, 'secret');
  const manifests = join(dir, 'manifests');
  await mkdir(manifests);
  await writeFile(join(manifests, 'records.yaml'), dnsEndpoint(['before']));
  await mountSecret(mount, before1, '2026_11_29_01_00_00.1');
  const clock = new FakeClock(Date.now());
  const stop = new AbortController();
  const log = logWatcher();
  const running = runCli([
    '--source=manifest', `--manifest-path=${manifests}`,
    '--provider=pdns', `--pdns-server=https://127.0.0.1:${front.port}`, `--pdns-api-key=${pdns.apiKey}`,
    '--txt-owner-id=rotation', '--policy=sync', `--domain-filter=${ZONE}`, '--interval=1m', '--metrics-address=127.0.0.1:0',
    `--tls-ca=${join(mount, 'ca.crt')}`, `--tls-client-cert=${join(mount, 'tls.crt')}`, `--tls-client-cert-key=${join(mount, 'tls.key')}`,
  ], { env: { ...ENV }, stdout: () => undefined, stderr: log.write, clock, random: seededRandom(4), signal: stop.signal });

  const applied = /msg="Applied changes/;
  await log.waitFor(applied, 1);
  assert.deepEqual(await pdns.dig(`before.${ZONE}`, 'A'), ['192.0.2.1']);

  await rotateServer(after1);
  await rotateSecret(mount, after1, '2026_11_29_02_00_00.2', '2026_11_29_01_00_00.1');
  await writeFile(join(manifests, 'records.yaml'), dnsEndpoint(['before', 'after']));
  await clock.advance(60_000);
  await log.waitFor(applied, 2);

  assert.deepEqual(await pdns.dig(`after.${ZONE}`, 'A'), ['192.0.2.2']);
  assert.match(log.text(), /level=info msg="TLS trust reloaded".*connection=pdns/);
  assert.doesNotMatch(log.text(), /level=error/, 'no sync failed around the rotation');
  stop.abort();
  assert.equal(await running, 0);
});

test('a sync racing a rotation re-reads the trust files after the TLS failure and retries once', async () => {
  const mount = join(dir, 'secret-race');
  const current = front.port;
  await rotateServer(before1);
  await mountSecret(mount, before1, 'v1');
  const { logger, text } = captureLogger();
  // No watcher and no poll: only the re-read on failure can see the new files.
  const store = createTrustStore({
    name: 'pdns', mode: 'append', caFiles: [join(mount, 'ca.crt')], env: {},
    clientCerts: [{ source: '--tls-client-cert', certFile: join(mount, 'tls.crt'), keyFile: join(mount, 'tls.key') }],
  }, { clock: new FakeClock(Date.now()), logger, watch: false, systemCertificates: () => [] });
  const client = createPdnsClient({ server: `https://127.0.0.1:${current}`, serverId: 'localhost', apiKey: pdns.apiKey },
    { logger, dispatcher: store.dispatcher(), onTlsFailure: () => store.reload('tls-failure') });
  try {
    const signal = new AbortController().signal;
    assert.ok((await client.listZones(signal)).some((z) => z.name === `${ZONE}.`));

    await rotateServer(after1);
    await rotateSecret(mount, after1, 'v2', 'v1');
    assert.ok((await client.listZones(signal)).some((z) => z.name === `${ZONE}.`), 'the call after the rotation succeeds');
    assert.deepEqual(store.reloadCounts(), { success: 1, failure: 0 });
    assert.match(text(), /retrying once with the new trust/);

    // When the files did not change, a TLS failure is not retried: the error surfaces at once.
    await rotateServer(before1);
    await assert.rejects(client.listZones(signal), { code: 'EXTDNS_PDNS_TLS' });
    assert.deepEqual(store.reloadCounts(), { success: 1, failure: 0 });
  } finally {
    await store.close();
  }
});
