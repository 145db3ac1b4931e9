/**
 * Process entry point: binds the CLI to the real process (environment,
 * streams, clock, signals) and sets the exit code.
 */
import { processEnvironment } from '../config/process.ts';
import { systemClock, systemRandom } from '../util/clock.ts';
import { runCli } from './cli.ts';

/** SIGHUP (the terminal went away, or a supervisor's reload) stops like SIGTERM rather than killing mid-apply. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

const controller = new AbortController();
for (const sig of STOP_SIGNALS) {
  process.once(sig, () => {
    controller.abort(new Error(`received ${sig}`));
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  env: processEnvironment(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  clock: systemClock,
  random: systemRandom,
  signal: controller.signal,
});
