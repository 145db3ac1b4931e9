/**
 * --fqdn-template, a subset of Go text/template: literal text plus actions
 * that read a field of the object: `{{ .Name }}`, `{{ .Namespace }}`,
 * `{{ .Kind }}`, `{{ .Labels.app }}`, `{{ .Annotations.team }}`,
 * `{{ index .Labels "app.kubernetes.io/name" }}`, with an optional
 * `| toLower`. Several templates are joined with ","; the output is split on
 * ",", trimmed and stripped of trailing dots, as ExternalDNS does. Anything
 * else (conditionals, other functions) is refused at start-up.
 */
import { ExtdnsError } from '../errors/errors.ts';
import { SourceErrors } from './errors.ts';
import type { KubeObject } from './kube.ts';
import type { FqdnTemplate } from './translation.ts';

type Part = string | ((obj: KubeObject) => string);

const FIELD = /^\.(Name|Namespace|Kind)$/;
const MAP_FIELD = /^\.(Labels|Annotations)\.([A-Za-z0-9_]+)$/;
const INDEX = /^index\s+\.(Labels|Annotations)\s+"([^"]+)"$/;

/** Throws ExtdnsError for a template using syntax outside the subset. */
export function compileFqdnTemplate(templates: readonly string[]): FqdnTemplate | undefined {
  const text = templates.filter((t) => t !== '').join(',');
  if (text === '') return undefined;
  const parts: Part[] = [];
  let rest = text;
  for (let open = rest.indexOf('{{'); open !== -1; open = rest.indexOf('{{')) {
    const close = rest.indexOf('}}', open);
    if (close === -1) throw unsupported(text, 'an action "{{" is not closed with "}}"');
    parts.push(rest.slice(0, open), action(rest.slice(open + 2, close).trim(), text));
    rest = rest.slice(close + 2);
  }
  parts.push(rest);
  return {
    hostnames: (obj) =>
      parts
        .map((p) => (typeof p === 'string' ? p : p(obj)))
        .join('')
        .split(',')
        .map((h) => h.trim().replace(/\.$/, ''))
        .filter((h) => h !== ''),
  };
}

function action(source: string, text: string): (obj: KubeObject) => string {
  const [expr = '', ...pipes] = source.split('|').map((s) => s.trim());
  const read = reader(expr, text);
  for (const fn of pipes) if (fn !== 'toLower') throw unsupported(text, `function "${fn}" is not supported (only toLower)`);
  return pipes.length > 0 ? (obj) => read(obj).toLowerCase() : read;
}

function reader(expr: string, text: string): (obj: KubeObject) => string {
  const field = FIELD.exec(expr)?.[1];
  if (field === 'Name') return (obj) => obj.metadata.name;
  if (field === 'Namespace') return (obj) => obj.metadata.namespace ?? '';
  if (field === 'Kind') return (obj) => obj.kind;
  const m = MAP_FIELD.exec(expr) ?? INDEX.exec(expr);
  if (m !== null) {
    const [, map = '', key = ''] = m;
    return (obj) => (map === 'Labels' ? obj.metadata.labels : obj.metadata.annotations)?.[key] ?? '';
  }
  throw unsupported(text, `"{{ ${expr} }}" is not supported`);
}

function unsupported(text: string, problem: string): ExtdnsError {
  return new ExtdnsError(
    SourceErrors.EXTDNS_SOURCE_OPTION_INVALID,
    `--fqdn-template "${text}": ${problem}. extdns supports {{ .Name }}, {{ .Namespace }}, {{ .Kind }}, {{ .Labels.key }}, {{ .Annotations.key }}, {{ index .Labels "key" }} and "| toLower"`,
  );
}
