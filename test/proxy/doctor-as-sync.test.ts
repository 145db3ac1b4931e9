/**
 * `extdns doctor` connects exactly as the sync does (src/tls/connect.ts):
 * an IP endpoint whose certificate holds only that IP passes doctor and the
 * sync alike (it used to fail doctor with ERR_TLS_CERT_ALTNAME_INVALID); an
 * https:// proxy is itself verified with the connection's trust; and a proxy
 * that cannot be reached is named as the problem, by doctor and by the sync.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.ts';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { closedPort, startHttpServer, startHttpsServer, type TestServer } from '../support/tls-servers.ts';

const HOST = 'ip-test.proxy-only.test';
let pki: Pki;
let ipOnly: TestServer;
let named: TestServer;
let tlsProxy: ConnectProxy;
let dir: string;

before(async () => {
  pki = await createPki();
  const ipLeaf = await pki.issueLeaf('ip-only', 'IP:127.0.0.1');
  ipOnly = await startHttpsServer({ chain: pki.chain(ipLeaf, pki.intermediateA1), key: ipLeaf.key });
  const namedLeaf = await pki.issueLeaf('named', `DNS:${HOST}`);
  named = await startHttpsServer({ chain: pki.chain(namedLeaf, pki.intermediateA1), key: namedLeaf.key });
  tlsProxy = await startConnectProxy({ hosts: { [HOST]: '127.0.0.1' }, tls: { chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key } });
  dir = await mkdtemp(join(tmpdir(), 'extdns-doctor-sync-'));
});

after(async () => {
  await tlsProxy?.close();
  await named?.close();
  await ipOnly?.close();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function extdns(argv: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return runExtdnsInProcess(argv, { HOME: dir, ...env });
}

test('an IP endpoint whose certificate holds only that IP: doctor says OK, as the sync connects', async () => {
  const doctor = await extdns(['doctor', `--endpoint=${ipOnly.url}`, `--tls-ca=${pki.rootA.certFile}`]);
  assert.equal(doctor.code, 0, doctor.out);
  assert.match(doctor.out, /^OK {3}endpoint {2}https:\/\/127\.0\.0\.1:\d+/m);
  const wrongCa = await extdns(['doctor', `--endpoint=${ipOnly.url}`, `--tls-ca=${pki.rootB.certFile}`, '--tls-ca-mode=replace']);
  assert.equal(wrongCa.code, 1, 'doctor still fails what the sync would refuse');
});

test('an https:// proxy is verified with the same trust: OK with its CA, named as the problem without it', async () => {
  const endpoint = `https://${HOST}:${named.port}`;
  const ok = await extdns(['doctor', `--endpoint=${endpoint}`, `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: tlsProxy.url });
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, new RegExp(`route: proxy https://127\\.0\\.0\\.1:${tlsProxy.port} \\(HTTPS_PROXY\\)`));
  assert.ok(tlsProxy.tunnels.includes(`${HOST}:${named.port}`));

  const untrusted = await extdns(['doctor', `--endpoint=${endpoint}`, `--tls-ca=${pki.rootB.certFile}`, '--tls-ca-mode=replace'], { HTTPS_PROXY: tlsProxy.url });
  assert.equal(untrusted.code, 1, untrusted.out);
  assert.match(untrusted.out, /cannot reach the proxy https:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\)/);
});

test('a plain http:// endpoint behind an https:// HTTP_PROXY: the proxy is verified with --tls-ca too', async () => {
  const plain = await startHttpServer();
  try {
    const sync = (ca: string[]): Promise<{ code: number; out: string }> => extdns(['--source=manifest', `--manifest-path=${dir}`, '--provider=webhook',
      `--webhook-provider-url=http://${HOST}:${plain.port}`, '--policy=sync', '--once', ...ca], { HTTP_PROXY: tlsProxy.url });
    const before = tlsProxy.tunnels.length;
    const trusted = await sync([`--tls-ca=${pki.rootA.certFile}`]);
    assert.ok(tlsProxy.tunnels.slice(before).includes(`${HOST}:${plain.port}`), trusted.out);
    const untrusted = await sync([`--tls-ca=${pki.rootB.certFile}`, '--tls-ca-mode=replace']);
    assert.equal(untrusted.code, 1, untrusted.out);
    assert.match(untrusted.out, /cannot reach the proxy https:\/\/127\.0\.0\.1:\d+ \(from HTTP_PROXY\)/);
  } finally {
    await plain.close();
  }
});

test('a "proxy" that drops the connection without answering CONNECT is named, not waited for', async () => {
  const dropper = createServer((socket) => { socket.destroy(); });
  await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
  try {
    const doctor = await extdns(['doctor', `--endpoint=https://${HOST}:${named.port}`, `--tls-ca=${pki.rootA.certFile}`],
      { HTTPS_PROXY: `http://127.0.0.1:${(dropper.address() as AddressInfo).port}` });
    assert.equal(doctor.code, 1, doctor.out);
    assert.match(doctor.out, /\(proxy-failed\)/);
    assert.match(doctor.out, /the proxy closed the connection instead of answering CONNECT|cannot reach the proxy/);
  } finally {
    await new Promise<void>((resolve) => { dropper.close(() => { resolve(); }); });
  }
});

test('a proxy that is down: doctor and the sync both name the proxy', async () => {
  const down = `http://127.0.0.1:${await closedPort()}`;
  const doctor = await extdns(['doctor', `--endpoint=https://${HOST}:${named.port}`, `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: down });
  assert.equal(doctor.code, 1, doctor.out);
  assert.match(doctor.out, /\(proxy-failed\)/);
  assert.match(doctor.out, /cannot reach the proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\)/);
  const sync = await extdns(['--source=manifest', `--manifest-path=${dir}`, '--provider=webhook', `--webhook-provider-url=https://${HOST}:${named.port}`,
    '--policy=sync', '--once', `--tls-ca=${pki.rootA.certFile}`], { HTTPS_PROXY: down });
  assert.equal(sync.code, 1, sync.out);
  assert.match(sync.out, /cannot reach the proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\)/);
});
