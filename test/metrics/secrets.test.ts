/**
 * Secrets never reach the log: runs of the real CLI at debug level (which
 * logs the whole masked config) with secret flags, secret environment
 * variables and a provider API that rejects the key, then a scan of
 * everything written to stderr.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { SERVICE, workspace } from './support.ts';

const SECRETS = {
  pdnsKey: 'pdns-key-5f1e0c7a9b',
  awsExternalId: 'aws-external-id-77d3',
  aesKey: '0123456789abcdef0123456789abcdef',
  awsSecretEnv: 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY',
  pdnsKeyEnv: 'env-pdns-key-31c9',
};

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; log: string }> {
  let log = '';
  const code = await runCli(args, {
    env, clock: systemClock, random: seededRandom(1), signal: new AbortController().signal, stdout: (t) => { log += t; }, stderr: (t) => { log += t; },
  });
  return { code, log };
}

function assertNoSecrets(log: string): void {
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!log.includes(value), `${name} appears in the log:\n${log}`);
}

test('a sync at debug level, text and json, with secret flags and secret env vars logs none of them', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'svc.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  for (const format of ['text', 'json']) {
    const { code, log } = await run([...ws.flags(), '--once', '--log-level=debug', `--log-format=${format}`,
      `--pdns-api-key=${SECRETS.pdnsKey}`, `--aws-assume-role-external-id=${SECRETS.awsExternalId}`,
      '--txt-encrypt-enabled', `--txt-encrypt-aes-key=${SECRETS.aesKey}`],
    { AWS_SECRET_ACCESS_KEY: SECRETS.awsSecretEnv, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' });
    assert.equal(code, 0, log);
    assert.match(log, /Applied changes|already up to date/, 'the sync ran');
    assert.match(log, /\*\*\*\*\*/, 'the secret flags show as masked');
    assertNoSecrets(log);
  }
});

test('a provider API that rejects the key: the error is logged, the key is not (flag and EXTERNAL_DNS_ env)', async (ctx) => {
  const server = createServer((req, res) => {
    res.statusCode = 401;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ error: 'Unauthorized' }));
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.after(() => new Promise<void>((resolve) => server.close(() => { resolve(); })));
  const port = (server.address() as AddressInfo).port;
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'svc.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  const base = ['--source=manifest', `--manifest-path=${ws.manifests}`, '--provider=pdns', `--pdns-server=http://127.0.0.1:${port}`,
    '--policy=sync', '--txt-owner-id=o', '--once', '--log-level=trace'];
  const viaFlag = await run([...base, `--pdns-api-key=${SECRETS.pdnsKey}`], {});
  assert.equal(viaFlag.code, 1);
  assert.match(viaFlag.log, /401|Unauthorized/i, 'the rejection is reported');
  assertNoSecrets(viaFlag.log);
  const viaEnv = await run(base, { EXTERNAL_DNS_PDNS_API_KEY: SECRETS.pdnsKeyEnv });
  assert.equal(viaEnv.code, 1);
  assertNoSecrets(viaEnv.log);
});
