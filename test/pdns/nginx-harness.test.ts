/**
 * The nginx front itself (used by the TLS end-to-end tests): HTTPS with a
 * private CA, client certificates required, access log counting. Checked with
 * curl so that it does not depend on extdns's own TLS code.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestPki, startNginx, type Nginx, type TestPki } from '../support/nginx.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';

const execFileAsync = promisify(execFile);
let pdns: PdnsServer;
let pki: TestPki;
let front: Nginx;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extdns-pki-'));
  [pdns, pki] = await Promise.all([startPdns(), createTestPki(dir)]);
  front = await startNginx({ upstream: pdns.apiUrl, tls: { certFile: pki.serverChainFile, keyFile: pki.serverKeyFile, clientCaFile: pki.clientCaFile } });
});
after(async () => {
  await front?.stop();
  await pdns?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function curl(...args: string[]): Promise<{ code: number; status: string; stderr: string }> {
  try {
    const { stdout } = await execFileAsync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', `X-API-Key: ${pdns.apiKey}`, ...args, `${front.url}/api/v1/servers/localhost/zones`]);
    return { code: 0, status: stdout, stderr: '' };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, status: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('mTLS front: the private CA and a client certificate get through; the access log counts the request', async () => {
  await front.mark();
  const ok = await curl('--cacert', pki.caFile, '--cert', pki.clientCertFile, '--key', pki.clientKeyFile);
  assert.equal(ok.status, '200', ok.stderr);
  assert.deepEqual(await front.requestsSinceMark(), [{ method: 'GET', path: '/api/v1/servers/localhost/zones', status: 200 }]);
});

test('mTLS front: no client certificate is a 400; an unknown CA fails the handshake', async () => {
  assert.equal((await curl('--cacert', pki.caFile)).status, '400');
  const untrusted = await curl();
  assert.notEqual(untrusted.code, 0);
  assert.match(untrusted.stderr, /certificate/i);
});
