/**
 * JSON.parse for big request bodies, a slice at a time (./sliced.ts): one
 * JSON.parse of a 15 MB change set holds the event loop for a third of a
 * second. Objects and arrays larger than `small` are walked here; every
 * smaller value is handed to JSON.parse whole, so the result is JSON.parse's
 * (property-tested against it), keys such as `__proto__` included. Objects
 * and arrays walked here nest at most 1,000 deep (a webhook body nests 4):
 * deeper is a SyntaxError, never a stack overflow. Go's encoding/json stops
 * at 10,000; small values nest as deep as JSON.parse allows.
 */
import { SliceCounter, type Sliced } from './sliced.ts';

export interface JsonSliceOptions {
  /** Values up to this many characters are parsed by JSON.parse at once. */
  small?: number;
  /** Characters walked between two yields. */
  sliceChars?: number;
}

const SMALL = 16 * 1024;
const SLICE_CHARS = 64 * 1024;
const MAX_DEPTH = 1_000;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

interface Cursor {
  text: string;
  i: number;
  small: number;
  slice: SliceCounter;
  /** Where the characters not yet counted towards a slice start. */
  mark: number;
}

export function* parseJsonSliced(text: string, options: JsonSliceOptions = {}): Sliced<unknown> {
  const small = options.small ?? SMALL;
  if (text.length <= small) return JSON.parse(text) as unknown;
  const p: Cursor = { text, i: 0, small, slice: new SliceCounter(options.sliceChars ?? SLICE_CHARS), mark: 0 };
  skipBlanks(p);
  const value = yield* parseValue(p, 0);
  skipBlanks(p);
  if (p.i < text.length) throw syntaxError(p, 'unexpected text after the JSON value');
  return value;
}

function* parseValue(p: Cursor, depth: number): Sliced<unknown> {
  if (depth >= MAX_DEPTH) throw syntaxError(p, `nested deeper than ${MAX_DEPTH} levels`);
  const c = p.text.charCodeAt(p.i);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) return whole(p, scalarEnd(p));
  const end = containerEnd(p);
  if (end >= 0) return whole(p, end);
  return c === OPEN_BRACE ? yield* parseObject(p, depth) : yield* parseArray(p, depth);
}

function* parseObject(p: Cursor, depth: number): Sliced<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  p.i++;
  skipBlanks(p);
  if (p.text.charCodeAt(p.i) === CLOSE_BRACE) {
    p.i++;
    return out;
  }
  for (;;) {
    skipBlanks(p);
    if (p.text.charCodeAt(p.i) !== QUOTE) throw syntaxError(p, 'expected a quoted key');
    const key = whole(p, stringEnd(p)) as string;
    skipBlanks(p);
    expect(p, COLON);
    skipBlanks(p);
    // As JSON.parse: an own property even for `__proto__`, the last duplicate's value in the first one's place.
    Object.defineProperty(out, key, { value: yield* parseValue(p, depth + 1), writable: true, enumerable: true, configurable: true });
    if (p.slice.full(p.i - p.mark)) yield;
    p.mark = p.i;
    if (endOfMembers(p, CLOSE_BRACE)) return out;
  }
}

function* parseArray(p: Cursor, depth: number): Sliced<unknown[]> {
  const out: unknown[] = [];
  p.i++;
  skipBlanks(p);
  if (p.text.charCodeAt(p.i) === CLOSE_BRACKET) {
    p.i++;
    return out;
  }
  for (;;) {
    skipBlanks(p);
    out.push(yield* parseValue(p, depth + 1));
    if (p.slice.full(p.i - p.mark)) yield;
    p.mark = p.i;
    if (endOfMembers(p, CLOSE_BRACKET)) return out;
  }
}

/** After a member: true at the closing character (consumed), false after a comma. */
function endOfMembers(p: Cursor, close: number): boolean {
  skipBlanks(p);
  const c = p.text.charCodeAt(p.i);
  p.i++;
  if (c === close) return true;
  if (c === COMMA) return false;
  p.i--;
  throw syntaxError(p, `expected "," or "${String.fromCharCode(close)}"`);
}

/** JSON.parse of text[p.i, end); the cursor moves to `end`. */
function whole(p: Cursor, end: number): unknown {
  const value = JSON.parse(p.text.slice(p.i, end)) as unknown;
  p.i = end;
  return value;
}

/** Where the object or array at p.i ends, when that is within `small` characters; else -1 (walked member by member). */
function containerEnd(p: Cursor): number {
  const { text } = p;
  const limit = Math.min(text.length, p.i + p.small);
  let depth = 0;
  for (let i = p.i; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEndAt(text, i) - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

/** The end of the number, literal or string at p.i (JSON.parse judges what lies between). */
function scalarEnd(p: Cursor): number {
  const { text } = p;
  if (text.charCodeAt(p.i) === QUOTE) return stringEnd(p);
  let i = p.i;
  while (i < text.length && !isDelimiter(text.charCodeAt(i))) i++;
  if (i === p.i) throw syntaxError(p, 'expected a JSON value');
  return i;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COLON || isBlank(c) || c === QUOTE || c === OPEN_BRACE || c === OPEN_BRACKET;
}

function stringEnd(p: Cursor): number {
  const end = stringEndAt(p.text, p.i);
  if (end > p.text.length) throw syntaxError(p, 'unterminated string');
  return end;
}

/** Just past the closing quote of the string starting at `start` (past the text's end when unterminated). */
function stringEndAt(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    i += c === BACKSLASH ? 2 : 1;
  }
  return text.length + 1;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipBlanks(p: Cursor): void {
  while (p.i < p.text.length && isBlank(p.text.charCodeAt(p.i))) p.i++;
}

function expect(p: Cursor, c: number): void {
  if (p.text.charCodeAt(p.i) !== c) throw syntaxError(p, `expected "${String.fromCharCode(c)}"`);
  p.i++;
}

function syntaxError(p: Cursor, what: string): SyntaxError {
  return new SyntaxError(`${what} at position ${p.i}`);
}
