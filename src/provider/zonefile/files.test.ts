/**
 * Issue 13, items 5 and 6: two writers on one zone folder (a lock per zone
 * file, bounded waits, stale-lock recovery, no lost update), atomic writes,
 * and file identity (symlink, owner, group, mode; leftover temp files).
 * Time is a FakeClock: waits are driven by advancing it, never by sleeping.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, open, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock, seededRandom } from '../../../test/support/fake-clock.ts';
import { assertZonesValid, makeZoneDir, minimalZone, type ZoneDir } from '../../../test/support/zonefile.ts';
import type { Provider } from '../provider.ts';
import { lockPath } from './lock.ts';
import { tempName } from './write.ts';
import { createZonefileProvider, type ZonefileOptions } from './zonefile.ts';

const signal = new AbortController().signal;
const WRITER = join(import.meta.dirname, '../../../test/support/zonefile-writer.ts');
const KILLED_WRITER = join(import.meta.dirname, '../../../test/support/zonefile-killed-writer.ts');
const add = (name: string): Changes => ({ ...emptyChanges(), create: [newEndpoint({ dnsName: name, recordType: 'A', targets: ['192.0.2.1'] })] });

function instance(dir: string, clock: FakeClock, seed: number, options: Partial<ZonefileOptions> = {}): Provider {
  return createZonefileProvider({ dir, ...options }, { clock, logger: captureLogger().logger, random: seededRandom(seed) });
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Yields to the event loop until some writer is parked on the clock. */
async function untilWaiting(clock: FakeClock): Promise<void> {
  while (clock.pending === 0) await turn();
}

/** Runs `work` to the end, advancing the clock 100 ms whenever a writer waits on it. */
async function driving<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  void work.then((value) => { outcome = { ok: true, value }; }, (error: unknown) => { outcome = { ok: false, error }; });
  while (outcome === undefined) {
    if (clock.pending > 0) await clock.advance(100);
    else await turn();
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Advances `ms` in 100 ms steps, each once a writer is parked. */
async function waitFor(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await untilWaiting(clock);
    await clock.advance(100);
  }
  await untilWaiting(clock);
}

async function names(provider: Provider): Promise<string[]> {
  return (await provider.records(signal)).filter((e) => e.recordType === 'A').map((e) => e.dnsName).sort();
}

async function withDir(fn: (dir: ZoneDir) => Promise<void>): Promise<void> {
  const dir = await makeZoneDir(['example.com']);
  try {
    await fn(dir);
  } finally {
    await dir.cleanup();
  }
}

const PIDNS = readlinkSync('/proc/self/ns/pid');

async function foreignLock(file: string, holder: { pid: number; host: string; at: number; pidns?: string }): Promise<void> {
  await writeFile(lockPath(file), JSON.stringify({ pidns: PIDNS, ...holder, token: 'f0f0f0f0' }));
}

describe('item 5: two writers on one zone folder', () => {
  test('concurrent writers from two instances never lose an update', async () => {
    await withDir(async (dir) => {
      const clock = new FakeClock();
      // A long wait limit in fake time: each 100 ms poll costs the holder only an event-loop turn.
      const a = instance(dir.dir, clock, 1, { lockWaitMs: 3_600_000 });
      const b = instance(dir.dir, clock, 2, { lockWaitMs: 3_600_000 });
      const work = Promise.all(Array.from({ length: 12 }, (_, i) => [
        a.applyChanges(add(`a${i}.example.com`), signal),
        b.applyChanges(add(`b${i}.example.com`), signal),
      ]).flat());
      await driving(clock, work);
      const got = await names(a);
      assert.equal(got.length, 24, got.join(' '));
      await assertZonesValid(dir.dir);
      assert.deepEqual(await readdir(dir.dir), ['example.com.zone']);
    });
  });

  test('two writer processes on one folder (real clocks, real locks) never lose an update', async () => {
    await withDir(async (dir) => {
      const run = (prefix: string): Promise<number | null> => new Promise((resolve) => {
        const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', WRITER, dir.dir, 'example.com', prefix, '15'], { stdio: 'inherit' });
        child.once('exit', resolve);
      });
      assert.deepEqual(await Promise.all([run('one'), run('two')]), [0, 0]);
      const got = await names(instance(dir.dir, new FakeClock(), 1));
      assert.equal(got.length, 30, got.join(' '));
      await assertZonesValid(dir.dir);
      assert.deepEqual(await readdir(dir.dir), ['example.com.zone']);
    });
  });

  test('a second writer waits a bounded time for a held lock, then fails transiently without writing', async () => {
    await withDir(async (dir) => {
      const clock = new FakeClock();
      await foreignLock(dir.file('example.com'), { pid: process.pid, host: hostname(), at: clock.now() });
      const provider = instance(dir.dir, clock, 1, { lockWaitMs: 5_000 });
      await assert.rejects(driving(clock, provider.applyChanges(add('x.example.com'), signal)), (err: unknown) => {
        assert.ok(ExtdnsError.is(err));
        assert.equal(err.code, 'EXTDNS_ZONEFILE_LOCKED');
        assert.equal(err.transient, true);
        assert.match(err.message, new RegExp(`locked by process ${process.pid} on ${hostname()}.*waited 5000 ms`));
        return true;
      });
      assert.equal(await readFile(dir.file('example.com'), 'utf8'), minimalZone('example.com'));
    });
  });

  test('a waiting writer proceeds once the lock is released, and sees what the holder wrote', async () => {
    await withDir(async (dir) => {
      const clock = new FakeClock();
      await foreignLock(dir.file('example.com'), { pid: process.pid, host: hostname(), at: clock.now() });
      const provider = instance(dir.dir, clock, 1);
      const pending = provider.applyChanges(add('x.example.com'), signal);
      await waitFor(clock, 1_000);
      // The holder writes, then releases.
      await writeFile(dir.file('example.com'), `${minimalZone('example.com')}held A 192.0.2.9\n`);
      await rm(lockPath(dir.file('example.com')));
      await driving(clock, pending);
      assert.deepEqual(await names(provider), ['held.example.com', 'x.example.com']);
    });
  });

  test('a lock left by a dead process on this host is broken at once', async () => {
    await withDir(async (dir) => {
      const clock = new FakeClock();
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      await foreignLock(dir.file('example.com'), { pid: dead, host: hostname(), at: clock.now() });
      const provider = instance(dir.dir, clock, 1);
      await provider.applyChanges(add('x.example.com'), signal);
      assert.deepEqual(await readdir(dir.dir), ['example.com.zone']);
    });
  });

  test('a dead PID means nothing from another PID namespace (a container sharing the host name): only age breaks that lock', async () => {
    await withDir(async (dir) => {
      const clock = new FakeClock();
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      await foreignLock(dir.file('example.com'), { pid: dead, host: hostname(), at: clock.now(), pidns: 'pid:[1]' });
      const provider = instance(dir.dir, clock, 1, { staleLockMs: 60_000, lockWaitMs: 600_000 });
      const pending = provider.applyChanges(add('x.example.com'), signal);
      await waitFor(clock, 30_000);
      assert.deepEqual(await names(provider), [], 'still waiting');
      await driving(clock, pending);
      assert.deepEqual(await names(provider), ['x.example.com']);
    });
  });

  test('a writer killed while holding the lock (SIGKILL): the next writer breaks its lock and removes its temp file', async () => {
    await withDir(async (dir) => {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', KILLED_WRITER, dir.file('example.com')], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => { resolve(); });
        child.once('exit', (code) => { reject(new Error(`the writer exited (${code}) before taking the lock`)); });
      });
      assert.equal((await readdir(dir.dir)).length, 3, 'zone, lock and temp file');
      child.kill('SIGKILL');
      await exited;
      const provider = instance(dir.dir, new FakeClock(), 1);
      await provider.applyChanges(add('x.example.com'), signal);
      assert.deepEqual(await readdir(dir.dir), ['example.com.zone']);
      assert.deepEqual(await names(provider), ['x.example.com']);
    });
  });

  test('a lock file extdns cannot read is broken once its mtime is older than the stale limit, and waited for before', async () => {
    await withDir(async (dir) => {
      const lock = lockPath(dir.file('example.com'));
      await writeFile(lock, 'not a lock extdns wrote');
      const clock = new FakeClock();
      const provider = instance(dir.dir, clock, 1, { staleLockMs: 60_000, lockWaitMs: 1_000 });
      await assert.rejects(driving(clock, provider.applyChanges(add('x.example.com'), signal)), /EXTDNS_ZONEFILE_LOCKED|is locked by another writer/);
      const old = new Date(Date.now() - 3_600_000);
      await utimes(lock, old, old);
      await provider.applyChanges(add('x.example.com'), signal);
      assert.deepEqual(await names(provider), ['x.example.com']);
    });
  });

  test('a lock of another host is broken once it is older than the stale limit', async () => {
    await withDir(async (dir) => {
      const clock = new FakeClock();
      await foreignLock(dir.file('example.com'), { pid: 1, host: 'other-host', at: clock.now() });
      const provider = instance(dir.dir, clock, 1, { staleLockMs: 60_000, lockWaitMs: 600_000 });
      const pending = provider.applyChanges(add('x.example.com'), signal);
      await waitFor(clock, 59_000);
      assert.deepEqual(await names(provider), [], 'still waiting before the lock is stale');
      await driving(clock, pending);
      assert.ok(clock.now() - new FakeClock().now() <= 60_200);
      assert.deepEqual(await names(provider), ['x.example.com']);
    });
  });

  test('writes are atomic: a reader holding the old file sees it whole; the new file replaces it by rename', async () => {
    await withDir(async (dir) => {
      const provider = instance(dir.dir, new FakeClock(), 1);
      const before = await stat(dir.file('example.com'));
      const reader = await open(dir.file('example.com'), 'r');
      try {
        await provider.applyChanges(add('x.example.com'), signal);
        assert.equal((await reader.readFile()).toString('utf8'), minimalZone('example.com'));
      } finally {
        await reader.close();
      }
      assert.notEqual((await stat(dir.file('example.com'))).ino, before.ino);
    });
  });
});

describe('item 6: file identity', () => {
  test('a symlinked zone file stays a link; its target is updated', async () => {
    await withDir(async (dir) => {
      const real = join(dir.dir, 'real');
      await mkdir(real);
      await writeFile(join(real, 'example.com.zone'), minimalZone('example.com'));
      await rm(dir.file('example.com'));
      await symlink(join('real', 'example.com.zone'), dir.file('example.com'));
      const provider = instance(dir.dir, new FakeClock(), 1);
      await provider.applyChanges(add('x.example.com'), signal);
      assert.ok((await lstat(dir.file('example.com'))).isSymbolicLink());
      assert.match(await readFile(join(real, 'example.com.zone'), 'utf8'), /\nx 300 IN A 192\.0\.2\.1\n$/);
      assert.deepEqual(await readdir(real), ['example.com.zone']);
    });
  });

  test('owner, group and mode are kept', async () => {
    await withDir(async (dir) => {
      await chown(dir.file('example.com'), 1234, 5678);
      await chmod(dir.file('example.com'), 0o640);
      const provider = instance(dir.dir, new FakeClock(), 1);
      await provider.applyChanges(add('x.example.com'), signal);
      const st = await stat(dir.file('example.com'));
      assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [1234, 5678, 0o640]);
    });
  });

  test('temp files of a killed write are cleaned up by the next writer; other files are left alone', async () => {
    await withDir(async (dir) => {
      const leftover = join(dir.dir, '.example.com.zone.extdns-1-0badcafe0badcafe.tmp');
      await writeFile(leftover, Buffer.alloc(1_700_000, 0x41));
      await writeFile(join(dir.dir, '.example.org.zone.extdns-1-1.tmp'), 'another zone: not ours to clean now');
      const logs = captureLogger();
      const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: logs.logger, random: seededRandom(3) });
      await provider.applyChanges(add('x.example.com'), signal);
      assert.deepEqual((await readdir(dir.dir)).sort(), ['.example.org.zone.extdns-1-1.tmp', 'example.com.zone']);
      assert.match(logs.text(), /Removed temp files of an interrupted write/);
    });
  });

  test('temp names of two writers with the same PID (PID 1 in containers) differ', () => {
    const a = tempName('/zones/example.com.zone', 1, seededRandom(1));
    const b = tempName('/zones/example.com.zone', 1, seededRandom(2));
    assert.match(a, /^\/zones\/\.example\.com\.zone\.extdns-1-[0-9a-f]{16}\.tmp$/);
    assert.notEqual(a, b);
  });
});
