/** Child processes of the real-cluster harness: started with their output in a log file, stopped by PID. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startDaemon(name: string, command: string, args: readonly string[], logFile: string): Daemon {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  // A test file that ends without its after() hook (a crash, a timeout) must not leave servers behind.
  const reap = (): void => { child.kill('SIGKILL'); };
  process.once('exit', reap);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => { process.off('exit', reap); resolve(code); });
    child.once('error', () => { process.off('exit', reap); resolve(null); });
  });
  return {
    name, child, exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}

/** A loopback TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => { resolve(port); });
    });
  });
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end, with optional stdin. */
export function runCommand(command: string, args: readonly string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.once('error', (err) => { resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` }); });
    child.once('close', (code) => { resolve({ code: code ?? 1, stdout, stderr }); });
    // A command that exits without reading its input (kubectl create …) closes the pipe first: not an error of the command.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
