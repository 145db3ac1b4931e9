/**
 * Hot reload with a simulated kubelet AtomicWriter: `..<stamp>` folders, a
 * `..data` symlink renamed over the old one, and visible names that link
 * through `..data`. Picked up by the FakeClock-driven poll and by the folder
 * watcher; a bad rotated file keeps the old trust.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { FakeClock } from '../support/fake-clock.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { startHttpsServer, type TestServer } from '../support/tls-servers.ts';
import { subPathWarnings } from '../../src/tls/reload.ts';
import { realFs } from '../../src/tls/pem.ts';
import { connect, connectHttps, store } from './helpers.ts';

let pki: Pki;
let server: TestServer;
let mtlsServer: TestServer;
before(async () => {
  pki = await createPki();
  server = await startHttpsServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
  mtlsServer = await startHttpsServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, clientCa: pki.clientCa.cert });
});
after(async () => {
  await Promise.all([server.close(), mtlsServer.close()]);
  await pki.cleanup();
});

/** A volume the way kubelet writes it. */
class KubeletVolume {
  readonly dir: string;
  #stamp = 0;
  #current: string | undefined;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(files: Record<string, string>): Promise<KubeletVolume> {
    const v = new KubeletVolume(await mkdtemp(join(pki.dir, 'volume-')));
    await v.write(files);
    for (const name of Object.keys(files)) await symlink(join('..data', name), join(v.dir, name));
    return v;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** One atomic update: new timestamped folder, ..data_tmp → rename over ..data, old folder removed. */
  async write(files: Record<string, string>): Promise<void> {
    const stamp = `..2026_11_28_12_00_0${this.#stamp++}.${this.#stamp}`;
    await mkdir(join(this.dir, stamp));
    for (const [name, text] of Object.entries(files)) await writeFile(join(this.dir, stamp, name), text);
    await symlink(stamp, join(this.dir, '..data_tmp'));
    await rename(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    if (this.#current !== undefined) await rm(join(this.dir, this.#current), { recursive: true });
    this.#current = stamp;
  }
}

const POLL = 60_000;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

describe('hot reload', () => {
  test('poll: a rotated CA is used by new connections; the log shows old → new fingerprints', async () => {
    const vol = await KubeletVolume.create({ 'ca.crt': pki.rootB.cert });
    const clock = new FakeClock(Date.now());
    const s = store({ caFiles: [vol.path('ca.crt')], mode: 'replace' }, { clock, watch: true, pollIntervalMs: POLL, debounceMs: 3_600_000 });
    assert.equal(await connect(s, server.url), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    assert.equal(await connectHttps(s, server.url), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    await vol.write({ 'ca.crt': pki.rootA.cert });
    await clock.advance(POLL - 1);
    assert.equal(s.current().id, 1, 'nothing before the poll is due');
    await clock.advance(1);
    assert.equal(s.current().id, 2);
    assert.equal(await connect(s, server.url), 'OK');
    assert.equal(await connectHttps(s, server.url), 'OK');
    assert.deepEqual(s.reloadCounts(), { success: 1, failure: 0 });
    const entry = s.log.entries.find((e) => e.msg === 'TLS trust reloaded');
    const fpA = new X509Certificate(pki.rootA.cert).fingerprint256;
    const fpB = new X509Certificate(pki.rootB.cert).fingerprint256;
    assert.equal(entry?.fields['from'], `ca:${fpB}`);
    assert.equal(entry?.fields['to'], `ca:${fpA}`);
    await clock.advance(POLL);
    assert.equal(s.current().id, 2, 'unchanged content does not make a new generation');
    await s.close();
  });

  test('watcher: the ..data swap is seen through the parent folder and applied after the debounce', async () => {
    const vol = await KubeletVolume.create({ 'ca.crt': pki.rootB.cert });
    const clock = new FakeClock(Date.now());
    const s = store({ caFiles: [vol.path('ca.crt')], mode: 'replace' }, { clock, watch: true, pollIntervalMs: 3_600_000, debounceMs: 1_500 });
    for (const [i, root] of [pki.rootA, pki.rootB, pki.rootA].entries()) {
      const before = clock.pending;
      await vol.write({ 'ca.crt': root.cert });
      await until(() => clock.pending > before, `the watcher event of rotation ${i + 1}`);
      await clock.advance(1_500);
      assert.equal(s.current().id, i + 2, `rotation ${i + 1} applied (watch keeps working after the first swap)`);
    }
    assert.equal(await connect(s, server.url), 'OK');
    await s.close();
  });

  test('a bad rotated file keeps the old trust, logs one error and counts the failure; a fix is picked up', async () => {
    const vol = await KubeletVolume.create({ 'ca.crt': pki.rootA.cert });
    const clock = new FakeClock(Date.now());
    const s = store({ caFiles: [vol.path('ca.crt')], mode: 'replace' }, { clock, watch: true, pollIntervalMs: POLL, debounceMs: 3_600_000 });
    await vol.write({ 'ca.crt': 'this is not a certificate' });
    await clock.advance(POLL);
    await clock.advance(POLL);
    assert.equal(s.current().id, 1);
    assert.equal(await connect(s, server.url), 'OK', 'still the old trust');
    assert.equal(await connectHttps(s, server.url), 'OK', 'leaves an idle keep-alive socket in the https.Agent');
    const errors = s.log.entries.filter((e) => e.level === 'error');
    assert.equal(errors.length, 1, 'reported once, not at every poll');
    assert.match(String(errors[0]?.fields['error']), /EXTDNS_TLS_CA_FILE: --tls-ca .*ca.crt is not a PEM certificate file/);
    assert.deepEqual(s.reloadCounts(), { success: 0, failure: 1 });
    await vol.write({ 'ca.crt': pki.rootB.cert });
    await clock.advance(POLL);
    assert.equal(s.current().id, 2);
    assert.equal(await connect(s, server.url), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'the pooled connection was closed, the new trust applies');
    assert.equal(await connectHttps(s, server.url), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'idle https.Agent sockets were dropped too');
    assert.deepEqual(s.reloadCounts(), { success: 1, failure: 1 });
    await s.close();
  });

  test('client certificate rotation (tls.crt + tls.key); a key that does not match keeps the old pair', async () => {
    const vol = await KubeletVolume.create({ 'tls.crt': pki.leafB.cert, 'tls.key': pki.leafB.key });
    const clock = new FakeClock(Date.now());
    const s = store({ caFiles: [pki.rootA.certFile], clientCerts: [{ source: '--tls-client-cert', certFile: vol.path('tls.crt'), keyFile: vol.path('tls.key') }] },
      { clock, watch: true, pollIntervalMs: POLL, debounceMs: 3_600_000 });
    assert.notEqual(await connectHttps(s, mtlsServer.url), 'OK');
    await vol.write({ 'tls.crt': pki.client.cert, 'tls.key': pki.leafB.key });
    await clock.advance(POLL);
    assert.equal(s.current().id, 1, 'half-rotated pair refused');
    assert.ok(s.log.entries.some((e) => e.level === 'error' && /does not belong/.test(String(e.fields['error']))));
    await vol.write({ 'tls.crt': pki.client.cert, 'tls.key': pki.client.key });
    await clock.advance(POLL);
    assert.equal(s.current().id, 2);
    assert.equal(await connectHttps(s, mtlsServer.url), 'OK');
    assert.equal(await connect(s, mtlsServer.url), 'OK');
    await s.close();
  });

  test('a file mounted on its own (subPath) without ..data is warned about; a kubelet volume is not', async () => {
    const vol = await KubeletVolume.create({ 'ca.crt': pki.rootA.cert });
    assert.deepEqual(subPathWarnings([vol.path('ca.crt')], realFs), []);
    assert.deepEqual(subPathWarnings([pki.rootA.certFile], realFs), [], 'a plain file on the same file system is watched normally');
    // A bind-mounted single file sits on another device than its folder.
    const bindMounted = { ...realFs, statSync: (p: string): nodeFs.Stats => {
      const st = nodeFs.statSync(p);
      return p === pki.rootA.certFile ? Object.assign(Object.create(Object.getPrototypeOf(st) as object) as nodeFs.Stats, st, { dev: st.dev + 1 }) : st;
    } };
    const w = subPathWarnings([pki.rootA.certFile], bindMounted);
    assert.equal(w.length, 1);
    assert.match(w[0] ?? '', /subPath.*never be updated/);
  });
});
