/**
 * Splits RFC 1035 master-file text into logical lines of tokens. A logical
 * line ends at a newline outside parentheses; `;` starts a comment outside
 * quotes; `\` escapes the next character (kept in the token text, decoded
 * later by whoever knows what the token means).
 */

export interface Token {
  /** Text without surrounding quotes; escapes are left as written. */
  text: string;
  quoted: boolean;
  line: number;
}

export interface LogicalLine {
  /** Physical line where the logical line starts. */
  line: number;
  /** True when the physical line starts with a blank: the owner is the previous one. */
  blankStart: boolean;
  tokens: Token[];
}

/** A lexing problem at a given physical line; callers turn it into their own error. */
export class LexError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(message);
    this.name = 'LexError';
    this.line = line;
  }
}

const BLANK = new Set([' ', '\t', '\r']);

interface LexState {
  lines: LogicalLine[];
  current: LogicalLine | undefined;
  line: number;
  depth: number;
  openedAt: number;
  atLineStart: boolean;
}

export function lex(text: string): LogicalLine[] {
  const s: LexState = { lines: [], current: undefined, line: 1, depth: 0, openedAt: 0, atLineStart: true };
  let i = 0;
  while (i < text.length) {
    i = step(text, i, s);
  }
  if (s.depth > 0) throw new LexError(s.openedAt, 'parenthesis "(" is never closed');
  flush(s);
  return s.lines;
}

/** Consumes one lexical element starting at `i` and returns the next index. */
function step(text: string, i: number, s: LexState): number {
  const c = text.charAt(i);
  if (c === '\n') {
    s.line++;
    s.atLineStart = true;
    if (s.depth === 0) flush(s);
    return i + 1;
  }
  if (BLANK.has(c)) {
    if (s.atLineStart && s.depth === 0 && s.current === undefined) startLine(s, true);
    s.atLineStart = false;
    return i + 1;
  }
  s.atLineStart = false;
  if (c === ';') return skipComment(text, i);
  if (c === '(') {
    if (s.depth === 0) s.openedAt = s.line;
    s.depth++;
    return i + 1;
  }
  if (c === ')') {
    if (s.depth === 0) throw new LexError(s.line, 'parenthesis ")" without a matching "("');
    s.depth--;
    return i + 1;
  }
  if (c === '"') return readQuoted(text, i, s);
  return readPlain(text, i, s);
}

function startLine(s: LexState, blankStart: boolean): LogicalLine {
  s.current = { line: s.line, blankStart, tokens: [] };
  return s.current;
}

function flush(s: LexState): void {
  if (s.current !== undefined && s.current.tokens.length > 0) s.lines.push(s.current);
  s.current = undefined;
}

function push(s: LexState, token: Token): void {
  const target = s.current ?? startLine(s, false);
  target.tokens.push(token);
}

function skipComment(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return end === -1 ? text.length : end;
}

function readQuoted(text: string, start: number, s: LexState): number {
  let i = start + 1;
  let out = '';
  for (;;) {
    const c = text.charAt(i);
    if (i >= text.length || c === '\n') throw new LexError(s.line, 'quoted string is not closed before the end of the line');
    if (c === '"') break;
    if (c === '\\') {
      if (i + 1 >= text.length) throw new LexError(s.line, 'backslash at the end of the input');
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  push(s, { text: out, quoted: true, line: s.line });
  return i + 1;
}

const PLAIN_END = new Set([' ', '\t', '\r', '\n', ';', '(', ')', '"']);

function readPlain(text: string, start: number, s: LexState): number {
  let i = start;
  let out = '';
  while (i < text.length) {
    const c = text.charAt(i);
    if (PLAIN_END.has(c)) break;
    if (c === '\\') {
      if (i + 1 >= text.length || text.charAt(i + 1) === '\n') throw new LexError(s.line, 'backslash at the end of a line');
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  push(s, { text: out, quoted: false, line: s.line });
  return i;
}
