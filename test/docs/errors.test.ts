import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allErrors, ERROR_MODULES, renderErrorsDoc } from '../../src/errors/catalog.ts';
import { PROVIDERS, SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';

const root = new URL('../../', import.meta.url).pathname;

function errorFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return errorFiles(path);
    return name === 'errors.ts' ? [path] : [];
  });
}

test('every errors.ts module is in the catalogue', () => {
  const listed = new Set([...ERROR_MODULES.map((m) => `src/${m.slice(3)}`), ...SUPPORTED_PROVIDERS.map((p) => `src/provider/${p}/errors.ts`)]);
  const found = errorFiles(join(root, 'src')).map((p) => relative(root, p)).filter((p) => p !== 'src/errors/errors.ts');
  for (const file of found) assert.ok(listed.has(file), `${file} declares errors but is missing from src/errors/catalog.ts`);
});

test('each provider descriptor names error codes of its own', async () => {
  const codes = new Set<string>((await allErrors()).map((s) => s.code));
  for (const p of SUPPORTED_PROVIDERS) {
    const own = Object.keys(PROVIDERS[p]?.errors ?? {});
    assert.ok(own.length > 0, `${p} declares no error codes`);
    for (const code of own) assert.ok(codes.has(code), `${code} of ${p} is missing from the catalogue`);
  }
});

test('docs/errors.md is up to date (run `npm run docs`)', async () => {
  const specs = await allErrors();
  assert.ok(specs.length > 20);
  for (const s of specs) assert.match(s.code, /^EXTDNS_[A-Z0-9_]+$/);
  assert.equal(readFileSync(join(root, 'docs/errors.md'), 'utf8'), renderErrorsDoc(specs), 'docs/errors.md is stale: run `npm run docs`');
});

test('each provider descriptor brings its flags into the one schema, marked as read by that provider', async () => {
  const { FLAGS } = await import('../../src/config/schema.ts');
  const all = new Set<unknown>(FLAGS);
  for (const p of SUPPORTED_PROVIDERS) {
    const flags = PROVIDERS[p]?.flags ?? [];
    assert.ok(flags.length > 0, `${p} declares no flags`);
    for (const f of flags) {
      assert.ok(all.has(f), `--${f.name} of ${p} is not in the config schema`);
      assert.ok(f.components.includes(`provider:${p}`), `--${f.name} is not marked provider:${p}`);
    }
  }
});
