/**
 * Reading a configured file without hanging: `--tls-ca=/dev/zero` or a FIFO
 * would otherwise read (or block) for ever, on the event loop or a libuv
 * thread, and SIGTERM could not stop it. Only regular files are read, opened
 * non-blocking, and never more than `maxBytes`. Failures are plain errors
 * with a `code` (ENOTREG, EFBIG, or the system's), which each caller turns
 * into its own coded ExtdnsError naming the file and the flag.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

const MiB = 1024 * 1024;

/** Upper bounds per kind of file; far above any real one, far below "for ever". */
export const FILE_LIMITS = {
  /** CA bundles, certificates, keys (the OS bundle is about 0.2 MiB). */
  pem: 16 * MiB,
  /** kubeconfig and other configuration files (the AWS shared config). */
  config: 16 * MiB,
  /** Bearer token files. */
  token: 1 * MiB,
  /** One Kubernetes manifest file. */
  manifest: 64 * MiB,
} as const;

const CHUNK = 64 * 1024;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export class FileShapeError extends Error {
  readonly code: 'ENOTREG' | 'EFBIG';
  constructor(code: 'ENOTREG' | 'EFBIG', message: string) {
    super(message);
    this.name = 'FileShapeError';
    this.code = code;
  }
}

function kindOf(stat: Stats): string {
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function checkShape(stat: Stats, maxBytes: number): void {
  if (!stat.isFile()) throw new FileShapeError('ENOTREG', `it is ${kindOf(stat)}, not a regular file`);
  if (stat.size > maxBytes) throw tooLarge(maxBytes);
}

function tooLarge(maxBytes: number): FileShapeError {
  return new FileShapeError('EFBIG', `it is larger than ${formatBytes(maxBytes)}, more than such a file ever holds`);
}

function formatBytes(n: number): string {
  return n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}

/** Gathers chunks up to `maxBytes`; files whose size stat cannot tell (/proc) or that grow while read are bounded here. */
function collector(maxBytes: number): { add(buf: Buffer, n: number): boolean; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  let total = 0;
  return {
    add(buf, n) {
      if (n === 0) return false;
      total += n;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(buf.subarray(0, n));
      return true;
    },
    bytes: () => Buffer.concat(chunks, total),
  };
}

/** The whole file (symlinks followed), or an error; never reads past `maxBytes`. */
export function readFileBoundedSync(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    checkShape(fstatSync(fd), maxBytes);
    const into = collector(maxBytes);
    for (let buf = Buffer.allocUnsafe(CHUNK); into.add(buf, readSync(fd, buf, 0, CHUNK, null)); buf = Buffer.allocUnsafe(CHUNK));
    return into.bytes();
  } finally {
    closeSync(fd);
  }
}

/** As readFileBoundedSync, without blocking the event loop. */
export async function readFileBounded(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    checkShape(await handle.stat(), maxBytes);
    const into = collector(maxBytes);
    for (let buf = Buffer.allocUnsafe(CHUNK); into.add(buf, (await handle.read(buf, 0, CHUNK, null)).bytesRead); buf = Buffer.allocUnsafe(CHUNK));
    return into.bytes();
  } finally {
    await handle.close();
  }
}

/** The text of a file read with readFileBounded. */
export async function readTextBounded(path: string, maxBytes: number): Promise<string> {
  return (await readFileBounded(path, maxBytes)).toString('utf8');
}
