/**
 * What start-up must not load (issue 22, idle RSS): the modules a controller
 * always imports leave undici's index (fetch, WebSocket, mocks), node:crypto,
 * node:tls, node:zlib and the YAML library unloaded until a feature needs
 * them. Checked in a fresh Node process, since this one has loaded them all.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import test from 'node:test';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Imports `modules` in a fresh Node and returns which of the watched modules it then holds. */
function loadedAfterImporting(modules: readonly string[]): { builtins: string[]; files: string[] } {
  const script = `
    for (const m of ${JSON.stringify(modules.map((m) => join(SRC, m)))}) await import(m);
    const { createRequire } = await import('node:module');
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ builtins: process.moduleLoadList, files: cache }));`;
  const out = execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as { builtins: string[]; files: string[] };
}

test('the modules every controller loads take neither node:crypto, node:tls, node:zlib, undici nor the YAML library', () => {
  const loaded = loadedAfterImporting([
    'cli/build.ts', 'cli/trust-wiring.ts', 'cli/kube-wiring.ts', 'source/table.ts', 'registry/table.ts', 'kube/kubeconfig.ts', 'tls/spec.ts',
  ]);
  for (const builtin of ['NativeModule crypto', 'NativeModule tls', 'NativeModule zlib']) {
    assert.ok(!loaded.builtins.includes(builtin), `${builtin} is loaded at start-up`);
  }
  assert.deepEqual(loaded.files.filter((f) => /[/\\](?:undici|yaml)[/\\]/.test(f)), [], 'undici or the YAML library is loaded');
  // The list is the child's own: node:net, which src/config/validate.ts imports, is in it.
  assert.ok(loaded.builtins.includes('NativeModule net'));
});

test("the Kubernetes client and the trust agents load undici's Agent from its own file, not undici's index", () => {
  const loaded = loadedAfterImporting(['kube/client.ts', 'tls/agents.ts', 'provider/kit/http.ts']);
  assert.deepEqual(loaded.files.filter((f) => /[/\\]undici[/\\]index\.js$/.test(f)), [], "undici's index is loaded");
  assert.ok(loaded.files.some((f) => /[/\\]undici[/\\]lib[/\\]dispatcher[/\\]agent\.js$/.test(f)), "undici's Agent is not loaded");
});

test("undici-core's request is undici's request: origin, path with query, method, headers and body through the given dispatcher", async () => {
  const { Agent, request } = await import('../../src/tls/undici-core.ts');
  const seen: { method?: string | undefined; url?: string | undefined; body: string; header?: string | undefined } = { body: '' };
  const server = createServer((req, res) => {
    seen.method = req.method;
    seen.url = req.url;
    seen.header = req.headers['x-test'] as string | undefined;
    req.on('data', (d: Buffer) => { seen.body += d.toString(); });
    req.on('end', () => { res.end('answer'); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent();
  try {
    const { port } = server.address() as { port: number };
    const put = await request(`http://127.0.0.1:${port}/a/b?x=1&y=2`, { dispatcher: agent, headers: { 'x-test': 'yes' }, body: 'payload' });
    assert.equal(await put.body.text(), 'answer');
    assert.deepEqual(seen, { method: 'PUT', url: '/a/b?x=1&y=2', body: 'payload', header: 'yes' });
    const get = await request(new URL(`http://127.0.0.1:${port}/c`), { dispatcher: agent });
    assert.equal(get.statusCode, 200);
    await get.body.text();
    assert.equal(seen.method, 'GET');
    assert.equal(seen.url, '/c');
  } finally {
    await agent.close();
    server.close();
  }
});
