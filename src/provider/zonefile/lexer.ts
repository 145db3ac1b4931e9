/**
 * Splits RFC 1035 master-file text (a byte string, see ./text.ts) into
 * logical lines of tokens. A logical line ends at a newline outside
 * parentheses; `;` starts a comment outside quotes; `\` escapes the next
 * character (kept in the token text, decoded later by whoever knows what the
 * token means). Every token and line carries its offsets, so the zone can be
 * edited in place without touching the bytes around a change.
 */
import { drain, type Sliced } from '../../util/sliced.ts';

export interface Token {
  /** Text without surrounding quotes; escapes are left as written. */
  text: string;
  quoted: boolean;
  line: number;
  /** Offsets of the token in the text (quotes included). */
  start: number;
  end: number;
}

export interface LogicalLine {
  /** Physical line where the logical line starts. */
  line: number;
  /** True when the physical line starts with a blank: the owner is the previous one. */
  blankStart: boolean;
  tokens: Token[];
  /** Offset of the start of its first physical line. */
  start: number;
  /** Offset just past the newline that ends it (or the end of the text). */
  end: number;
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

const NL = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const SEMI = 59;
const OPEN = 40;
const CLOSE = 41;
const QUOTE = 34;
const BACKSLASH = 92;

interface LexState {
  text: string;
  onLine: (line: LogicalLine) => void;
  current: LogicalLine | undefined;
  line: number;
  lineStart: number;
  depth: number;
  openedAt: number;
  atLineStart: boolean;
}

export function lex(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  lexEach(text, (line) => lines.push(line));
  return lines;
}

/** Calls `onLine` for each logical line in order, holding only the current one (zones can hold millions). */
export function lexEach(text: string, onLine: (line: LogicalLine) => void): void {
  drain(lexSliced(text, onLine));
}

/** Text lexed between two yields of lexSliced (with the records it makes, a few milliseconds). */
export const LEX_SLICE_BYTES = 64 * 1024;

/** lexEach as a Sliced computation: yields after about every `sliceBytes` of text. */
export function* lexSliced(text: string, onLine: (line: LogicalLine) => void, sliceBytes = LEX_SLICE_BYTES): Sliced<void> {
  const s: LexState = { text, onLine, current: undefined, line: 1, lineStart: 0, depth: 0, openedAt: 0, atLineStart: true };
  let i = 0;
  let next = sliceBytes;
  while (i < text.length) {
    i = step(i, s);
    if (i >= next) {
      next = i + sliceBytes;
      yield;
    }
  }
  if (s.depth > 0) throw new LexError(s.openedAt, 'parenthesis "(" is never closed');
  flush(s, text.length);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

/** Consumes one lexical element starting at `i` and returns the next index. */
function step(i: number, s: LexState): number {
  const c = s.text.charCodeAt(i);
  if (c === NL) {
    s.line++;
    s.atLineStart = true;
    if (s.depth === 0) flush(s, i + 1);
    s.lineStart = i + 1;
    return i + 1;
  }
  if (isBlank(c)) {
    if (s.atLineStart && s.depth === 0 && s.current === undefined) startLine(s, true);
    s.atLineStart = false;
    return i + 1;
  }
  s.atLineStart = false;
  if (c === SEMI) {
    const end = s.text.indexOf('\n', i);
    return end === -1 ? s.text.length : end;
  }
  if (c === OPEN) {
    if (s.depth === 0) s.openedAt = s.line;
    s.depth++;
    return i + 1;
  }
  if (c === CLOSE) {
    if (s.depth === 0) throw new LexError(s.line, 'parenthesis ")" without a matching "("');
    s.depth--;
    return i + 1;
  }
  if (c === QUOTE) return readQuoted(i, s);
  return readPlain(i, s);
}

function startLine(s: LexState, blankStart: boolean): LogicalLine {
  s.current = { line: s.line, blankStart, tokens: [], start: s.lineStart, end: s.lineStart };
  return s.current;
}

function flush(s: LexState, end: number): void {
  if (s.current !== undefined && s.current.tokens.length > 0) {
    s.current.end = end;
    s.onLine(s.current);
  }
  s.current = undefined;
}

function push(s: LexState, token: Token): void {
  const target = s.current ?? startLine(s, false);
  target.tokens.push(token);
}

function readQuoted(start: number, s: LexState): number {
  const text = s.text;
  let i = start + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (i >= text.length || c === NL) throw new LexError(s.line, 'quoted string is not closed before the end of the line');
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      if (i + 1 >= text.length) throw new LexError(s.line, 'backslash at the end of the input');
      i += 2;
      continue;
    }
    i++;
  }
  push(s, { text: text.slice(start + 1, i), quoted: true, line: s.line, start, end: i + 1 });
  return i + 1;
}

function endsPlain(c: number): boolean {
  return isBlank(c) || c === NL || c === SEMI || c === OPEN || c === CLOSE || c === QUOTE;
}

function readPlain(start: number, s: LexState): number {
  const text = s.text;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (endsPlain(c)) break;
    if (c === BACKSLASH) {
      if (i + 1 >= text.length || text.charCodeAt(i + 1) === NL) throw new LexError(s.line, 'backslash at the end of a line');
      i += 2;
      continue;
    }
    i++;
  }
  push(s, { text: text.slice(start, i), quoted: false, line: s.line, start, end: i });
  return i;
}
