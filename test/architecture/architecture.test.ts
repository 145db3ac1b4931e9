/**
 * Shape rules that lint cannot say: how far a provider reaches outside its
 * folder, one casing for log messages with the provider tag added once, and
 * no test that asserts nothing.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { filesNamingProviders, PROVIDER_WORDS, providerFolders, words } from './provider-names.ts';
import { logMessages } from './log-messages.ts';
import { assertionFreeTests } from './assertion-free.ts';

/** A provider may be named outside its folder in at most this many files (the table, the flag list, and two more). */
const MAX_FILES_NAMING = 4;

/**
 * What the budget is spent on, by design:
 * - src/provider/table.ts and src/provider/flags.ts: the provider table and
 *   the flag list (the two places a new provider is added);
 * - src/source/annotations.ts, src/source/wrappers/post-process.ts:
 *   ExternalDNS's provider-specific annotations carry the provider's name in
 *   their keys (`cloudflare-proxied`, `webhook/…`, `azure/tags`);
 * - src/cli/command-line.ts: the command table names `extdns webhook`, a
 *   command of ours, and reaches its wiring in src/provider/webhook;
 * - google's count includes src/provider/cloudflare: `google` is also a
 *   certificate authority Cloudflare offers (Google Trust Services).
 * A provider's environment variables are read in its folder
 * (src/provider/<name>/environment.ts) from ProviderDeps.env, and its own
 * metrics are registered through ProviderDescriptor.metrics.
 */
test('provider names: the rule splits identifiers and keys into words', () => {
  assert.deepEqual(words('pdnsServer'), ['pdns', 'server']);
  assert.deepEqual(words('AWS_CA_BUNDLE'), ['aws', 'ca', 'bundle']);
  assert.deepEqual(words('provider:webhook'), ['provider', 'webhook']);
  assert.deepEqual(words('createRFC2136Provider'), ['create', 'rfc2136', 'provider']);
  assert.deepEqual(providerFolders().filter((p) => PROVIDER_WORDS[p] === undefined), [], 'every provider folder has its words');
});

test('provider names: each provider is named in at most 4 files of src/ outside its folder', () => {
  const found = filesNamingProviders();
  for (const [provider, files] of found) {
    assert.ok(files.length <= MAX_FILES_NAMING,
      `${provider} is named in ${files.length} files outside src/provider/${provider} (at most ${MAX_FILES_NAMING}):\n  ${files.join('\n  ')}`);
  }
  assert.ok(found.get('pdns')?.includes('src/provider/table.ts'), 'the check sees the table');
});

/** Messages that may start lower case: a name written so (extdns, a --flag) or Go's own `config` line. */
const LOWER_CASE_START = /^(extdns\b|config$|--)/;

test('log messages: one casing (capitalised, as the Go ExternalDNS logs)', () => {
  const messages = logMessages();
  assert.ok(messages.length > 50, 'the scan finds the log calls');
  const lower = messages.filter((m) => /^[a-z]/.test(m.text) && !LOWER_CASE_START.test(m.text));
  assert.deepEqual(lower.map((m) => `${m.where}: ${m.text}`), []);
});

test('log messages: the provider tag is added once, by the wiring, not by a provider or a message', () => {
  const tagged = new RegExp(`^\\[?(${providerFolders().join('|')})\\]?:`, 'i');
  assert.deepEqual(logMessages().filter((m) => tagged.test(m.text)).map((m) => `${m.where}: ${m.text}`), []);
  const providerDir = join(import.meta.dirname, '..', '..', 'src', 'provider');
  const rebinding = readdirSync(providerDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => /\.child\(\{\s*provider:/.test(readFileSync(join(providerDir, f), 'utf8')));
  assert.deepEqual(rebinding, [], 'deps.logger already carries provider=<name> (src/cli/provider-wiring.ts)');
});

test('every test asserts something (directly, or through a helper of its file or a checking helper)', () => {
  const { seen, unasserted } = assertionFreeTests();
  assert.ok(seen > 500, `the scan sees the tests (${seen})`);
  assert.deepEqual(unasserted.map((t) => `${t.where}: ${t.name}`), []);
});
