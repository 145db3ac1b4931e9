/**
 * A faithful subset of Go text/template, enough for the templates ExternalDNS
 * users write for --fqdn-template, --target-template and
 * --fqdn-target-template: text, `{{- -}}` trimming, comments, fields
 * (`.A.B`, `$`, `$x.A`), variables (`:=`, `=`), pipelines with `|`,
 * parenthesised pipelines, string/raw/number/bool/nil literals, `if` / `else
 * if` / `else`, `range` (with `$i, $v :=`, `break`, `continue`, `else`),
 * `with`, and the Go builtins and, or, not, eq, ne, lt, le, gt, ge, len,
 * index, print, printf, println plus the functions given by the caller.
 * Anything else (define, template, block, unknown functions) is a parse error.
 */

import { GoFloat, goFloatG } from '../util/go-format.ts';
import { goNumberLiteral, goSprintf, goTypeName } from './gofmt.ts';

export class TemplateSyntaxError extends Error {}
export class TemplateExecError extends Error {}

export type TemplateFunc = (...args: unknown[]) => unknown;

type Tok =
  | { t: 'field'; path: string[] }
  | { t: 'var'; name: string; path: string[] }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number | GoFloat }
  | { t: 'ident'; v: string }
  | { t: 'punct'; v: '(' | ')' | '|' | ':=' | '=' | ',' };

type Arg =
  | { k: 'lit'; v: unknown }
  | { k: 'field'; path: string[] }
  | { k: 'var'; name: string; path: string[] }
  | { k: 'fn'; name: string }
  | { k: 'pipe'; pipe: Pipe; path: string[] };
type Cmd = Arg[];
interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Cmd[];
}
type Node =
  | { n: 'text'; v: string }
  | { n: 'action'; pipe: Pipe }
  | { n: 'if' | 'with'; pipe: Pipe; body: Node[]; alt: Node[] }
  | { n: 'range'; pipe: Pipe; body: Node[]; alt: Node[] }
  | { n: 'break' | 'continue' };

const BUILTINS = new Set(['and', 'or', 'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'len', 'index', 'print', 'printf', 'println']);
const NO_VALUE = '<no value>';

// ---- lexing ------------------------------------------------------------------------------------

interface RawAction {
  text: string;
}
type Piece = string | RawAction;

function splitActions(src: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = src;
  for (let open = rest.indexOf('{{'); open !== -1; open = rest.indexOf('{{')) {
    let text = rest.slice(0, open);
    let inner = rest.slice(open + 2);
    // Go's trim markers: "{{- " and " -}}" with any ASCII space (space, tab, CR, LF) next to the dash.
    if (/^-[ \t\r\n]/.test(inner)) {
      text = text.replace(/[ \t\r\n]+$/, '');
      inner = inner.slice(1);
    }
    const close = closeOf(inner);
    if (close === -1) throw new TemplateSyntaxError('an action "{{" is not closed with "}}"');
    let body = inner.slice(0, close);
    rest = inner.slice(close + 2);
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -1);
      rest = rest.replace(/^[ \t\r\n]+/, '');
    }
    pieces.push(text, { text: body.trim() });
  }
  pieces.push(rest);
  return pieces;
}

/** Index of the closing "}}", skipping quoted strings. */
function closeOf(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === '`') {
      const end = c === '`' ? s.indexOf('`', i + 1) : endOfQuoted(s, i);
      if (end === -1) return -1;
      i = end;
    } else if (c === '}' && s[i + 1] === '}') return i;
  }
  return -1;
}

function endOfQuoted(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** Go's number literals: decimal, 0x/0o/0b and leading-0 octal, underscores, floats, hex floats, 'c' runes. */
const NUMBER = String.raw`[+-]?(?:0[xX][\da-fA-F_]*(?:\.[\da-fA-F_]*)?(?:[pP][+-]?[\d_]+)?|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?[\d_]+)?)|'(?:[^'\\]|\\.)+'`;
const TOKEN = new RegExp(String.raw`\s*(?:(\$[A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)|(${NUMBER})(?![\w.])|((?:\.[A-Za-z0-9_]+)+|\.)|("(?:[^"\\]|\\.)*")|(\`[^\`]*\`)|([A-Za-z_][A-Za-z0-9_]*)|(:=|[()|=,]))`, 'y');

function tokenize(action: string): Tok[] {
  const toks: Tok[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < action.length) {
    if (/^\s*$/.test(action.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(action);
    if (m === null) throw new TemplateSyntaxError(`unexpected "${action.slice(at).trim().slice(0, 20)}" in "{{ ${action} }}"`);
    const [, v, vpath, num, field, dq, raw, ident, punct] = m;
    if (v !== undefined) toks.push({ t: 'var', name: v, path: splitPath(vpath ?? '') });
    else if (field !== undefined) toks.push({ t: 'field', path: splitPath(field) });
    else if (dq !== undefined) toks.push({ t: 'str', v: JSON.parse(dq) as string });
    else if (raw !== undefined) toks.push({ t: 'str', v: raw.slice(1, -1) });
    else if (num !== undefined) toks.push({ t: 'num', v: numberToken(num) });
    else if (ident !== undefined) toks.push({ t: 'ident', v: ident });
    else toks.push({ t: 'punct', v: punct as '(' | ')' | '|' | ':=' | '=' | ',' });
  }
  return toks;
}

function numberToken(text: string): number | GoFloat {
  const v = goNumberLiteral(text);
  if (v === undefined) throw new TemplateSyntaxError(`bad number syntax: "${text}"`);
  return v;
}

function splitPath(p: string): string[] {
  return p.split('.').filter((s) => s !== '');
}

// ---- parsing -----------------------------------------------------------------------------------

class Parser {
  private readonly pieces: Piece[];
  private pos = 0;
  private readonly funcs: ReadonlySet<string>;
  private rangeDepth = 0;

  constructor(src: string, funcs: ReadonlySet<string>) {
    this.pieces = splitActions(src);
    this.funcs = funcs;
  }

  parse(): Node[] {
    const { nodes, end } = this.list();
    if (end !== undefined) throw new TemplateSyntaxError(`unexpected {{ ${end} }}`);
    return nodes;
  }

  /** Nodes up to an `end`/`else` keyword action (returned) or the end of input. */
  private list(): { nodes: Node[]; end?: string } {
    const nodes: Node[] = [];
    while (this.pos < this.pieces.length) {
      const piece = this.pieces[this.pos++];
      if (piece === undefined) break;
      if (typeof piece === 'string') {
        if (piece !== '') nodes.push({ n: 'text', v: piece });
        continue;
      }
      const text = piece.text;
      if (text.startsWith('/*')) {
        if (!text.endsWith('*/')) throw new TemplateSyntaxError('unclosed comment');
        continue;
      }
      const keyword = /^(end|else)\b/.exec(text)?.[1];
      if (keyword !== undefined) return { nodes, end: text };
      nodes.push(this.action(text));
    }
    return { nodes };
  }

  private action(text: string): Node {
    const word = /^(if|range|with|break|continue|define|template|block)\b/.exec(text)?.[1];
    if (word === 'define' || word === 'template' || word === 'block') throw new TemplateSyntaxError(`"${word}" is not supported`);
    if (word === 'break' || word === 'continue') {
      if (this.rangeDepth === 0 || text !== word) throw new TemplateSyntaxError(`{{ ${word} }} outside {{ range }}`);
      return { n: word };
    }
    if (word === undefined) return { n: 'action', pipe: this.pipe(text) };
    return this.control(word as 'if' | 'range' | 'with', text.slice(word.length));
  }

  private control(word: 'if' | 'range' | 'with', rest: string): Node {
    const pipe = this.pipe(rest);
    if (word === 'range') this.rangeDepth++;
    const body = this.list();
    if (word === 'range') this.rangeDepth--;
    let alt: Node[] = [];
    if (body.end === undefined) throw new TemplateSyntaxError(`{{ ${word} }} is not closed with {{ end }}`);
    if (body.end !== 'end') {
      const elseIf = /^else\s+(if|with)\b(.*)$/s.exec(body.end);
      if (elseIf !== null) alt = [this.control(elseIf[1] as 'if' | 'with', elseIf[2] ?? '')];
      else if (body.end === 'else') {
        const tail = this.list();
        if (tail.end !== 'end') throw new TemplateSyntaxError(`{{ ${word} }} ... {{ else }} is not closed with {{ end }}`);
        alt = tail.nodes;
      } else throw new TemplateSyntaxError(`unexpected {{ ${body.end} }}`);
    }
    return { n: word, pipe, body: body.nodes, alt };
  }

  private pipe(text: string): Pipe {
    const toks = tokenize(text);
    const result = this.pipeTokens(toks, 0, false);
    if (result.next !== toks.length) throw new TemplateSyntaxError(`unexpected ")" in "{{ ${text} }}"`);
    return result.pipe;
  }

  private pipeTokens(toks: Tok[], start: number, nested: boolean): { pipe: Pipe; next: number } {
    const head = declaration(toks, start);
    const cmds: Cmd[] = [[]];
    let i = head === undefined ? start : head.next;
    for (; i < toks.length; i++) {
      const tok = toks[i];
      if (tok === undefined || isPunct(tok, ')')) {
        if (!nested) throw new TemplateSyntaxError('unexpected ")"');
        break;
      }
      i = this.command(toks, i, cmds);
    }
    if (cmds.some((c) => c.length === 0)) throw new TemplateSyntaxError('empty command in pipeline');
    if (nested && toks[i] === undefined) throw new TemplateSyntaxError('unclosed "("');
    const pipe: Pipe = head === undefined ? { decl: [], assign: false, cmds } : { decl: head.names, assign: head.assign, cmds };
    return { pipe, next: i };
  }

  /** Adds the token at `i` to the pipeline's commands; returns the index of the last token it used. */
  private command(toks: Tok[], i: number, cmds: Cmd[]): number {
    const tok = toks[i];
    const cmd = cmds[cmds.length - 1];
    if (tok === undefined || cmd === undefined) return i;
    if (isPunct(tok, '|')) {
      if (cmd.length === 0) throw new TemplateSyntaxError('missing command before "|"');
      cmds.push([]);
      return i;
    }
    if (isPunct(tok, '(')) {
      const paren = this.parenthesized(toks, i);
      cmd.push(paren.arg);
      return paren.last;
    }
    cmd.push(this.operand(tok));
    return i;
  }

  /** `( pipeline )` starting at `open`, with an optional field chain after it: `(index .Items 0).Name`. */
  private parenthesized(toks: Tok[], open: number): { arg: Arg; last: number } {
    const inner = this.pipeTokens(toks, open + 1, true);
    if (toks[inner.next]?.t !== 'punct') throw new TemplateSyntaxError('unclosed "("');
    const after = toks[inner.next + 1];
    if (after?.t === 'field') return { arg: { k: 'pipe', pipe: inner.pipe, path: after.path }, last: inner.next + 1 };
    return { arg: { k: 'pipe', pipe: inner.pipe, path: [] }, last: inner.next };
  }

  private operand(tok: Tok): Arg {
    switch (tok.t) {
      case 'field':
        return { k: 'field', path: tok.path };
      case 'var':
        return { k: 'var', name: tok.name, path: tok.path };
      case 'str':
      case 'num':
        return { k: 'lit', v: tok.v };
      case 'ident':
        if (tok.v === 'true' || tok.v === 'false') return { k: 'lit', v: tok.v === 'true' };
        if (tok.v === 'nil') return { k: 'lit', v: null };
        if (!BUILTINS.has(tok.v) && !this.funcs.has(tok.v)) throw new TemplateSyntaxError(`function "${tok.v}" not defined`);
        return { k: 'fn', name: tok.v };
      default:
        throw new TemplateSyntaxError(`unexpected "${tok.v}"`);
    }
  }
}

function isPunct(tok: Tok, v: string): boolean {
  return tok.t === 'punct' && tok.v === v;
}

/** `$x :=`, `$x =` or `$i, $e :=` at the start of a pipeline. */
function declaration(toks: Tok[], i: number): { names: string[]; assign: boolean; next: number } | undefined {
  const a = toks[i];
  const b = toks[i + 1];
  if (a?.t !== 'var' || a.path.length > 0 || b === undefined) return undefined;
  if (isPunct(b, ':=') || isPunct(b, '=')) return { names: [a.name], assign: isPunct(b, '='), next: i + 2 };
  const c = toks[i + 2];
  const d = toks[i + 3];
  if (isPunct(b, ',') && c?.t === 'var' && d !== undefined && isPunct(d, ':=')) return { names: [a.name, c.name], assign: false, next: i + 4 };
  return undefined;
}

// ---- execution ---------------------------------------------------------------------------------

/** Field lookup: `lookup(value, "Name")`; undefined when absent. */
export type FieldLookup = (value: unknown, name: string) => unknown;

export interface CompiledGoTemplate {
  execute(data: unknown): string;
}

export function parseGoTemplate(src: string, funcs: Readonly<Record<string, TemplateFunc>>, lookup: FieldLookup): CompiledGoTemplate {
  const nodes = new Parser(src, new Set(Object.keys(funcs))).parse();
  return {
    execute: (data) => {
      const run = new Exec(funcs, lookup, data);
      const out: string[] = [];
      run.nodes(nodes, data, out);
      return out.join('');
    },
  };
}

/** `{{break}}` and `{{continue}}` unwind to the enclosing range as these (Go does the same with panics). */
class LoopControl extends Error {
  readonly kind: 'break' | 'continue';
  constructor(kind: 'break' | 'continue') {
    super(`{{${kind}}} outside range`);
    this.kind = kind;
  }
}
const BREAK = new LoopControl('break');
const CONTINUE = new LoopControl('continue');

class Exec {
  private readonly funcs: Readonly<Record<string, TemplateFunc>>;
  private readonly lookup: FieldLookup;
  private readonly vars: Array<[string, unknown]>;

  constructor(funcs: Readonly<Record<string, TemplateFunc>>, lookup: FieldLookup, root: unknown) {
    this.funcs = funcs;
    this.lookup = lookup;
    this.vars = [['$', root]];
  }

  nodes(list: readonly Node[], dot: unknown, out: string[]): void {
    const mark = this.vars.length;
    try {
      for (const node of list) this.node(node, dot, out);
    } finally {
      this.vars.length = mark;
    }
  }

  private node(node: Node, dot: unknown, out: string[]): void {
    switch (node.n) {
      case 'text':
        out.push(node.v);
        return;
      case 'action': {
        const v = this.pipe(node.pipe, dot);
        if (node.pipe.decl.length === 0) out.push(printValue(v));
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.pipe(node.pipe, dot);
        if (truthy(v)) this.nodes(node.body, node.n === 'with' ? v : dot, out);
        else this.nodes(node.alt, dot, out);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.range(node, dot, out);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private range(node: Extract<Node, { n: 'range' }>, dot: unknown, out: string[]): void {
    const decl = node.pipe.decl;
    const v = this.pipe({ ...node.pipe, decl: [] }, dot);
    const entries = rangeEntries(v);
    if (entries.length === 0) {
      this.nodes(node.alt, dot, out);
      return;
    }
    for (const [key, value] of entries) {
      const mark = this.vars.length;
      if (decl.length === 1) this.vars.push([decl[0] ?? '', value]);
      if (decl.length === 2) this.vars.push([decl[0] ?? '', key], [decl[1] ?? '', value]);
      try {
        this.nodes(node.body, value, out);
      } catch (e) {
        if (e === BREAK) break;
        if (e !== CONTINUE) throw e;
      } finally {
        this.vars.length = mark;
      }
    }
  }

  private pipe(pipe: Pipe, dot: unknown): unknown {
    let value: unknown;
    let piped = false;
    for (const cmd of pipe.cmds) {
      value = this.command(cmd, dot, piped ? [value] : []);
      piped = true;
    }
    const name = pipe.decl[0];
    if (name !== undefined && pipe.decl.length === 1) {
      if (pipe.assign) this.setVar(name, value);
      else this.vars.push([name, value]);
    }
    return value;
  }

  private command(cmd: Cmd, dot: unknown, piped: unknown[]): unknown {
    const [head, ...rest] = cmd;
    if (head === undefined) return undefined;
    if (head.k !== 'fn') {
      if (rest.length > 0 || piped.length > 0) throw new TemplateExecError(`can't give argument to non-function ${describe(head)}`);
      return this.arg(head, dot);
    }
    const fn = head.name;
    if (fn === 'and' || fn === 'or') return this.logic(fn, rest, dot, piped);
    const args = [...rest.map((a) => this.arg(a, dot)), ...piped];
    return this.call(fn, args);
  }

  private logic(fn: 'and' | 'or', rest: readonly Arg[], dot: unknown, piped: unknown[]): unknown {
    const thunks: Array<() => unknown> = [...rest.map((a) => () => this.arg(a, dot)), ...piped.map((p) => () => p)];
    if (thunks.length === 0) throw new TemplateExecError(`wrong number of args for ${fn}: want at least 1 got 0`);
    let v: unknown;
    for (const thunk of thunks) {
      v = thunk();
      if (fn === 'and' ? !truthy(v) : truthy(v)) return v;
    }
    return v;
  }

  private arg(a: Arg, dot: unknown): unknown {
    switch (a.k) {
      case 'lit':
        return a.v;
      case 'field':
        return this.walk(dot, a.path);
      case 'var':
        return this.walk(this.getVar(a.name), a.path);
      case 'pipe':
        return this.walk(this.pipe(a.pipe, dot), a.path);
      case 'fn':
        return this.call(a.name, []);
    }
  }

  private walk(value: unknown, path: readonly string[]): unknown {
    let v = value;
    for (const name of path) {
      if (v === undefined || v === null) throw new TemplateExecError(`nil pointer evaluating .${name}`);
      v = this.lookup(v, name);
    }
    return v;
  }

  private getVar(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const entry = this.vars[i];
      if (entry?.[0] === name) return entry[1];
    }
    throw new TemplateExecError(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const entry = this.vars[i];
      if (entry?.[0] === name) {
        entry[1] = value;
        return;
      }
    }
    throw new TemplateExecError(`undefined variable: ${name}`);
  }

  private call(fn: string, args: unknown[]): unknown {
    const custom = this.funcs[fn];
    if (custom !== undefined) {
      if (custom.length !== args.length) throw new TemplateExecError(`wrong number of args for ${fn}: want ${custom.length} got ${args.length}`);
      return custom(...args);
    }
    return builtin(fn, args);
  }
}

function describe(a: Arg): string {
  if (a.k === 'field') return `.${a.path.join('.')}`;
  if (a.k === 'var') return a.name;
  return JSON.stringify(a.k === 'lit' ? a.v : '(...)');
}

function builtin(fn: string, args: unknown[]): unknown {
  const [a, b] = args;
  switch (fn) {
    case 'not':
      return !truthy(a);
    case 'eq':
      if (args.length < 2) throw new TemplateExecError('missing argument for comparison');
      return args.slice(1).some((x) => equal(a, x));
    case 'ne':
      if (args.length !== 2) throw new TemplateExecError(`wrong number of args for ne: want 2 got ${args.length}`);
      return !equal(a, b);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return compare(fn, a, b);
    case 'len':
      return lengthOf(a);
    case 'index':
      return args.slice(1).reduce((v, k) => indexOf(v, k), a);
    case 'print':
      return args.map(printValue).join('');
    case 'println':
      return `${args.map(printValue).join(' ')}\n`;
    default:
      return goSprintf(printValue(a), args.slice(1), printValue);
  }
}

type Kind = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'other';

/** Go's basicKind; undefined (a missing map key) is the invalid value, null a nil or zero value. */
function kindOf(v: unknown): Kind {
  if (v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'string') return 'string';
  return 'other';
}

/** Go's eq for one pair: same basic kind compares values, different kinds are an error unless one is invalid. */
function equal(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) {
    if (ka === 'invalid' || kb === 'invalid') return false;
    throw incompatible(a, b);
  }
  if (ka === 'float') return (a as GoFloat).value === (b as GoFloat).value;
  if (ka !== 'other') return a === b;
  if (a === null || b === null) return a === b;
  throw new TemplateExecError(`non-comparable type ${printValue(b)}: ${goTypeName(b)}`);
}

function incompatible(a: unknown, b: unknown): TemplateExecError {
  return new TemplateExecError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (!['int', 'float', 'string'].includes(ka) || !['int', 'float', 'string'].includes(kb)) throw new TemplateExecError('invalid type for comparison');
  if (ka !== kb) throw incompatible(a, b);
  const x = a instanceof GoFloat ? a.value : (a as number | string);
  const y = b instanceof GoFloat ? b.value : (b as number | string);
  return op === 'lt' ? x < y : op === 'le' ? x <= y : op === 'gt' ? x > y : x >= y;
}

function lengthOf(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (v !== null && typeof v === 'object') return Object.keys(v).length;
  throw new TemplateExecError(`len of ${typeof v}`);
}

function indexOf(v: unknown, k: unknown): unknown {
  if (Array.isArray(v)) {
    if (typeof k !== 'number' || k < 0 || k >= v.length) throw new TemplateExecError(`index out of range: ${String(k)}`);
    return v[k] as unknown;
  }
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && typeof k === 'string') return Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : '';
  throw new TemplateExecError(`can't index item of type ${typeof v}`);
}

/** Objects that Go holds as maps; every other object is a struct (see markGoMap). */
const GO_MAPS = new WeakSet<object>();

/** Marks an object as a Go map: empty is false, a missing key is "<no value>". Other objects are structs. */
export function markGoMap<T extends object>(m: T): T {
  GO_MAPS.add(m);
  return m;
}

export function isGoMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null && GO_MAPS.has(v);
}

/** Go's truth: zero values and empty slices and maps are false; a struct is always true. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (v instanceof GoFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return !GO_MAPS.has(v) || Object.keys(v).length > 0;
  return true;
}

function rangeEntries(v: unknown): Array<[unknown, unknown]> {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x, i) => [i, x as unknown]);
  if (typeof v === 'number') return Array.from({ length: Math.max(0, v) }, (_x, i) => [i, i]);
  if (typeof v === 'object') return Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]);
  throw new TemplateExecError(`range can't iterate over ${printValue(v)}`);
}

/** Go's default formatting of a value (fmt %v). */
export function printValue(v: unknown): string {
  if (v === undefined) return NO_VALUE;
  // Absent struct fields read as null; Kubernetes' are mostly strings, whose zero value prints as "".
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof GoFloat) return goFloatG(v.value);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v).sort().map((k) => `${k}:${printValue((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return typeof v === 'bigint' || typeof v === 'symbol' ? v.toString() : '<nil>';
}
