/**
 * src/kube/kubeconfig.ts + credentials.ts: every way of connecting, checked
 * against the test API server, which accepts each kind of credential a
 * kubeconfig can carry (basic auth, which kube-apiserver dropped in v1.19;
 * exec-plugin and rotating service-account tokens, revoked between two
 * requests) and records the user of every request. Client certificates and
 * TokenRequest tokens against the real kube-apiserver: test/kube-real/.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKubeClient } from '../../src/kube/client.ts';
import { connectKube } from '../../src/kube/connect.ts';
import { resolveKubeConnection, type KubeConnectionOptions } from '../../src/kube/kubeconfig.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { ALLOW_ALL } from '../support/kube-api-server.ts';
import { kubeFixture, SERVICES, type KubeFixture } from '../support/kube-api/setup.ts';

let fx: KubeFixture;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

before(async () => {
  fx = await kubeFixture({
    users: [
      { name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL },
      { name: 'extdns client', rules: ALLOW_ALL },
      { name: 'basic-user', basic: { username: 'alice', password: 's3cret:x' }, rules: ALLOW_ALL },
      { name: 'plugin-user', tokens: ['from-plugin'], rules: ALLOW_ALL },
      { name: 'sa', tokens: ['sa-token-1'], rules: ALLOW_ALL },
    ],
  });
});
after(() => fx.close());

async function connect(options: Omit<KubeConnectionOptions, 'clock'> & { clock?: FakeClock }): Promise<{ list: () => Promise<number> }> {
  const clock = options.clock ?? new FakeClock();
  const connection = await resolveKubeConnection({ ...options, clock });
  const client = createKubeClient({ connection, clock, qps: 1e6, burst: 1e6, requestTimeoutMs: 0 });
  return { list: async () => (await client.list(SERVICES, {})).items.length };
}

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'ctx',
    clusters: [{ name: 'c', cluster: { server: fx.api.url, 'certificate-authority-data': b64(fx.api.caPem), ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'team-a' } }],
  });
}

async function file(name: string, text: string): Promise<string> {
  const path = join(fx.dir, name);
  await writeFile(path, text);
  return path;
}

const lastUser = (): string | undefined => fx.api.requests.at(-1)?.user;

test('a token kubeconfig: server, CA data, namespace and origin', async () => {
  const path = await file('token.yaml', kubeconfig({ token: 'admin-token' }));
  const conn = await resolveKubeConnection({ kubeconfig: path, env: {}, clock: new FakeClock() });
  assert.equal(conn.server, fx.api.url);
  assert.equal(conn.namespace, 'team-a');
  assert.equal(conn.origin, `the kubeconfig ${path} (context ctx)`);
  await (await connect({ kubeconfig: path, env: {} })).list();
  assert.equal(lastUser(), 'admin');
});

test('client certificates from files (relative to the kubeconfig) and from -data', async () => {
  await mkdir(join(fx.dir, 'certs'), { recursive: true });
  await writeFile(join(fx.dir, 'certs', 'client.crt'), fx.pki.client.cert);
  await writeFile(join(fx.dir, 'certs', 'client.key'), fx.pki.client.key);
  await writeFile(join(fx.dir, 'certs', 'ca.crt'), fx.api.caPem);
  const files = await file('cert-files.yaml', kubeconfig(
    { 'client-certificate': 'certs/client.crt', 'client-key': 'certs/client.key' },
    { 'certificate-authority-data': undefined, 'certificate-authority': 'certs/ca.crt' },
  ));
  await (await connect({ kubeconfig: files, env: {} })).list();
  assert.equal(lastUser(), 'extdns client');
  const data = await file('cert-data.yaml', kubeconfig({ 'client-certificate-data': b64(fx.pki.client.cert), 'client-key-data': b64(fx.pki.client.key) }));
  await (await connect({ kubeconfig: data, env: {} })).list();
  assert.equal(lastUser(), 'extdns client');
});

test('basic auth, --server override and tls-server-name', async () => {
  const basic = await file('basic.yaml', kubeconfig({ username: 'alice', password: 's3cret:x' }, { server: 'https://wrong.invalid:1' }));
  await (await connect({ kubeconfig: basic, server: fx.api.url, env: {} })).list();
  assert.equal(lastUser(), 'basic-user');
  const named = await file('sni.yaml', kubeconfig({ token: 'admin-token' }, { server: fx.api.url.replace('127.0.0.1', 'localhost'), 'tls-server-name': 'localhost' }));
  await (await connect({ kubeconfig: named, env: {} })).list();
  const wrongCa = await file('wrong-ca.yaml', kubeconfig({ token: 'admin-token' }, { 'certificate-authority-data': b64(fx.pki.rootB.cert) }));
  await assert.rejects((await connect({ kubeconfig: wrongCa, env: {} })).list(), (err: Error) => {
    assert.match(err.message, /not trusted by the kubeconfig certificate-authority/);
    return true;
  });
  const insecure = await file('insecure.yaml', kubeconfig({ token: 'admin-token' }, { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true }));
  await (await connect({ kubeconfig: insecure, env: {} })).list();
});

test('the exec credential plugin runs once, is cached until expirationTimestamp, and runs again after', async () => {
  const count = join(fx.dir, 'plugin-count');
  await writeFile(count, '');
  const script = await file('plugin.sh', [
    '#!/bin/sh',
    `echo run >> "${count}"`,
    'test "$EXTRA" = "yes" || { echo "EXTRA not passed" >&2; exit 3; }',
    'echo "$KUBERNETES_EXEC_INFO" | grep -q \'"interactive":false\' || { echo "no exec info" >&2; exit 4; }',
    'cat <<JSON',
    '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin","expirationTimestamp":"2026-11-28T12:10:00Z"}}',
    'JSON', '',
  ].join('\n'));
  await chmod(script, 0o755);
  const path = await file('exec.yaml', kubeconfig({
    exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './plugin.sh', args: [], env: [{ name: 'EXTRA', value: 'yes' }], interactiveMode: 'Never' },
  }));
  const clock = new FakeClock();
  const c = await connect({ kubeconfig: path, env: { pluginEnv: { PATH: '/usr/bin:/bin' } }, clock });
  await c.list();
  await c.list();
  assert.equal(lastUser(), 'plugin-user');
  const runs = async (): Promise<number> => (await readFile(count, 'utf8')).split('\n').filter((l) => l === 'run').length;
  assert.equal(await runs(), 1);
  await clock.advance(11 * 60_000);
  await c.list();
  assert.equal(await runs(), 2);
});

test('an exec plugin that fails or prints garbage gives EXTDNS_KUBE_CREDENTIALS naming the plugin', async () => {
  const failing = await file('fail.sh', '#!/bin/sh\necho "SSO session expired; run aws sso login" >&2\nexit 1\n');
  await chmod(failing, 0o755);
  const path = await file('exec-fail.yaml', kubeconfig({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: failing, installHint: 'Install the AWS CLI.' } }));
  await assert.rejects((await connect({ kubeconfig: path, env: { pluginEnv: {} } })).list(), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'EXTDNS_KUBE_CREDENTIALS');
    assert.match(err.message, /fail\.sh.*users\[u\]\.exec.*SSO session expired; run aws sso login\. Install the AWS CLI\./);
    return true;
  });
  const garbage = await file('garbage.sh', '#!/bin/sh\necho \'{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{}}\'\n');
  await chmod(garbage, 0o755);
  const path2 = await file('exec-garbage.yaml', kubeconfig({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: garbage } }));
  await assert.rejects((await connect({ kubeconfig: path2, env: {} })).list(), /neither a token nor a client certificate/);
  const path3 = await file('exec-old.yaml', kubeconfig({ exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: garbage } }));
  await assert.rejects(resolveKubeConnection({ kubeconfig: path3, env: {}, clock: new FakeClock() }), /users\[u\]\.exec\.apiVersion must be one of/);
});

test('in-cluster: service host/port, the mounted CA and namespace, and a token file that rotates', async () => {
  const sa = join(fx.dir, 'serviceaccount');
  await mkdir(sa, { recursive: true });
  await writeFile(join(sa, 'token'), 'sa-token-1\n');
  await writeFile(join(sa, 'ca.crt'), fx.api.caPem);
  await writeFile(join(sa, 'namespace'), 'external-dns');
  const port = new URL(fx.api.url).port;
  const clock = new FakeClock();
  const conn = await resolveKubeConnection({ env: { serviceHost: '127.0.0.1', servicePort: port }, serviceAccountDir: sa, clock });
  assert.equal(conn.namespace, 'external-dns');
  assert.equal(conn.origin, `in-cluster service account ${sa}`);
  const client = createKubeClient({ connection: conn, clock, qps: 1e6, burst: 1e6, requestTimeoutMs: 0 });
  await client.list(SERVICES, {});
  assert.equal(lastUser(), 'sa');

  // Rotation: the kubelet writes a new token and the old one stops working. A 401 makes the client re-read at once.
  const user = fx.api.users.findIndex((u) => u.name === 'sa');
  await writeFile(join(sa, 'token'), 'sa-token-2\n');
  fx.api.users[user] = { name: 'sa', tokens: ['sa-token-2'], rules: ALLOW_ALL };
  const before = fx.api.requests.length;
  await client.list(SERVICES, {});
  assert.deepEqual(fx.api.requests.slice(before).map((r) => r.user), [undefined, 'sa'], 'one 401, then the new token');

  // Without a 401 the file is re-read once a minute.
  await writeFile(join(sa, 'token'), 'sa-token-3\n');
  fx.api.users[user] = { name: 'sa', tokens: ['sa-token-2', 'sa-token-3'], rules: ALLOW_ALL };
  await clock.advance(30_000);
  await client.list(SERVICES, {});
  fx.api.users[user] = { name: 'sa', tokens: ['sa-token-3'], rules: ALLOW_ALL };
  await clock.advance(30_000);
  const mark = fx.api.requests.length;
  await client.list(SERVICES, {});
  assert.deepEqual(fx.api.requests.slice(mark).map((r) => r.user), ['sa'], 'read the new token after a minute, no 401');
  await client.close();
});

test('KUBECONFIG merges files: the first to set current-context or a name wins; missing files are skipped', async () => {
  const first = await file('merge-1.yaml', JSON.stringify({
    'current-context': 'merged', clusters: [{ name: 'c', cluster: { server: fx.api.url, 'certificate-authority-data': b64(fx.api.caPem) } }],
  }));
  const second = await file('merge-2.yaml', JSON.stringify({
    'current-context': 'other',
    clusters: [{ name: 'c', cluster: { server: 'https://shadowed.invalid' } }],
    users: [{ name: 'u', user: { token: 'admin-token' } }],
    contexts: [{ name: 'merged', context: { cluster: 'c', user: 'u' } }],
  }));
  const conn = await resolveKubeConnection({ env: { kubeconfig: `${join(fx.dir, 'absent.yaml')}:${first}:${second}` }, clock: new FakeClock() });
  assert.equal(conn.server, fx.api.url);
  assert.equal(conn.namespace, 'default');
  assert.equal(conn.origin, `the kubeconfig files ${first}:${second} (context merged)`);
  await (await connect({ env: { kubeconfig: `${first}:${second}` } })).list();
  assert.equal(lastUser(), 'admin');
  // --kubeconfig wins over KUBECONFIG; ~/.kube/config is the last resort.
  const home = join(fx.dir, 'home');
  await mkdir(join(home, '.kube'), { recursive: true });
  await writeFile(join(home, '.kube', 'config'), kubeconfig({ token: 'admin-token' }));
  const fromHome = await resolveKubeConnection({ env: { home }, clock: new FakeClock() });
  assert.equal(fromHome.namespace, 'team-a');
});

test('a broken kubeconfig names the file and the key', async () => {
  const clock = new FakeClock();
  const check = async (text: string, pattern: RegExp): Promise<void> => {
    const path = await file('broken.yaml', text);
    await assert.rejects(resolveKubeConnection({ kubeconfig: path, env: {}, clock }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'EXTDNS_KUBE_CONFIG');
      assert.match(err.message, pattern);
      assert.ok(err.message.includes(path), `${err.message} names ${path}`);
      return true;
    });
  };
  await check('current-context: nope\ncontexts: []\n', /context "nope" \(current-context\) is not defined under contexts/);
  await check('{{{', /is not valid YAML/);
  await check(kubeconfig({ token: 't' }, { server: undefined }), /clusters\[c\]\.server is missing/);
  await check(kubeconfig({ token: 't' }, { 'certificate-authority-data': undefined, 'certificate-authority': 'nowhere/ca.crt' }), /clusters\[c\]\.certificate-authority: cannot read .*nowhere\/ca\.crt/);
  await check(kubeconfig({ 'client-certificate-data': b64(fx.pki.client.cert) }), /users\[u\] sets only one of client-certificate and client-key/);
  await check(kubeconfig({ 'auth-provider': { name: 'gcp' } }), /users\[u\]\.auth-provider is not supported/);
  await assert.rejects(resolveKubeConnection({ kubeconfig: join(fx.dir, 'missing.yaml'), env: {}, clock }), /cannot read the kubeconfig .*missing\.yaml/);
  await assert.rejects(resolveKubeConnection({ env: {}, clock }), /no kubeconfig found .* not running in a pod/);
  await assert.rejects(resolveKubeConnection({ env: { serviceHost: '10.0.0.1', servicePort: '443' }, serviceAccountDir: join(fx.dir, 'no-sa'), clock }),
    /in-cluster service account .*no-sa.*ca\.crt/);
});

test('connectKube takes the flag values by their Config names and logs where the connection comes from', async () => {
  const path = await file('connect.yaml', kubeconfig({ token: 'admin-token' }));
  const log = captureLogger();
  const client = await connectKube({ kubeconfig: path, server: '', kubeApiQps: 5, kubeApiBurst: 10, kubeApiRequestTimeout: 30_000 },
    { env: {}, clock: new FakeClock(), logger: log.logger });
  assert.equal(client.defaultNamespace, 'team-a');
  assert.equal((await client.list(SERVICES, {})).resourceVersion !== '', true);
  assert.match(log.text(), new RegExp(`info Connecting to the Kubernetes API .*"server":"${fx.api.url}".*context ctx`));
  await client.close();
});
