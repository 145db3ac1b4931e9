/**
 * Command lines ExternalDNS v0.22.0 refuses (go-v0.22/cli-errors.txt: each
 * command, what it printed, its exit code): extdns refuses each of them too,
 * with exit code 1, naming the same flag and, for a bad value, the same
 * accepted values.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../../src/cli/cli.ts';
import { parseConfig, unknownEnvVars } from '../../src/config/parse.ts';
import { systemClock } from '../../src/util/clock.ts';
import { seededRandom } from '../support/fake-clock.ts';

interface Refusal {
  args: string[];
  goMessage: string;
  goExit: number;
}

function refusals(text: string): Refusal[] {
  return text.split(/^\$ external-dns /m).filter((b) => b.trim() !== '').map((block) => {
    const [command = '', ...rest] = block.trimEnd().split('\n');
    const exit = Number(/^exit (\d+)$/m.exec(block)?.[1]);
    const goMessage = rest.filter((l) => !l.startsWith('exit ')).join('\n');
    return { args: command.split(' '), goMessage, goExit: exit };
  });
}

const cases = refusals(readFileSync(new URL('./go-v0.22/cli-errors.txt', import.meta.url), 'utf8'));

async function extdns(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(args, {
    env: {}, stdout: () => undefined, stderr: (t) => { stderr += t; }, clock: systemClock, random: seededRandom(), signal: new AbortController().signal,
  });
  return { code, stderr };
}

test('the golden file holds four refusals, each a fatal flag parsing error with exit 1', () => {
  assert.equal(cases.length, 4);
  for (const c of cases) {
    assert.equal(c.goExit, 1);
    assert.match(c.goMessage, /level=fatal msg="flag parsing error: /);
  }
});

for (const c of cases) {
  test(`refused like v0.22: ${c.args.join(' ')}`, async () => {
    const r = await extdns(c.args);
    assert.equal(r.code, c.goExit, r.stderr);
    const flag = /--([a-z-]+)/.exec(c.args.find((a) => c.goMessage.includes(a.split('=')[0] ?? '') || c.goMessage.includes(`'${a.split('=')[1] ?? ''}'`)) ?? '')?.[1];
    assert.ok(flag !== undefined && r.stderr.includes(`--${flag}`), r.stderr);
    // A bad value: every value Go lists is accepted by extdns too.
    const goValues = /must be one of ([^,]+(?:,[^,\s]+)*), got/.exec(c.goMessage)?.[1]?.split(',') ?? [];
    for (const v of goValues) assert.match(r.stderr, new RegExp(`\\b${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`), `${v} listed`);
  });
}

test('EXTERNAL_DNS_CLI, read by older releases, is ignored by v0.22 and by extdns, which warns about it', () => {
  const env = { EXTERNAL_DNS_CLI: 'cobra' };
  const config = parseConfig(['--source=service', '--provider=inmemory', '--policy=sync'], env,
    { sources: ['service'], providers: ['inmemory'], registries: ['txt'] });
  assert.equal(config.provider, 'inmemory');
  assert.deepEqual(unknownEnvVars(env), ['EXTERNAL_DNS_CLI']);
});
