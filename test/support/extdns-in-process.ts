/**
 * The real CLI in-process with an explicit environment (nothing inherited),
 * everything it prints collected: for tests that run extdns against local
 * servers and proxies and read its output.
 */
import { runCli } from '../../src/cli/cli.ts';
import { systemClock, type Clock } from '../../src/util/clock.ts';
import { seededRandom } from './fake-clock.ts';

export interface InProcessOptions {
  readonly clock?: Clock;
  /** Aborts the run (as SIGTERM would) after this many ms: for commands that serve until stopped. */
  readonly stopAfterMs?: number;
}

/** Runs `extdns argv` with exactly `env`; `out` holds stdout and stderr in the order written. */
export async function runExtdnsInProcess(argv: readonly string[], env: Readonly<Record<string, string>>, options: InProcessOptions = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const abort = new AbortController();
  const timer = options.stopAfterMs === undefined ? undefined : setTimeout(() => { abort.abort(new Error('test stop')); }, options.stopAfterMs);
  try {
    const code = await runCli(argv, {
      env: { ...env }, clock: options.clock ?? systemClock, random: seededRandom(1), signal: abort.signal,
      stdout: (t) => { out += t; }, stderr: (t) => { out += t; },
    });
    return { code, out };
  } finally {
    clearTimeout(timer);
  }
}
