/**
 * Kubernetes label-selector syntax, as --label-filter and --annotation-filter
 * take it: comma-separated requirements `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x,y)`, `a` (exists), `!a` (does not exist). An empty selector
 * matches everything. `!=` and `notin` also match objects without the key,
 * as in Kubernetes.
 */
import { ExtdnsError } from '../errors/errors.ts';
import { SourceErrors } from './errors.ts';

export type SelectorOperator = 'exists' | 'notExists' | 'equals' | 'notEquals' | 'in' | 'notIn';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export interface Selector {
  readonly requirements: readonly Requirement[];
  isEmpty(): boolean;
  matches(set: Readonly<Record<string, string>> | undefined): boolean;
  /** The canonical text form (`a=b,c in (x,y)`). */
  toString(): string;
}

/** Parses `text`; `flag` names the option in error messages (e.g. `--label-filter`). */
export function parseSelector(text: string, flag = 'label selector'): Selector {
  const tokens = tokenize(text);
  const requirements: Requirement[] = [];
  const p = new Parser(tokens, text, flag);
  if (!p.atEnd()) {
    for (;;) {
      requirements.push(p.requirement());
      if (p.atEnd()) break;
      p.expect(',', 'a comma between requirements');
    }
  }
  return makeSelector(requirements);
}

/** A selector that matches everything. */
export const EVERYTHING: Selector = makeSelector([]);

/** Builds a selector from `key: value` equality pairs (a Service's spec.selector). */
export function selectorFromSet(set: Readonly<Record<string, string>>): Selector {
  return makeSelector(Object.keys(set).sort().map((key) => ({ key, operator: 'equals', values: [set[key] ?? ''] })));
}

function makeSelector(requirements: readonly Requirement[]): Selector {
  return {
    requirements,
    isEmpty: () => requirements.length === 0,
    matches: (set) => requirements.every((r) => matchRequirement(r, set ?? {})),
    toString: () => requirements.map(formatRequirement).join(','),
  };
}

function matchRequirement(r: Requirement, set: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(set, r.key);
  const value = set[r.key];
  switch (r.operator) {
    case 'exists':
      return has;
    case 'notExists':
      return !has;
    case 'equals':
    case 'in':
      return has && r.values.includes(value ?? '');
    case 'notEquals':
    case 'notIn':
      return !has || !r.values.includes(value ?? '');
  }
}

function formatRequirement(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case 'notExists':
      return `!${r.key}`;
    case 'equals':
      return `${r.key}=${r.values[0] ?? ''}`;
    case 'notEquals':
      return `${r.key}!=${r.values[0] ?? ''}`;
    case 'in':
      return `${r.key} in (${r.values.join(',')})`;
    case 'notIn':
      return `${r.key} notin (${r.values.join(',')})`;
  }
}

// ---- lexer ----------------------------------------------------------------

type TokenKind = 'word' | '!' | '=' | '==' | '!=' | '(' | ')' | ',';

interface Token {
  kind: TokenKind;
  text: string;
  /** Offset in the input, for error messages. */
  at: number;
}

const SYMBOLS: readonly TokenKind[] = ['!=', '==', '!', '=', '(', ')', ','];
const SEPARATORS = new Set(['!', '=', '(', ')', ',', ' ', '\t', '\n', '\r']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol !== undefined) {
      tokens.push({ kind: symbol, text: symbol, at: i });
      i += symbol.length;
      continue;
    }
    const start = i;
    while (i < text.length && !SEPARATORS.has(text.charAt(i))) i++;
    tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
  }
  return tokens;
}

// ---- parser ---------------------------------------------------------------

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

class Parser {
  readonly #tokens: Token[];
  readonly #text: string;
  readonly #flag: string;
  #pos = 0;

  constructor(tokens: Token[], text: string, flag: string) {
    this.#tokens = tokens;
    this.#text = text;
    this.#flag = flag;
  }

  atEnd(): boolean {
    return this.#pos >= this.#tokens.length;
  }

  requirement(): Requirement {
    if (this.#peek()?.kind === '!') {
      this.#pos++;
      return { key: this.#key(), operator: 'notExists', values: [] };
    }
    const key = this.#key();
    const next = this.#peek();
    if (next === undefined || next.kind === ',') return { key, operator: 'exists', values: [] };
    if (next.kind === '=' || next.kind === '==' || next.kind === '!=') {
      this.#pos++;
      return { key, operator: next.kind === '!=' ? 'notEquals' : 'equals', values: [this.#value()] };
    }
    if (next.kind === 'word' && (next.text === 'in' || next.text === 'notin')) {
      this.#pos++;
      return { key, operator: next.text === 'in' ? 'in' : 'notIn', values: this.#valueList() };
    }
    throw this.#fail(next, `unexpected "${next.text}" after key "${key}"; use =, ==, !=, in (...) or notin (...)`);
  }

  expect(kind: TokenKind, what: string): void {
    const t = this.#peek();
    if (t?.kind !== kind) throw this.#fail(t, `expected ${what}`);
    this.#pos++;
  }

  #key(): string {
    const t = this.#peek();
    if (t?.kind !== 'word') throw this.#fail(t, 'expected a key');
    this.#pos++;
    if (!validKey(t.text)) {
      throw this.#fail(t, `"${t.text}" is not a valid key (an optional DNS-subdomain prefix and "/", then a name of letters, digits, "-", "_", "." up to 63 characters)`);
    }
    return t.text;
  }

  #value(): string {
    const t = this.#peek();
    // `a=` (empty value) is allowed, as in Kubernetes.
    if (t === undefined || t.kind === ',' || t.kind === ')') return '';
    if (t.kind !== 'word') throw this.#fail(t, 'expected a value');
    this.#pos++;
    if (!NAME.test(t.text)) {
      throw this.#fail(t, `"${t.text}" is not a valid value (letters, digits, "-", "_", "." up to 63 characters, starting and ending with a letter or digit)`);
    }
    return t.text;
  }

  #valueList(): string[] {
    this.expect('(', '"(" to open the value list, e.g. "env in (prod,staging)"');
    const values: string[] = [];
    for (;;) {
      values.push(this.#value());
      const t = this.#peek();
      if (t?.kind === ')') break;
      this.expect(',', 'a comma or ")" in the value list');
    }
    this.#pos++;
    return values;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#pos];
  }

  #fail(at: Token | undefined, problem: string): ExtdnsError {
    const where = at === undefined ? 'at the end' : `at position ${at.at + 1}`;
    return new ExtdnsError(
      SourceErrors.EXTDNS_SOURCE_SELECTOR_INVALID,
      `${this.#flag} "${this.#text}": ${problem} (${where}). Example of valid syntax: "app=web,tier!=cache,env in (prod,staging),!legacy"`,
    );
  }
}

function validKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash === -1) return NAME.test(key);
  const prefix = key.slice(0, slash);
  const name = key.slice(slash + 1);
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && NAME.test(name);
}
