/**
 * Reading and atomically replacing zone files, keeping their identity. A
 * symlinked zone file stays a link: its target is what gets replaced. The
 * new file gets the old one's owner, group and mode; it is written to a temp
 * file beside the target (random name: PIDs repeat in containers), flushed,
 * renamed over the target, and the directory flushed, so readers see the old
 * file or the new one and a crash loses neither. Temp files of killed writes
 * are removed by the next writer holding the zone's lock.
 */
import { open, readdir, readFile, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Random } from '../../util/clock.ts';
import { ZonefileErrors } from './errors.ts';
import { randomToken } from './lock.ts';

/** The file a zone path names: a symlink's final target. */
export async function zoneTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (err) {
    throw ioError(`cannot resolve the zone file ${file}`, err);
  }
}

/** The file's bytes as a byte string (one character per byte). */
export async function readZoneBytes(file: string): Promise<string> {
  try {
    return (await readFile(file)).toString('latin1');
  } catch (err) {
    throw ioError(`cannot read the zone file ${file}`, err);
  }
}

function tempPrefix(target: string): string {
  return `.${basename(target)}.extdns-`;
}

/** `.<file>.extdns-<pid>-<random>.tmp` beside the target: the random part keeps PID 1 of two containers apart. */
export function tempName(target: string, pid: number, random: Random): string {
  return join(dirname(target), `${tempPrefix(target)}${pid}-${randomToken(random)}.tmp`);
}

/** Removes temp files that killed writes left beside `target` (call with the zone's lock held). */
export async function removeLeftoverTemps(target: string): Promise<string[]> {
  const prefix = tempPrefix(target);
  const removed: string[] = [];
  for (const name of await readdir(dirname(target))) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    await rm(join(dirname(target), name), { force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Replaces `target` with `text` unless its bytes are no longer `expected`
 * (someone edited it without the lock; then nothing is written).
 */
export async function replaceZoneFile(target: string, expected: string, text: string, random: Random): Promise<void> {
  const tmp = tempName(target, process.pid, random);
  try {
    const handle = await open(target, 'r');
    const st = await handle.stat().finally(() => handle.close());
    const out = await open(tmp, 'wx', 0o600);
    try {
      await writeInChunks(out, text);
      await keepOwner(out, st.uid, st.gid, target);
      await out.chmod(st.mode & 0o7777);
      await out.sync();
    } finally {
      await out.close();
    }
    if ((await readZoneBytes(target)) !== expected) {
      throw new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_IO, `${target} changed while extdns was updating it; nothing was written, the next sync retries`);
    }
    await rename(tmp, target);
    await syncDirectory(dirname(target));
  } catch (err) {
    await rm(tmp, { force: true });
    if (ExtdnsError.is(err)) throw err;
    throw ioError(`cannot write the zone file ${target}`, err);
  }
}

/** Bytes encoded and written per step: encoding a whole 30 MB zone at once holds the event loop. */
const WRITE_CHUNK = 1 << 20;

async function writeInChunks(handle: FileHandle, text: string): Promise<void> {
  for (let at = 0; at < text.length; at += WRITE_CHUNK) {
    const bytes = Buffer.from(text.slice(at, at + WRITE_CHUNK), 'latin1');
    for (let done = 0; done < bytes.length;) done += (await handle.write(bytes, done)).bytesWritten;
  }
}

async function keepOwner(handle: FileHandle, uid: number, gid: number, target: string): Promise<void> {
  const self = process.getuid?.();
  try {
    await handle.chown(uid, gid);
  } catch (err) {
    // Not root: the new file is ours. Refuse rather than hand someone's zone to another user.
    if (self !== undefined && self !== uid) {
      throw ioError(`cannot keep the owner (uid ${uid}, gid ${gid}) of ${target} when replacing it; run extdns as that user or give it CAP_CHOWN`, err);
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function ioError(message: string, cause: unknown): ExtdnsError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_IO, `${message}${detail}`, { cause });
}
