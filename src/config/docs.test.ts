import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderFlagsDoc } from './docs.ts';
import { renderHelp } from './help.ts';
import { FLAGS, GROUPS, envVarName } from './schema.ts';

const docPath = new URL('../../docs/flags.md', import.meta.url);

test('docs/flags.md is what the schema renders', () => {
  const onDisk = readFileSync(docPath, 'utf8');
  assert.ok(onDisk === renderFlagsDoc(), 'docs/flags.md is out of date with src/config/schema.ts: run `npm run docs`');
});

test('the flags doc lists every flag with its env var, by group', () => {
  const doc = renderFlagsDoc();
  for (const flag of FLAGS) {
    assert.ok(doc.includes(`--${flag.kind === 'bool' ? '[no-]' : ''}${flag.name}\``), flag.name);
    assert.ok(doc.includes(`\`${envVarName(flag.name)}\``), flag.name);
  }
  assert.ok(doc.includes('**extdns only**'));
  const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(headings, GROUPS.map((g) => g.name));
});

test('--help shows every flag under its group, wrapped to 100 columns', () => {
  const help = renderHelp();
  for (const flag of FLAGS) assert.match(help, new RegExp(`^  --(\\[no-\\])?${flag.name}(=|$)`, 'm'), flag.name);
  for (const group of GROUPS) assert.ok(help.includes(`${group.name}: `), group.name);
  assert.ok(help.split('\n').every((line) => line.length <= 100 || !line.includes(' ')));
  assert.match(help, /--policy=POLICY\n[^]*?\(required; one of: sync, upsert-only, create-only\)/);
});
