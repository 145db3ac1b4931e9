/**
 * Hot reload of a connection's trust. Kubelet updates a mounted Secret or
 * ConfigMap by writing a new `..<timestamp>` folder and renaming a `..data`
 * symlink over the old one; a watch on the file itself goes silent after the
 * first swap (it follows the dead inode), so the *parent folders* are
 * watched, events are debounced, and a content-hash poll on the injected
 * clock catches whatever the watcher misses (NFS, re-created folders).
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage } from '../errors/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Clock } from '../util/clock.ts';
import type { TrustFs } from './pem.ts';
import type { ReloadCounts, TrustGeneration } from './tls.ts';

export interface ReloaderOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly current: () => TrustGeneration;
  /** Builds the next generation, or null when the inputs still hash to `unchangedHash`; throws when invalid. */
  readonly build: (id: number, unchangedHash: string) => TrustGeneration | null;
  readonly swap: (next: TrustGeneration) => void;
  readonly pollIntervalMs: number;
  readonly debounceMs: number;
}

export class Reloader {
  readonly #o: ReloaderOptions;
  readonly #abort = new AbortController();
  readonly #watchers: FSWatcher[] = [];
  #watchedDirs = new Set<string>();
  #debouncing = false;
  #success = 0;
  #failure = 0;
  #lastError: string | undefined;

  constructor(options: ReloaderOptions) {
    this.#o = options;
  }

  start(): void {
    this.#watchParents(this.#o.current().watchedPaths);
    this.#pollLoop().catch((err: unknown) => {
      this.#o.logger.error('TLS trust poll stopped', { error: errorMessage(err) });
    });
  }

  stop(): void {
    this.#abort.abort();
    for (const w of this.#watchers) w.close();
    this.#watchers.length = 0;
  }

  counts(): ReloadCounts {
    return { success: this.#success, failure: this.#failure };
  }

  /** Re-reads every input; swaps when it changed and is valid. True when the trust changed. */
  check(trigger: string): boolean {
    const old = this.#o.current();
    let next: TrustGeneration | null;
    try {
      next = this.#o.build(old.id + 1, old.contentHash);
    } catch (err) {
      const message = errorMessage(err);
      // A bad file stays bad until fixed: report it once, not at every poll.
      if (message !== this.#lastError) {
        this.#failure++;
        this.#lastError = message;
        this.#o.logger.error('TLS trust reload failed; keeping the previous trust', { trigger, generation: old.id, error: message });
      }
      return false;
    }
    this.#lastError = undefined;
    if (next === null) return false;
    this.#o.swap(next);
    this.#success++;
    this.#o.logger.info('TLS trust reloaded', {
      trigger, generation: next.id, total: next.report.total, from: fingerprints(old), to: fingerprints(next),
    });
    for (const w of next.report.warnings) this.#o.logger.warn(w);
    this.#watchParents(next.watchedPaths);
    return true;
  }

  async #pollLoop(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        await this.#o.clock.sleep(this.#o.pollIntervalMs, signal);
      } catch {
        return;
      }
      this.check('poll');
    }
  }

  #watchParents(paths: readonly string[]): void {
    for (const dir of new Set(paths.flatMap((p) => [p, dirname(p)]))) {
      if (this.#watchedDirs.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => { this.#onEvent(); });
        w.on('error', () => { w.close(); });
        this.#watchers.push(w);
        this.#watchedDirs.add(dir);
      } catch {
        // not a folder, or gone: the poll still covers it
      }
    }
  }

  #onEvent(): void {
    if (this.#debouncing || this.#abort.signal.aborted) return;
    this.#debouncing = true;
    this.#o.clock.sleep(this.#o.debounceMs, this.#abort.signal).then(() => {
      this.#debouncing = false;
      this.check('watch');
    }, () => undefined);
  }
}

function fingerprints(gen: TrustGeneration): string {
  const cas = gen.report.sources.flatMap((s) => s.certificates ?? []).map((c) => c.fingerprint256);
  const client = gen.report.clientCert?.certificate.fingerprint256;
  return [...cas.map((f) => `ca:${f}`), ...(client === undefined ? [] : [`client:${client}`])].join(' ') || `${gen.report.total} certs`;
}

/**
 * Kubelet never updates a subPath mount. Such a file is a bind mount of its
 * own: it sits on another device than its folder, and has no `..data` next
 * to it. Those files are reported so users are not surprised when a
 * rotation is not picked up. (Plain files on the host are watched normally.)
 */
export function subPathWarnings(files: readonly string[], fs: TrustFs): string[] {
  const out: string[] = [];
  for (const file of new Set(files)) {
    try {
      const stat = fs.statSync(file);
      if (stat.isDirectory()) continue;
      const dir = dirname(file);
      if (fs.readdirSync(dir).includes('..data')) continue;
      if (stat.dev === fs.statSync(dir).dev) continue;
    } catch {
      continue;
    }
    out.push(`${file} is mounted on its own (a Kubernetes subPath or single-file mount, no ..data next to it): it will never be updated when the Secret or ConfigMap changes; ` +
      'mount the whole volume (without subPath) so rotated certificates are picked up without a restart');
  }
  return out;
}
