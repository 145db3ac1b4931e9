/**
 * PowerDNS (the real server, behind nginx for TLS) and the webhook client
 * through proxies, under names only the proxies resolve:
 * - plain http:// PowerDNS through HTTP_PROXY (the CONNECT test proxy);
 * - https:// PowerDNS and an https:// webhook through the CONNECT proxy;
 * - both through squid-openssl with ssl_bump: the sync fails naming the
 *   proxy's CA and the fix, and lands once that CA is given with --tls-ca.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WEBHOOK_MEDIA_TYPE } from '../../src/provider/webhook/media-type.ts';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.ts';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { startNginx, type Nginx } from '../support/nginx.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { startSquid, type Squid } from '../support/squid.ts';

const ZONE = 'proxied.example';
const PDNS_HOST = 'pdns.proxy-only.test';
const HOOK_HOST = 'hook.proxy-only.test';
const HOSTS = { [PDNS_HOST]: '127.0.0.1', [HOOK_HOST]: '127.0.0.1' };

let pki: Pki;
let pdns: PdnsServer;
let nginx: Nginx;
let hook: Server;
let hookPort: number;
const hookRequests: string[] = [];
let proxy: ConnectProxy;
let squid: Squid;
let dir: string;

before(async () => {
  pki = await createPki();
  dir = await mkdtemp(join(tmpdir(), 'extdns-providers-proxy-'));
  const pdnsLeaf = await pki.issueLeaf('pdns-proxy-only', `DNS:${PDNS_HOST}`);
  const hookLeaf = await pki.issueLeaf('hook-proxy-only', `DNS:${HOOK_HOST}`);
  pdns = await startPdns();
  await pdns.createZone(ZONE);
  nginx = await startNginx({ upstream: pdns.apiUrl, tls: { certFile: await pki.write('pdns-chain.pem', pki.chain(pdnsLeaf, pki.intermediateA1)), keyFile: pdnsLeaf.keyFile } });
  hook = createServer({ cert: pki.chain(hookLeaf, pki.intermediateA1), key: hookLeaf.key }, (req, res) => {
    hookRequests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/adjustendpoints') {
        res.writeHead(200, { 'Content-Type': WEBHOOK_MEDIA_TYPE });
        res.end(body);
        return;
      }
      if (req.method === 'POST' && req.url === '/records') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': WEBHOOK_MEDIA_TYPE });
      res.end(req.url === '/' ? '{}\n' : '[]\n');
    });
  });
  hook.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookPort = (hook.address() as AddressInfo).port;
  proxy = await startConnectProxy({ hosts: HOSTS });
  squid = await startSquid({ hosts: HOSTS, originCaFile: pki.rootA.certFile });
});

after(async () => {
  await squid?.close();
  await proxy?.close();
  hook?.closeAllConnections();
  await new Promise<void>((resolve) => { if (hook === undefined) resolve(); else hook.close(() => { resolve(); }); });
  await nginx?.stop();
  await pdns?.stop();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function extdns(argv: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return runExtdnsInProcess(argv, { HOME: dir, ...env });
}

async function records(name: string, ip: string): Promise<string[]> {
  await writeFile(join(dir, 'records.yaml'), `apiVersion: externaldns.k8s.io/v1alpha1\nkind: DNSEndpoint\nmetadata: {name: r, namespace: default}\nspec:\n  endpoints:\n    - {dnsName: ${name}.${ZONE}, recordType: A, targets: [${ip}]}\n`);
  return ['--source=manifest', `--manifest-path=${dir}`, '--policy=sync', '--txt-owner-id=p', `--domain-filter=${ZONE}`, '--once'];
}

const pdnsFlags = (server: string): string[] => ['--provider=pdns', `--pdns-server=${server}`, `--pdns-api-key=${pdns.apiKey}`];
const apiPort = (): string => new URL(pdns.apiUrl).port;

async function pdnsHas(name: string): Promise<boolean> {
  return (await pdns.rrsets(ZONE)).some((r) => r.name === `${name}.${ZONE}.` && r.type === 'A');
}

test('PowerDNS over plain http:// through HTTP_PROXY: the sync lands through the tunnel', async () => {
  const before = proxy.tunnels.length;
  const run = await extdns([...(await records('plain', '192.0.2.1')), ...pdnsFlags(`http://${PDNS_HOST}:${apiPort()}`)], { HTTP_PROXY: proxy.url });
  assert.equal(run.code, 0, run.out);
  assert.ok(await pdnsHas('plain'));
  assert.ok(proxy.tunnels.slice(before).includes(`${PDNS_HOST}:${apiPort()}`));
  assert.ok(run.out.split('\n').some((l) => l.includes('msg="Plain http connection"') && l.includes(`proxy="proxy ${proxy.url} (HTTP_PROXY)"`)),
    'the start-up log names the route of the plain http connection too');
});

test('PowerDNS over https:// through the CONNECT proxy lands; through squid it fails naming the proxy CA, and lands with it', async () => {
  const server = `https://${PDNS_HOST}:${nginx.port}`;
  const tunnelled = await extdns([...(await records('tls', '192.0.2.2')), ...pdnsFlags(server), `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: proxy.url });
  assert.equal(tunnelled.code, 0, tunnelled.out);
  assert.ok(await pdnsHas('tls'));

  const inspected = await extdns([...(await records('inspected', '192.0.2.3')), ...pdnsFlags(server), `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: squid.url });
  assert.equal(inspected.code, 1, inspected.out);
  const error = inspected.out.split('\n').find((l) => l.includes('level=error')) ?? '';
  assert.match(error, /EXTDNS_PDNS_TLS/);
  assert.ok(error.includes(`issued by \\"${squid.caSubject}\\"`), error);
  assert.match(error, /a proxy is in the path/);
  assert.equal(await pdnsHas('inspected'), false);

  const fixed = await extdns([...(await records('inspected', '192.0.2.3')), ...pdnsFlags(server), `--tls-ca=${pki.rootA.certFile}`, `--tls-ca=${squid.caFile}`],
    { HTTPS_PROXY: squid.url });
  assert.equal(fixed.code, 0, fixed.out);
  assert.ok(await pdnsHas('inspected'));
});

test('the webhook client through the CONNECT proxy, and through squid: fails naming the proxy CA, lands with it', async () => {
  const url = `https://${HOOK_HOST}:${hookPort}`;
  const flags = async (n: string): Promise<string[]> => [...(await records(n, '192.0.2.9')), '--provider=webhook', `--webhook-provider-url=${url}`];
  const posts = (): number => hookRequests.filter((r) => r === 'POST /records').length;

  let before = posts();
  const tunnelled = await extdns([...(await flags('hook1')), `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: proxy.url });
  assert.equal(tunnelled.code, 0, tunnelled.out);
  assert.equal(posts(), before + 1, 'the changes were posted through the proxy');
  assert.ok(proxy.tunnels.includes(`${HOOK_HOST}:${hookPort}`));

  before = posts();
  const inspected = await extdns([...(await flags('hook2')), `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: squid.url });
  assert.equal(inspected.code, 1, inspected.out);
  assert.match(inspected.out, /EXTDNS_WEBHOOK_TLS/);
  assert.ok(inspected.out.includes(`issued by \\"${squid.caSubject}\\"`), inspected.out);
  assert.equal(posts(), before);

  const fixed = await extdns([...(await flags('hook2')), `--tls-ca=${pki.rootA.certFile}`, `--tls-ca=${squid.caFile}`], { HTTPS_PROXY: squid.url });
  assert.equal(fixed.code, 0, fixed.out);
  assert.equal(posts(), before + 1);
});
