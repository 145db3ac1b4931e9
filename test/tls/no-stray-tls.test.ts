/**
 * One HTTP/TLS factory: outside src/tls no module may set a CA, turn off
 * verification, or build its own agent, pool or client. Everything outgoing
 * gets its dispatcher / agent from src/tls, so trust is the same (and
 * reported, and reloaded) everywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

interface Rule {
  readonly what: string;
  readonly pattern: RegExp;
  /** Only when the file imports one of these modules. */
  readonly onlyWithImport?: RegExp;
  /** The one file allowed to match. */
  readonly exceptIn?: string;
}

// src/tls/undici-core.ts re-exports undici's Agent (loaded without undici's index): importing it counts too.
const HTTP_MODULES = /from\s+['"](?:undici|node:https|https|node:http|http|node:tls|tls|(?:\.\.?\/)+tls\/undici-core\.ts)['"]/;

const RULES: readonly Rule[] = [
  { what: 'sets a CA (ca:)', pattern: /(?<![\w.$-])['"]?ca['"]?\s*:/ },
  { what: 'sets rejectUnauthorized', pattern: /\brejectUnauthorized\b/ },
  // src/config/environment.ts alone reads it, only so the trust module can warn when it is "0".
  { what: 'reads or sets NODE_TLS_REJECT_UNAUTHORIZED', pattern: /NODE_TLS_REJECT_UNAUTHORIZED/, exceptIn: 'src/config/environment.ts' },
  { what: 'builds a SecureContext', pattern: /\bcreateSecureContext\s*\(/ },
  { what: 'replaces the global dispatcher', pattern: /\bsetGlobalDispatcher\s*\(/ },
  { what: 'constructs an https.Agent', pattern: /new\s+(?:https|http)\s*\.\s*Agent\s*\(/ },
  { what: 'constructs an undici/https Agent, Pool or Client', pattern: /new\s+(?:Agent|Pool|Client|BalancedPool|ProxyAgent|EnvHttpProxyAgent)\s*\(/, onlyWithImport: HTTP_MODULES },
];

/** Removes comments so prose about `ca:` or `rejectUnauthorized` does not count. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function violations(file: string, code: string): string[] {
  const clean = stripComments(code);
  const out: string[] = [];
  for (const rule of RULES) {
    if (rule.onlyWithImport !== undefined && !rule.onlyWithImport.test(clean)) continue;
    if (rule.exceptIn !== undefined && file.endsWith(rule.exceptIn)) continue;
    clean.split('\n').forEach((line, i) => {
      if (rule.pattern.test(line)) out.push(`${file}:${i + 1} ${rule.what}: ${line.trim()}`);
    });
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== join(SRC, 'tls')) out.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      out.push(path);
    }
  }
  return out;
}

test('no module outside src/tls sets a CA, disables verification or builds its own agent', () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 10, 'the scan sees the source tree');
  const found = files.flatMap((f) => violations(relative(ROOT, f), readFileSync(f, 'utf8')));
  assert.deepEqual(found, [], `get the dispatcher / https.Agent from src/tls (createTrustStore) instead:\n${found.join('\n')}`);
});

test('the scan catches each forbidden construct (and ignores comments and look-alikes)', () => {
  const bad = [
    "import { Agent } from 'undici';\nconst a = new Agent({ connect: {} });",
    "const d = { connect: { ca: pem } };",
    "const d = { 'ca': pem };",
    "https.request(u, { rejectUnauthorized: false });",
    "import https from 'node:https';\nconst a = new https.Agent({ keepAlive: true });",
    "import { Pool } from 'undici';\nnew Pool(origin);",
    "import { Client } from 'undici';\nnew Client(origin);",
    "tls.createSecureContext({});",
    "setGlobalDispatcher(x);",
  ];
  for (const code of bad) assert.equal(violations('x.ts', code).length, 1, code);
  const fine = [
    '// we never set ca: here, nor rejectUnauthorized',
    "const spec = { area: 1, 'rfc2136-ca': 2, pca: 3, data: 4 };",
    "import { Client } from './kube-client.ts';\nnew Client(config);",
    "const url = 'https://example.com'; // ca: in a comment",
  ];
  for (const code of fine) assert.deepEqual(violations('x.ts', code), [], code);
});
