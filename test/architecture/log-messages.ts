/**
 * The log messages written in src/: every call `<…logger|log>.error|warn|info|debug|trace(message, …)`
 * whose message is a string or template literal, with where it is.
 *
 * Run it as a script to list them:
 *   bash scripts/node-env.sh node test/architecture/log-messages.ts
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { isProduct, tsFiles } from './source-files.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const LEVELS: ReadonlySet<string> = new Set(['error', 'warn', 'info', 'debug', 'trace']);

export interface LogMessage {
  /** `src/…/x.ts:LINE`. */
  where: string;
  /** The literal text (a template's head only). */
  text: string;
}


/** A receiver that is a logger: `logger`, `deps.logger`, `this.log`, `o.logger?.` … */
function isLogger(expr: ts.Expression): boolean {
  const name = ts.isIdentifier(expr) ? expr.text : ts.isPropertyAccessExpression(expr) ? expr.name.text : '';
  return /^#?(log|logger|[a-z]+Logger)$/.test(name);
}

function messageText(arg: ts.Expression | undefined): string | undefined {
  if (arg === undefined) return undefined;
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (ts.isTemplateExpression(arg)) return arg.head.text;
  return undefined;
}

export function logMessages(): LogMessage[] {
  const out: LogMessage[] = [];
  for (const file of tsFiles(join(ROOT, 'src'), isProduct)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
        && LEVELS.has(node.expression.name.text) && isLogger(node.expression.expression)) {
        const text = messageText(node.arguments[0]);
        if (text !== undefined) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          out.push({ where: `${relative(ROOT, file)}:${line}`, text });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

if (import.meta.main) {
  for (const m of logMessages()) process.stdout.write(`${m.where}\t${m.text}\n`);
}
