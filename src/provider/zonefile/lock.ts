/**
 * An exclusive lock per zone file, shared by every extdns instance writing
 * the zone folder (two clusters, one folder): `.<file>.extdns.lock` beside
 * the file. It is created complete and atomically (written to a private name,
 * then hard-linked into place), so a lock is never seen half-written. A
 * writer that finds the lock held waits, polling on the injected clock, up to
 * a bounded time. A lock is stale when its holder is a dead process on this
 * host (same host name and PID namespace), or when it is older than `staleMs`
 * (a writer on another host or in another container died; a lock file extdns
 * cannot read is aged by its mtime). A stale lock is moved aside and removed
 * only if it is still the one judged stale (same inode), so two waiters never
 * remove each other's fresh lock.
 */
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Clock, Random } from '../../util/clock.ts';
import { ZonefileErrors } from './errors.ts';

export interface LockOptions {
  clock: Clock;
  random: Random;
  /** How long a writer waits for a held lock. */
  waitMs: number;
  /** Age after which a lock of a writer on another host counts as abandoned. */
  staleMs: number;
  /** How often a waiting writer looks again. */
  pollMs: number;
}

interface LockInfo {
  pid: number;
  host: string;
  /** The PID namespace: a PID says something only inside it (containers sharing a host name do not share PIDs). */
  pidns: string;
  token: string;
  at: number;
}

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

const PIDNS = pidNamespace();

export interface HeldLock {
  release(): Promise<void>;
}

export function lockPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.extdns.lock`);
}

/** A random hex token from the injected source (PIDs repeat: every container's extdns is PID 1). */
export function randomToken(random: Random): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += Math.floor(random.next() * 0x10000).toString(16).padStart(4, '0');
  return out;
}

/** A lock file as found: its content (undefined if unreadable), and its inode and mtime to recognise it. */
interface FoundLock {
  info: LockInfo | undefined;
  ino: number;
  mtimeMs: number;
}

export async function acquireLock(file: string, options: LockOptions, signal: AbortSignal): Promise<HeldLock> {
  const path = lockPath(file);
  const info: LockInfo = { pid: process.pid, host: hostname(), pidns: PIDNS, token: randomToken(options.random), at: options.clock.now() };
  const started = options.clock.now();
  for (;;) {
    signal.throwIfAborted();
    const attempt = await tryCreate(path, info);
    if (attempt.created) return { release: () => release(path, info.token) };
    const found = await readLock(path);
    if (found === undefined) continue; // released meanwhile
    if (isStale(found, options, attempt.fsNow)) {
      await breakStale(path, found, info.token);
      continue;
    }
    if (options.clock.now() - started >= options.waitMs) {
      const who = found.info === undefined ? 'another writer' : `process ${found.info.pid} on ${found.info.host}`;
      throw new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_LOCKED,
        `${file} is locked by ${who} (${path}); waited ${options.waitMs} ms, the next sync retries`);
    }
    await options.clock.sleep(options.pollMs, signal);
  }
}

/** Tries to link a complete lock file into place; also returns the file system's "now" (the draft's mtime). */
async function tryCreate(path: string, info: LockInfo): Promise<{ created: boolean; fsNow: number }> {
  const draft = `${path}.${info.token}`;
  await writeFile(draft, JSON.stringify(info), { flag: 'wx', mode: 0o644 });
  try {
    const fsNow = (await stat(draft)).mtimeMs;
    try {
      await link(draft, path);
      return { created: true, fsNow };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { created: false, fsNow };
      throw err;
    }
  } finally {
    await rm(draft, { force: true });
  }
}

async function readLock(path: string): Promise<FoundLock | undefined> {
  let st: Stats;
  let text: string;
  try {
    st = await stat(path);
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  return { info: parseLock(text), ino: st.ino, mtimeMs: st.mtimeMs };
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockInfo>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string' || typeof parsed.token !== 'string' || typeof parsed.at !== 'number') {
      return undefined;
    }
    return { pid: parsed.pid, host: parsed.host, pidns: typeof parsed.pidns === 'string' ? parsed.pidns : '', token: parsed.token, at: parsed.at };
  } catch {
    return undefined;
  }
}

/**
 * A lock we cannot read (not written by extdns) is judged by its age on the
 * file system's own clock: the draft just written gives "now".
 */
function isStale(found: FoundLock, options: LockOptions, fsNow: number): boolean {
  const holder = found.info;
  if (holder === undefined) return fsNow - found.mtimeMs > options.staleMs;
  const here = holder.host === hostname() && holder.pidns === PIDNS && PIDNS !== '';
  if (here && holder.pid !== process.pid && !alive(holder.pid)) return true;
  return options.clock.now() - holder.at > options.staleMs;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves the stale lock aside; if what was moved is not the lock judged stale (same inode), puts it back. */
async function breakStale(path: string, stale: FoundLock, token: string): Promise<void> {
  const aside = `${path}.stale-${token}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await stat(aside).catch(() => undefined);
  if (moved !== undefined && moved.ino !== stale.ino) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

async function release(path: string, token: string): Promise<void> {
  const found = await readLock(path);
  if (found?.info?.token === token) await rm(path, { force: true });
}
