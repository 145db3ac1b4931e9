/**
 * Syntax check of Kubernetes label selectors (`a=b,c!=d,e in (x,y),!f`), as
 * --label-filter, --annotation-filter and --gateway-label-filter take them.
 * Only says whether the text parses, and why not; matching is the sources' job.
 */

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface SelectorOptions {
  /** `key>1` / `key<1` are label-only; annotation filters reject them (metav1.ParseToLabelSelector). */
  readonly allowNumericComparison: boolean;
}

/** A reason the selector does not parse, or undefined when it does. An empty selector selects everything. */
export function selectorProblem(text: string, options: SelectorOptions): string | undefined {
  if (text.trim() === '') return undefined;
  for (const requirement of splitRequirements(text)) {
    const problem = requirementProblem(requirement.trim(), options);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const SET = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/;
const EQUALITY = /^([^=!<>\s]+)\s*(==|=|!=)\s*(\S*)$/;
const COMPARISON = /^([^=!<>\s]+)\s*(<|>)\s*(\S+)$/;
const EXISTS = /^!?\s*([^=!<>\s()]+)$/;

function requirementProblem(req: string, options: SelectorOptions): string | undefined {
  if (req === '') return 'it has an empty requirement (two commas in a row, or a comma at an end)';
  const set = SET.exec(req);
  if (set !== null) return setProblem(req, set);
  const eq = EQUALITY.exec(req);
  if (eq !== null) return keyProblem(eq[1] ?? '') ?? valueProblem(eq[3] ?? '');
  const cmp = COMPARISON.exec(req);
  if (cmp !== null) return comparisonProblem(req, cmp, options);
  const exists = EXISTS.exec(req);
  if (exists !== null) return keyProblem(exists[1] ?? '');
  return `'${req}' is not a requirement (write key, !key, key=value, key!=value, key in (a,b) or key notin (a,b))`;
}

function setProblem(req: string, set: RegExpExecArray): string | undefined {
  const values = (set[3] ?? '').split(',').map((v) => v.trim());
  if (values.length === 1 && values[0] === '') return `'${req}': the value list of '${set[2] ?? ''}' is empty`;
  return keyProblem(set[1] ?? '') ?? firstProblem(values.map(valueProblem));
}

function comparisonProblem(req: string, cmp: RegExpExecArray, options: SelectorOptions): string | undefined {
  if (!options.allowNumericComparison) return `'${req}': '${cmp[2] ?? ''}' is not allowed here`;
  if (!/^-?\d+$/.test(cmp[3] ?? '')) return `'${req}': '${cmp[2] ?? ''}' needs a whole number`;
  return keyProblem(cmp[1] ?? '');
}

function firstProblem(problems: readonly (string | undefined)[]): string | undefined {
  return problems.find((p) => p !== undefined);
}

/** A qualified name: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `key '${key}': the prefix before '/' must be a lower-case DNS name`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return `key '${key}': the name must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return `value '${value}': must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}
