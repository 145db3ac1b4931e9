/**
 * /status.json and /status of a running extdns against a real PowerDNS behind
 * an nginx mTLS front with a 30-day private CA: a zone holding our names, a
 * name another owner holds and a hand-made record; a delete brake holding two
 * deletes. Secrets are planted in every place a run takes them (API key,
 * TXT encryption key, a password in the proxy URL) and looked for in both
 * answers. The HTML page is opened in headless Chromium at phone width.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTestPki, startNginx, type Nginx, type TestPki } from '../support/nginx.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { SERVICE } from '../metrics/support.ts';
import type { StatusSnapshot } from '../../src/status/status.ts';
import { openInChromium } from './chromium.ts';
import { startServing, type Serving } from './serving.ts';

const ZONE = 'shop.test';
const OWNER = 'status-e2e';
const SECRETS = {
  apiKey: 'pdns-api-key-planted-8c41d2',
  aesKey: 'f00dfeedf00dfeedf00dfeedf00dfeed',
  proxyPassword: 'proxy-pw-planted-77a1',
};
const ENV = { SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt', SSL_CERT_DIR: '/etc/ssl/certs' };

let dir: string;
let pki: TestPki;
let pdns: PdnsServer;
let front: Nginx;
let manifests: string;
let serving: Serving;

async function services(names: readonly string[]): Promise<void> {
  await rm(manifests, { recursive: true, force: true });
  await mkdir(manifests);
  for (const [i, n] of names.entries()) await writeFile(join(manifests, `${n}.yaml`), SERVICE(n, `${n}.${ZONE}`, `192.0.2.${10 + i}`));
}

function flags(): string[] {
  return [
    '--source=manifest', `--manifest-path=${manifests}`,
    '--provider=pdns', `--pdns-server=https://127.0.0.1:${front.port}`, `--pdns-api-key=${SECRETS.apiKey}`,
    `--tls-ca=${pki.caFile}`, `--tls-client-cert=${pki.clientCertFile}`, `--tls-client-cert-key=${pki.clientKeyFile}`,
    `--txt-owner-id=${OWNER}`, '--policy=sync', `--domain-filter=${ZONE}`,
    '--txt-encrypt-enabled', `--txt-encrypt-aes-key=${SECRETS.aesKey}`,
  ];
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extdns-status-'));
  manifests = join(dir, 'manifests');
  [pki, pdns] = await Promise.all([createTestPki(join(dir, 'pki'), 'status-e2e'), startPdns({ apiKey: SECRETS.apiKey })]);
  front = await startNginx({ upstream: pdns.apiUrl, tls: { certFile: pki.serverChainFile, keyFile: pki.serverKeyFile, clientCaFile: pki.clientCaFile } });
  await pdns.createZone(ZONE, [
    { name: `manual.${ZONE}`, type: 'A', contents: ['192.0.2.1'] },
    { name: `theirs.${ZONE}`, type: 'A', contents: ['192.0.2.2'] },
    { name: `a-theirs.${ZONE}`, type: 'TXT', contents: ['"heritage=external-dns,external-dns/owner=other-cluster,external-dns/resource=service/default/theirs"'] },
  ]);
  // The first run creates five names; the serving run is asked for three, so it plans two deletes, which the brake holds.
  await services(['web', 'api', 'cart', 'old-promo', 'old-blog']);
  const first = await runExtdnsInProcess([...flags(), '--once'], ENV);
  assert.equal(first.code, 0, first.out);
  await services(['web', 'api', 'cart', 'checkout']);
  serving = await startServing([...flags(), '--delete-brake-min=1', '--interval=1h'],
    { ...ENV, HTTPS_PROXY: `http://user:${SECRETS.proxyPassword}@127.0.0.1:9`, NO_PROXY: '127.0.0.1' });
});

after(async () => {
  await serving?.stop();
  await front?.stop();
  await pdns?.stop();
  await rm(dir, { recursive: true, force: true });
});

function assertNoSecrets(text: string, where: string): void {
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text.includes(value), `${name} appears in ${where}`);
}

test('/status.json: zone counts, the last sync, pending and held deletes, trust with expiry warnings, provider calls', async () => {
  const response = await fetch(`${serving.base}/status.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = await response.text();
  assertNoSecrets(body, '/status.json');
  const s = JSON.parse(body) as StatusSnapshot;
  assert.equal(s.ownerId, OWNER);
  const zone = s.zones.find((z) => z.zone === ZONE);
  assert.ok(zone, JSON.stringify(s.zones));
  // The five names of the first run and checkout, created by this one (the two old ones are held, still ours).
  assert.deepEqual({ owned: zone.owned, foreign: zone.foreign }, { owned: 6, foreign: 1 });
  assert.deepEqual(zone.ownedNames, ['api', 'cart', 'checkout', 'old-blog', 'old-promo', 'web'].map((n) => `${n}.${ZONE}`));
  assert.ok(zone.unmanaged >= 1, 'manual.shop.test has no ownership record');
  assert.equal(s.lastSync?.result, 'ok');
  assert.ok(!Number.isNaN(Date.parse(s.lastSync.time)) && /Z$/.test(s.lastSync.time), s.lastSync.time);
  assert.deepEqual([s.lastSync.creates, s.lastSync.updates, s.lastSync.deletes], [1, 0, 0], 'checkout created; the deletes held');
  assert.deepEqual(s.pending, { creates: 0, updates: 0, deletes: 2, ownerMismatches: 0 });
  assert.equal(s.heldDeletes?.count, 2);
  assert.deepEqual(s.heldDeletes.names, [`old-blog.${ZONE}`, `old-promo.${ZONE}`]);
  assert.match(s.heldDeletes.release, /--allow-mass-delete/);
  assert.equal(s.sourceFence.active, false);
  const pdnsTrust = s.connections.find((c) => c.name === 'pdns');
  const root = pdnsTrust?.certificates.find((c) => c.subject.includes('status-e2e Root CA'));
  assert.ok(root, JSON.stringify(s.connections));
  assert.ok(root.daysToExpiry >= 28 && root.daysToExpiry < 30, String(root.daysToExpiry));
  assert.match(root.warning ?? '', /expires in \d+ days/);
  assert.ok(pdnsTrust?.certificates.some((c) => c.role === 'client'), 'the client certificate is listed');
  assert.deepEqual(s.leader, { election: false, leading: true });
  const calls = s.providerApi?.calls.reduce((n, c) => n + c.calls, 0) ?? 0;
  assert.ok(calls >= 2, `provider calls counted: ${JSON.stringify(s.providerApi)}`);
});

test('/status in headless Chromium: title, zone table, held deletes, expiry, no external request, fits a phone screen', async (ctx) => {
  const shots = await mkdtemp(join(tmpdir(), 'extdns-status-shot-'));
  ctx.after(() => rm(shots, { recursive: true, force: true }));
  const page = await openInChromium(`${serving.base}/status`, { width: 390, height: 844, screenshot: join(shots, 'status.png') });
  assertNoSecrets(page.html, '/status');
  assert.match(page.title, /extdns/);
  assert.deepEqual(page.requests, [`${serving.base}/status`], 'the page loads nothing else');
  assert.ok(page.scrollWidth <= 390, `the page is ${page.scrollWidth}px wide on a 390px screen`);
  assert.match(page.text, new RegExp(`${ZONE.replace('.', '\\.')}\\s+6 owned · 1 owned by others`));
  assert.match(page.text, /web\.shop\.test/);
  assert.match(page.text, /holds 2 deletes/);
  assert.match(page.text, /status-e2e Root CA/);
  assert.match(page.refresh, /^\d+$/, 'the page refreshes itself');
  const png = await readFile(join(shots, 'status.png'));
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.ok(png.length > 10_000, `screenshot of ${png.length} bytes`);
});
