/**
 * extdns as a child process, for tests where the code under test reads the
 * real process environment (the AWS SDK reads AWS_* itself): the environment
 * is given whole, nothing is inherited but PATH.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface ProcessOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

/** Runs `extdns argv` with exactly `env` (plus PATH) and resolves with its exit code and output. */
export function runExtdnsProcess(argv: readonly string[], env: Readonly<Record<string, string>>): Promise<ProcessOutcome> {
  const fullEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, ...argv], { env: fullEnv }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}
