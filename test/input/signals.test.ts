/**
 * SIGHUP stops extdns like SIGTERM (issue 12 item 7): the process finishes
 * cleanly with exit 0 instead of being killed by the default action. An
 * interval longer than a Node timer holds waits instead of spinning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
      if (stderr.includes('Serving the webhook provider API')) resolve();
    });
    void exited.then(() => { reject(new Error(`extdns webhook exited early: ${stderr}`)); });
  });
  child.kill('SIGHUP');
  const { code, signal } = await exited;
  assert.equal(signal, null, `killed by ${signal ?? ''} instead of stopping: ${stderr}`);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /Stopping the webhook server/);
});

test('--interval=720h (over a Node timer\'s limit) waits quietly instead of spinning', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'extdns-interval-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  const child = spawn(process.execPath, [MAIN, '--source=manifest', `--manifest-path=${dir}`, '--provider=inmemory', '--inmemory-zone=example.org',
    '--policy=sync', '--txt-owner-id=interval', '--interval=720h', '--metrics-address=127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => { child.on('exit', (code) => { resolve(code); }); });
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('All records are already up to date')) resolve();
    });
    void exited.then(() => { reject(new Error(`extdns exited early: ${stderr}`)); });
  });
  const linesAfterFirstSync = stderr.split('\n').length;
  // A spinning loop (the timer firing after 1 ms) logs a TimeoutOverflowWarning or a sync within this time.
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  assert.doesNotMatch(stderr, /TimeoutOverflowWarning/);
  assert.equal(stderr.split('\n').length, linesAfterFirstSync + 1, `only "Terminating main controller loop" follows the first sync:\n${stderr}`);
});
