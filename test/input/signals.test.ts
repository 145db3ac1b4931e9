/**
 * SIGHUP stops extdns like SIGTERM (issue 12 item 7): the process finishes
 * cleanly with exit 0 instead of being killed by the default action.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

test('SIGHUP stops `extdns webhook` cleanly, as SIGTERM does', async () => {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, 'webhook', '--provider=inmemory', '--inmemory-zone=example.org',
    '--webhook-server-address=127.0.0.1:0', '--webhook-server-metrics-address=127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => { resolve({ code, signal }); });
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('serving the webhook provider API')) resolve();
    });
    void exited.then(() => { reject(new Error(`extdns webhook exited early: ${stderr}`)); });
  });
  child.kill('SIGHUP');
  const { code, signal } = await exited;
  assert.equal(signal, null, `killed by ${signal ?? ''} instead of stopping: ${stderr}`);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /stopping the webhook server/);
});
