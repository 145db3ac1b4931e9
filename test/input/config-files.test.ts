/**
 * Bad configuration fails fast with a coded error (issue 12 item 7): a device
 * given as the CA file stops a run at once, naming the file, instead of
 * reading for ever where SIGTERM cannot stop it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';

test('--tls-ca=/dev/zero stops the run with EXTDNS_TLS_CA_FILE naming the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'extdns-cfg-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  let stderr = '';
  const code = await runCli(['--source=manifest', `--manifest-path=${dir}`, '--provider=pdns', '--pdns-server=https://127.0.0.1:1', '--pdns-api-key=k',
    '--tls-ca=/dev/zero', '--policy=sync', '--txt-owner-id=cfg', '--once'], {
    env: {}, stdout: () => undefined, stderr: (s) => { stderr += s; }, clock: systemClock, random: seededRandom(), signal: new AbortController().signal,
  });
  assert.equal(code, 1, stderr);
  assert.match(stderr, /EXTDNS_TLS_CA_FILE: --tls-ca \/dev\/zero cannot be read \(it is a character device, not a regular file\)/);
});
