/**
 * The Kubernetes API connection and proxies, against a real kube-apiserver
 * (test/support/real-kube) with the deployed ServiceAccount's token:
 * HTTPS_PROXY reaches it under a name only the proxy resolves (with
 * tls-server-name for the certificate check), the kubeconfig's proxy-url is
 * used even for loopback (client-go), NO_PROXY keeps it direct; and
 * `extdns trust` / `extdns doctor` report the connection with its CA source,
 * credential kind and route, and say that --tls-ca does not apply to it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.ts';
import { runExtdnsInProcess } from '../support/extdns-in-process.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, deployExtdns } from '../support/real-kube/deployed.ts';
import { loadBalancer } from '../support/real-kube/objects.ts';

const HOST = 'kube.proxy-only.test';
const skip = realKubeUnavailable();
/** Only for a CA file that is not the API server's (--tls-ca). */
let pki: Pki;
let kube: RealKube;
let token: string;
let proxy: ConnectProxy;
let dir: string;
let apiPort: number;

before(async () => {
  if (skip !== undefined) return;
  pki = await createPki();
  kube = await startRealKube();
  apiPort = kube.securePort;
  token = (await deployExtdns(kube)).token;
  proxy = await startConnectProxy({ hosts: { [HOST]: '127.0.0.1' } });
  dir = await mkdtemp(join(tmpdir(), 'extdns-kube-proxy-'));
  const { object, status } = loadBalancer('web', 'web.example.org', '192.0.2.80');
  await createWithStatus(kube, object, status);
});

after(async () => {
  if (skip !== undefined) return;
  await proxy.close();
  await kube.close();
  await pki.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function kubeconfig(name: string, cluster: string[]): Promise<string> {
  const path = join(dir, name);
  const ca = Buffer.from(kube.pki.caPem).toString('base64');
  await writeFile(path, [
    'apiVersion: v1', 'kind: Config', 'current-context: t',
    'clusters:', '- name: t', '  cluster:', `    certificate-authority-data: ${ca}`, ...cluster.map((l) => `    ${l}`),
    'users:', '- name: t', '  user:', `    token: ${token}`,
    'contexts:', '- name: t', '  context: {cluster: t, user: t, namespace: default}', '',
  ].join('\n'));
  return path;
}

function extdns(argv: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return runExtdnsInProcess(argv, { HOME: dir, ...env });
}

const sync = (config: string): string[] => ['--source=service', `--kubeconfig=${config}`, '--provider=inmemory', '--inmemory-zone=example.org',
  '--policy=sync', '--txt-owner-id=k', '--once'];

test('HTTPS_PROXY carries the API connection to a name only the proxy resolves; NO_PROXY keeps it direct', { skip }, async () => {
  const config = await kubeconfig('by-name', [`server: https://${HOST}:${apiPort}`, 'tls-server-name: localhost']);
  const before = proxy.tunnels.length;
  const run = await extdns(sync(config), { HTTPS_PROXY: proxy.url });
  assert.equal(run.code, 0, run.out);
  assert.ok(proxy.tunnels.slice(before).includes(`${HOST}:${apiPort}`), 'the API requests went through the proxy');
  assert.match(run.out, new RegExp(`route="proxy http://127\\.0\\.0\\.1:${proxy.port} \\(HTTPS_PROXY\\)"`));

  const direct = await extdns(['trust', '--source=service', `--kubeconfig=${config}`], { HTTPS_PROXY: proxy.url, NO_PROXY: '.proxy-only.test' });
  assert.match(direct.out, /route: direct \(NO_PROXY matches\)/);
});

test("the kubeconfig's proxy-url is used for every request, loopback too (client-go)", { skip }, async () => {
  const config = await kubeconfig('proxy-url', [`server: https://127.0.0.1:${apiPort}`, `proxy-url: ${proxy.url}`]);
  const before = proxy.tunnels.length;
  const run = await extdns(sync(config), {});
  assert.equal(run.code, 0, run.out);
  assert.ok(proxy.tunnels.slice(before).includes(`127.0.0.1:${apiPort}`));
});

test('extdns trust and doctor report the API connection: CA source, credential kind (not the token), route; --tls-ca does not apply', { skip }, async () => {
  const config = await kubeconfig('report', [`server: https://${HOST}:${apiPort}`, 'tls-server-name: localhost']);
  const trust = await extdns(['trust', '--source=service', `--kubeconfig=${config}`, `--tls-ca=${pki.rootB.certFile}`], { HTTPS_PROXY: proxy.url });
  assert.equal(trust.code, 0, trust.out);
  assert.match(trust.out, new RegExp(`^kubernetes → https://${HOST.replaceAll('.', '\\.')}:${apiPort}$`, 'm'));
  assert.match(trust.out, /mode: replace/);
  assert.match(trust.out, /kubeconfig certificate-authority-data/);
  assert.match(trust.out, /client credential: bearer token/);
  assert.match(trust.out, new RegExp(`route: proxy http://127\\.0\\.0\\.1:${proxy.port} \\(HTTPS_PROXY\\)`));
  assert.match(trust.out, /--tls-ca does not apply to the Kubernetes API connection/);
  assert.match(trust.out, /^every connection$/m, 'without a provider, the trust every provider connection gets');
  assert.ok(!trust.out.includes(token), 'the token is not printed');

  const doctor = await extdns(['doctor', '--source=service', `--kubeconfig=${config}`], { HTTPS_PROXY: proxy.url });
  assert.equal(doctor.code, 0, doctor.out);
  assert.match(doctor.out, new RegExp(`^OK {3}kubernetes {2}https://${HOST.replaceAll('.', '\\.')}:${apiPort}`, 'm'));
  assert.match(doctor.out, /route: proxy http:\/\/127\.0\.0\.1:\d+ \(HTTPS_PROXY\), as the sync connects/);
});
