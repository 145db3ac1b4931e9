/**
 * Bounded file reads (issue 12 item 7): a device, a FIFO or a huge file given
 * as a CA, key, kubeconfig, token or manifest fails at once with a code
 * naming the file, instead of reading (or blocking) for ever.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../test/support/scratch-dir.ts';
import { readExplicitCa, realFs } from '../tls/pem.ts';
import { loadKubeconfig } from '../kube/kubeconfig.ts';
import { FILE_LIMITS, readFileBounded, readFileBoundedSync } from './bounded-read.ts';

const scratch = (): { dir: string; done: () => void } => scratchDir('extdns-bounded-');

test('a character device and a FIFO are refused as ENOTREG, sync and async, without blocking', async (t) => {
  const { dir, done } = scratch();
  t.after(done);
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  for (const [path, kind] of [['/dev/zero', /character device/], [fifo, /named pipe/]] as const) {
    assert.throws(() => readFileBoundedSync(path, 1024), (err: NodeJS.ErrnoException) => err.code === 'ENOTREG' && kind.test(err.message));
    await assert.rejects(readFileBounded(path, 1024), (err: NodeJS.ErrnoException) => err.code === 'ENOTREG' && kind.test(err.message));
  }
});

test('a file over the limit is EFBIG, whether its size is known up front or only while reading', async (t) => {
  const { dir, done } = scratch();
  t.after(done);
  const big = join(dir, 'big.pem');
  writeFileSync(big, '');
  truncateSync(big, FILE_LIMITS.pem + 1);
  assert.throws(() => readFileBoundedSync(big, FILE_LIMITS.pem), (err: NodeJS.ErrnoException) => err.code === 'EFBIG' && /16 MiB/.test(err.message));
  // /proc files report size 0: the bound applies to what is read.
  assert.throws(() => readFileBoundedSync('/proc/self/status', 10), (err: NodeJS.ErrnoException) => err.code === 'EFBIG');
  assert.match(readFileBoundedSync('/proc/self/status', 1 << 20).toString('utf8'), /^Name:/);
  await assert.rejects(readFileBounded('/proc/self/status', 10), (err: NodeJS.ErrnoException) => err.code === 'EFBIG');
});

test('symlinks are followed; a missing file keeps its system code', async (t) => {
  const { dir, done } = scratch();
  t.after(done);
  writeFileSync(join(dir, 'real'), 'hello');
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  assert.equal(readFileBoundedSync(join(dir, 'link'), 10).toString(), 'hello');
  assert.equal((await readFileBounded(join(dir, 'link'), 10)).toString(), 'hello');
  assert.throws(() => readFileBoundedSync(join(dir, 'none'), 10), { code: 'ENOENT' });
});

test('--tls-ca=/dev/zero is EXTDNS_TLS_CA_FILE naming the file and saying what it is', () => {
  assert.throws(() => readExplicitCa('/dev/zero', '--tls-ca', realFs), (err: Error & { code?: string }) =>
    err.code === 'EXTDNS_TLS_CA_FILE' && err.message.includes('--tls-ca /dev/zero') && err.message.includes('character device'));
});

test('--kubeconfig=/dev/zero is a kube configuration error naming the file', async () => {
  await assert.rejects(loadKubeconfig(['/dev/zero'], { mustExist: true }), (err: Error & { code?: string }) =>
    err.code === 'EXTDNS_KUBE_CONFIG' && err.message.includes('/dev/zero') && err.message.includes('character device'));
});
