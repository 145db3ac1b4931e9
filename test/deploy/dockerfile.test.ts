/**
 * The Dockerfile's invariants, checked as text (docker is not on the test
 * machines): multi-stage on Node 24, production dependencies only, the
 * sources the entry point needs, a numeric non-root user, and the same node
 * flags as bin/extdns. Also: every package the runtime code imports is a
 * production dependency, so `npm ci --omit=dev` is enough.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

interface Instruction { op: string; args: string }

/** Instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  return text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => { const [op = '', ...rest] = l.split(/\s+/); return { op: op.toUpperCase(), args: rest.join(' ') }; });
}

const all = instructions(dockerfile);
const args = new Map(all.filter((i) => i.op === 'ARG').map((i) => { const [k = '', v = ''] = i.args.split('='); return [k, v]; }));
const expand = (s: string): string => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args.get(a ?? b ?? '') ?? '');
const fromIndexes = all.flatMap((i, n) => (i.op === 'FROM' ? [n] : []));
const finalStage = all.slice(fromIndexes[fromIndexes.length - 1] ?? 0);

test('multi-stage, and the final stage runs on Node 24', () => {
  assert.ok(fromIndexes.length >= 2, 'at least two stages');
  const base = expand((finalStage[0]?.args ?? '').split(/\s+/)[0] ?? '');
  assert.match(base, /^(docker\.io\/(library\/)?)?node:24([.-]|$)|^gcr\.io\/distroless\/nodejs24/, `final base ${base}`);
});

test('dependencies: npm ci with --omit=dev from the lock file, never npm install', () => {
  const runs = all.filter((i) => i.op === 'RUN').map((i) => i.args);
  assert.ok(runs.some((r) => /\bnpm ci\b/.test(r) && /--omit=dev\b/.test(r)), 'npm ci --omit=dev');
  assert.ok(!runs.some((r) => /\bnpm (install|i)\b/.test(r)), 'no npm install');
  assert.ok(all.some((i) => i.op === 'COPY' && /package-lock\.json/.test(i.args)), 'the lock file is used');
  assert.ok(!finalStage.some((i) => i.op === 'RUN' && /\bnpm\b/.test(i.args)), 'nothing is installed in the final stage');
});

test('the final stage holds node_modules from the deps stage, package.json and the compiled dist/', () => {
  const copies = finalStage.filter((i) => i.op === 'COPY').map((i) => i.args);
  assert.ok(copies.some((c) => /^--from=\S+ \S*node_modules/.test(c)));
  assert.ok(copies.some((c) => /^package\.json\b/.test(c)));
  assert.ok(copies.some((c) => /^--from=\S+ \S*dist\b/.test(c)));
  const build = all.slice(0, fromIndexes[fromIndexes.length - 1]).filter((i) => i.op === 'RUN').map((i) => i.args);
  assert.ok(build.some((r) => /tsc -p tsconfig\.build\.json/.test(r)), 'a stage compiles with tsconfig.build.json');
});

test('the final stage sets the malloc settings bench/kube.ts measures the image with', async () => {
  const { IMAGE_MALLOC_ENV } = await import('../../bench/kube.ts');
  const env = finalStage.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
  for (const [key, value] of Object.entries(IMAGE_MALLOC_ENV)) assert.ok(env.split(/\s+/).includes(`${key}=${value}`), key);
});

test('runs as the numeric non-root user 65532', () => {
  const users = finalStage.filter((i) => i.op === 'USER').map((i) => i.args);
  const last = users[users.length - 1] ?? '';
  assert.match(last, /^65532(:65532)?$/, 'numeric, so runAsNonRoot can verify it');
  const userAt = finalStage.findIndex((i) => i.op === 'USER' && i.args === last);
  const entryAt = finalStage.findIndex((i) => i.op === 'ENTRYPOINT');
  assert.ok(userAt >= 0 && userAt < entryAt);
});

test('ENTRYPOINT runs the compiled main.js with the node flags of bin/extdns, in exec form', () => {
  const entry = finalStage.find((i) => i.op === 'ENTRYPOINT');
  const argv = JSON.parse(entry?.args ?? 'null') as string[];
  const wrapper = readFileSync(join(ROOT, 'bin', 'extdns'), 'utf8');
  const execLine = /exec node (.*) "\$here\/src\/cli\/main\.ts"/.exec(wrapper);
  assert.ok(execLine, 'bin/extdns execs node on src/cli/main.ts');
  const flags = (execLine[1] ?? '').split(/\s+/).filter((f) => f !== '');
  assert.deepEqual(argv, ['node', ...flags, 'dist/src/cli/main.js']);
  assert.ok(all.some((i) => i.op === 'EXPOSE' && i.args.split(/\s+/).includes('7979')));
});

test('.dockerignore keeps the context to package files and src/, without tests', () => {
  const rules = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(rules[0], '*');
  for (const keep of ['!package.json', '!package-lock.json', '!tsconfig.json', '!tsconfig.build.json', '!src']) assert.ok(rules.includes(keep), keep);
  assert.ok(rules.includes('**/*.test.ts'));
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

test('every package the runtime code imports is a production dependency', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const prod = new Set(Object.keys(pkg.dependencies ?? {}));
  const missing: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*import\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? '';
      if (spec.startsWith('.') || spec.startsWith('node:') || spec === '') continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
      if (!prod.has(name)) missing.push(`${relative(ROOT, file)}: ${spec}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('tsconfig.build.json compiles src/ into JavaScript that runs (what the image runs)', async () => {
  const { execFile } = await import('node:child_process');
  const { mkdtemp, rm, symlink } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { promisify } = await import('node:util');
  const run = promisify(execFile);
  const out = await mkdtemp(join(tmpdir(), 'extdns-build-'));
  try {
    await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out]);
    await symlink(join(ROOT, 'node_modules'), join(out, 'node_modules'));
    const main = join(out, 'src', 'cli', 'main.js');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal((await run(process.execPath, [main, 'version'])).stdout, `extdns ${pkg.version}\n`);
    const help = (await run(process.execPath, [main, '--help'])).stdout;
    assert.match(help, /--provider/);
    // The AWS SDK stays a lazy import in the compiled aws descriptor too.
    assert.match(readFileSync(join(out, 'src', 'provider', 'aws', 'descriptor.js'), 'utf8'), /await import\("\.\/index\.js"\)/);
    // And the Cloudflare SDK in the cloudflare descriptor.
    assert.match(readFileSync(join(out, 'src', 'provider', 'cloudflare', 'descriptor.js'), 'utf8'), /import\("\.\/sdk\.js"\)/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
