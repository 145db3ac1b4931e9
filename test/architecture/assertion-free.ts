/**
 * Tests whose body asserts nothing: a `test(…)`/`it(…)`/`t.test(…)` whose
 * function neither uses `assert` (node:assert, `t.assert`) nor calls a helper
 * that does. A helper counts when it is a function of the same file whose body
 * uses assert (followed through the file's own functions), or an imported name
 * that says it checks (assert…, expect…, check…, verify…, must…, conform…).
 *
 * Run it as a script to list them:
 *   bash scripts/node-env.sh node test/architecture/assertion-free.ts
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { tsFiles } from './source-files.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TEST_CALLS: ReadonlySet<string> = new Set(['test', 'it', 'run']); // run: the conformance suite's wrapper
const CHECKING_NAME = /^(assert|expect|check|verify|must|conform|rejects|throws)/i;
/** Imported helpers that assert though their names do not say so. */
const KNOWN_CHECKERS: ReadonlySet<string> = new Set([
  'runScenario', // test/scenarios/harness.ts: compares each scenario's endpoints, warnings and errors with its expectations
]);


function calleeName(call: ts.CallExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

/** `test('name', fn)` and the like: a test call whose first argument is its name. */
function isTestCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || !TEST_CALLS.has(calleeName(node))) return false;
  const first = node.arguments[0];
  return calleeName(node) !== 'run' || (first !== undefined && ts.isStringLiteralLike(first));
}

/** Names of the file's functions (declarations and `const f = (…) =>`) with their bodies. */
function localFunctions(source: ts.SourceFile): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name !== undefined && node.body !== undefined) out.set(node.name.text, node.body);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined
      && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      out.set(node.name.text, node.initializer.body);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function asserts(body: ts.Node, locals: Map<string, ts.Node>, seen: Set<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && (node.text === 'assert' || KNOWN_CHECKERS.has(node.text) || CHECKING_NAME.test(node.text) && !locals.has(node.text))) {
      found = true;
      return;
    }
    if (ts.isIdentifier(node) && locals.has(node.text) && !seen.has(node.text)) {
      seen.add(node.text);
      if (asserts(locals.get(node.text) as ts.Node, locals, seen)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

export interface Unasserted {
  where: string;
  name: string;
}

/** The tests seen, and those of them that assert nothing. */
export function assertionFreeTests(dirs: readonly string[] = ['src', 'test']): { seen: number; unasserted: Unasserted[] } {
  const out: Unasserted[] = [];
  let seen = 0;
  for (const file of dirs.flatMap((d) => tsFiles(join(ROOT, d), (name) => name.endsWith('.test.ts')))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const locals = localFunctions(source);
    const visit = (node: ts.Node): void => {
      if (isTestCall(node)) {
        const fn = node.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
        const nested = fn !== undefined && hasNestedTests(fn);
        if (fn !== undefined && !nested) seen++;
        if (fn !== undefined && !nested && !asserts(fn, locals, new Set())) {
          const first = node.arguments[0];
          out.push({
            where: `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`,
            name: first !== undefined && ts.isStringLiteralLike(first) ? first.text : first?.getText(source) ?? '',
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { seen, unasserted: out };
}

/** A test whose body only declares sub-tests is checked through them. */
function hasNestedTests(fn: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (node !== fn && isTestCall(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

if (import.meta.main) {
  const { seen, unasserted } = assertionFreeTests();
  process.stdout.write(`${seen} tests, ${unasserted.length} asserting nothing\n`);
  for (const t of unasserted) process.stdout.write(`${t.where}\t${t.name}\n`);
}
