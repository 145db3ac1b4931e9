/**
 * A running extdns (the run loop, in-process) serving --metrics-address on a
 * free loopback port, handed over once its first sync has finished.
 */
import { runCli } from '../../src/cli/cli.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';

export interface Serving {
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** Everything logged so far. */
  log(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number>;
}

const FIRST_SYNC_DONE = /Applied changes|already up to date|Nothing to apply this sync/;

export async function startServing(flags: readonly string[], env: Readonly<Record<string, string>>): Promise<Serving> {
  const stopper = new AbortController();
  let log = '';
  let announce: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => { announce = resolve; });
  let synced: () => void = () => undefined;
  const firstSync = new Promise<void>((resolve) => { synced = resolve; });
  const running = runCli([...flags, '--metrics-address=127.0.0.1:0'], {
    env: { ...env }, clock: systemClock, random: seededRandom(7), signal: stopper.signal, stdout: () => undefined,
    stderr: (t) => {
      log += t;
      const m = /Serving \/healthz, \/readyz and \/metrics on 127\.0\.0\.1:(\d+)/.exec(t);
      if (m) announce(Number(m[1]));
      if (FIRST_SYNC_DONE.test(t)) synced();
    },
  });
  const ended = running.then((code) => { throw new Error(`extdns exited with ${code} before its first sync:\n${log}`); });
  const p = await Promise.race([port, ended]);
  await Promise.race([firstSync, ended]);
  return {
    base: `http://127.0.0.1:${p}`,
    log: () => log,
    stop: async () => {
      stopper.abort(new Error('received SIGTERM'));
      return running;
    },
  };
}
