/**
 * Cuts one list item's JSON bytes down to the fields a watch cache keeps
 * (`KeepShape`, derived from the cache's pruner) before JSON.parse sees them:
 * the fields nothing reads (a Pod's containers, its managedFields, most of its
 * status) are most of the bytes, and parsing them built objects and strings
 * only for the pruner to drop. Every byte is still checked here as JSON
 * (strings, escapes, numbers, literals, nesting, commas and colons), so a
 * body that JSON.parse would refuse is refused, with a SyntaxError, whether
 * the bad part sits in a kept field or a skipped one. What the shape selects
 * is what `pick` (src/source/prune.ts) would: in an object, only the named
 * fields; in an array, each element by the same shape; anything else whole.
 */
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, isBlank, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-bytes.ts';

/** `true` keeps a field whole; a nested shape keeps part of it (of each element of an array). */
export interface KeepShape {
  readonly [field: string]: true | KeepShape;
}

const MINUS = 0x2d;

/** Objects and arrays nest at most this deep (Go's encoding/json's limit; a Kubernetes object nests about 10). */
export const MAX_DEPTH = 10_000;
/**
 * Below this many levels of a shaped value (only arrays of arrays get there: a shape is a few levels deep), the
 * value is kept whole, walked without recursion, and left to JSON.parse and the pruner, as if nothing were skipped.
 */
const SHAPED_DEPTH = 32;

/** A byte that may follow a backslash in a JSON string (`u` checked apart). */
const ESCAPES = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPES[c.charCodeAt(0)] = 1;
/** A byte that stands for itself in a JSON string: not a quote, a backslash or a control character. */
const PLAIN = new Uint8Array(256).fill(1, 0x20);
PLAIN[0x22] = 0;
PLAIN[0x5c] = 0;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/** What a container being skipped allows next. */
const VALUE = 0;
const KEY = 1;
const COLON_NEXT = 2;
const AFTER = 3;
const VALUE_OR_CLOSE = 4;
const KEY_OR_CLOSE = 5;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

const EMPTY = Buffer.alloc(0);
/** Thrown inside the reader when the bytes end before the value does and more may come. */
const INCOMPLETE = new Error('incomplete');
/** How far past an index a check may look (a \uXXXX escape): an error this close to the end may be a cut, not bad JSON. */
const LOOKAHEAD = 6;

/** Where the output is written: a scratch buffer reused from item to item. */
class Out {
  buf = Buffer.allocUnsafe(64 * 1024);
  n = 0;

  reserve(len: number): void {
    if (this.n + len <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + len));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.n++] = c;
  }

  range(src: Buffer, from: number, to: number): void {
    this.reserve(to - from);
    this.n += src.copy(this.buf, this.n, from, to);
  }
}

export class KeptText {
  readonly #shape: KeepShape;
  readonly #out = new Out();
  #b: Buffer = EMPTY;
  #i = 0;
  /** Whether the bytes end where the body ends (else a value cut by their end is incomplete, not bad). */
  #final = true;
  /** Per open level of the container #skipContainer walks: 1 an object, 0 an array. */
  readonly #stack = new Uint8Array(MAX_DEPTH);
  /** How many levels #skipContainer has open, and what it may read next. */
  #depth = 0;
  #expect = VALUE;

  constructor(shape: KeepShape) {
    this.#shape = shape;
  }

  /** The text of `bytes` (one whole JSON value) with only what the shape keeps; throws a SyntaxError for bad JSON. */
  of(bytes: Buffer): string {
    const read = this.read(bytes, 0, true);
    if (read === undefined) throw new SyntaxError('an item that is not JSON');
    let end = read.end;
    while (end < bytes.length && isBlank(bytes[end] as number)) end++;
    if (end < bytes.length) throw new SyntaxError(`text after the end of an item (byte ${end})`);
    return read.text;
  }

  /**
   * The value that starts at `from` in `bytes` (blanks skipped): its text with only what the shape keeps, and
   * the index just past it. Undefined when `bytes` ends before the value does and more may come (`final` false);
   * a SyntaxError when the bytes are not JSON.
   */
  read(bytes: Buffer, from: number, final: boolean): { text: string; end: number } | undefined {
    this.#b = bytes;
    this.#final = final;
    const out = this.#out;
    out.n = 0;
    try {
      this.#i = this.#blanks(from);
      this.#shaped(this.#shape, 0);
      // A number that ends where the bytes do may go on in the next ones.
      if (!final && this.#i >= bytes.length) return undefined;
      return { text: out.buf.toString('utf8', 0, out.n), end: this.#i };
    } catch (err) {
      if (err === INCOMPLETE) return undefined;
      throw err;
    } finally {
      this.#b = EMPTY;
      // A scratch buffer grown by one huge item is not kept for the rest of the process.
      if (out.buf.length > 1024 * 1024) out.buf = Buffer.allocUnsafe(64 * 1024);
    }
  }

  /** A value at a shaped place: an object keeps the shape's fields, an array filters each element, anything else is copied. */
  #shaped(shape: KeepShape, depth: number): void {
    const c = this.#b[this.#i];
    if (depth >= SHAPED_DEPTH) this.#copy();
    else if (c === OPEN_BRACE) this.#object(shape, depth + 1);
    else if (c === OPEN_BRACKET) this.#array(shape, depth + 1);
    else this.#copy();
  }

  /** Copies an object's or array's opening; true (the closing copied too) when it is empty. */
  #emptyOpened(open: number, close: number): boolean {
    this.#out.byte(open);
    this.#i = this.#blanks(this.#i + 1);
    if (this.#b[this.#i] !== close) return false;
    this.#i++;
    this.#out.byte(close);
    return true;
  }

  #object(shape: KeepShape, depth: number): void {
    if (this.#emptyOpened(OPEN_BRACE, CLOSE_BRACE)) return;
    const b = this.#b;
    const out = this.#out;
    let first = true;
    for (;;) {
      if (b[this.#i] !== QUOTE) throw this.#error('expected a field name');
      const keyStart = this.#i;
      this.#i = this.#stringEnd(keyStart + 1);
      const keyEnd = this.#i;
      this.#i = this.#blanks(this.#i);
      if (b[this.#i] !== COLON) throw this.#error('expected a colon');
      this.#i++;
      this.#i = this.#blanks(this.#i);
      const key = this.#key(keyStart, keyEnd);
      const sub = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (sub === undefined) {
        this.#skip();
      } else {
        if (!first) out.byte(COMMA);
        first = false;
        out.range(b, keyStart, keyEnd);
        out.byte(COLON);
        if (sub === true) this.#copy();
        else this.#shaped(sub, depth);
      }
      if (this.#afterMember(CLOSE_BRACE)) break;
    }
    out.byte(CLOSE_BRACE);
  }

  #array(shape: KeepShape, depth: number): void {
    if (this.#emptyOpened(OPEN_BRACKET, CLOSE_BRACKET)) return;
    const out = this.#out;
    for (let first = true; ; first = false) {
      if (!first) out.byte(COMMA);
      this.#shaped(shape, depth);
      if (this.#afterMember(CLOSE_BRACKET)) break;
    }
    out.byte(CLOSE_BRACKET);
  }

  /** After a member or element: a comma (false) or the closing bracket (true, consumed). */
  #afterMember(close: number): boolean {
    this.#i = this.#blanks(this.#i);
    const c = this.#b[this.#i];
    this.#i++;
    if (c === close) return true;
    if (c !== COMMA) throw this.#error(close === CLOSE_BRACE ? 'expected a comma or }' : 'expected a comma or ]');
    this.#i = this.#blanks(this.#i);
    return false;
  }

  /** A field name as JSON.parse reads it (escapes decoded only when there are any). */
  #key(start: number, end: number): string {
    const raw = this.#b.toString('utf8', start + 1, end - 1);
    return raw.includes('\\') ? (JSON.parse(this.#b.toString('utf8', start, end)) as string) : raw;
  }

  #copy(): void {
    const from = this.#i;
    this.#skip();
    this.#out.range(this.#b, from, this.#i);
  }

  /** Reads past one whole value (checked as JSON, nothing built). */
  #skip(): void {
    const b = this.#b;
    const c = b[this.#i];
    if (c === QUOTE) this.#i = this.#stringEnd(this.#i + 1);
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#skipContainer();
    else this.#scalar();
  }

  /**
   * Reads past an object or array without recursion: #stack holds, per open level, whether it is an object (1)
   * or an array (0), and #expect what the grammar allows next.
   */
  #skipContainer(): void {
    const b = this.#b;
    const n = b.length;
    this.#depth = 0;
    this.#expect = VALUE;
    do {
      let i = this.#i;
      while (i < n && isBlank(b[i] as number)) i++;
      if (i >= n) throw this.#error('the item ended inside a value', i);
      this.#i = i;
      const c = b[i] as number;
      if (c === QUOTE) this.#skipString();
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#open(c);
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) this.#close(c);
      else if (c === COMMA || c === COLON) this.#separator(c);
      else this.#skipScalar();
    } while (this.#depth > 0);
  }

  /** A string in a container being skipped: a field name or a value. */
  #skipString(): void {
    const expect = this.#expect;
    if (expect === KEY || expect === KEY_OR_CLOSE) this.#expect = COLON_NEXT;
    else if (expect === VALUE || expect === VALUE_OR_CLOSE) this.#expect = AFTER;
    else throw this.#error(expect === COLON_NEXT ? 'expected a colon' : 'expected a comma or a closing bracket');
    this.#i = this.#stringEnd(this.#i + 1);
  }

  #open(c: number): void {
    if (this.#expect !== VALUE && this.#expect !== VALUE_OR_CLOSE) throw this.#error(this.#unexpected());
    if (this.#depth === MAX_DEPTH) throw this.#error(`objects and arrays nest deeper than ${MAX_DEPTH}`);
    const object = c === OPEN_BRACE;
    this.#stack[this.#depth++] = object ? 1 : 0;
    this.#expect = object ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
    this.#i++;
  }

  #close(c: number): void {
    const object = this.#stack[this.#depth - 1] === 1;
    const expect = this.#expect;
    const allowed = object ? c === CLOSE_BRACE && (expect === AFTER || expect === KEY_OR_CLOSE) : c === CLOSE_BRACKET && (expect === AFTER || expect === VALUE_OR_CLOSE);
    if (!allowed) throw this.#error(this.#unexpected());
    this.#depth--;
    this.#expect = AFTER;
    this.#i++;
  }

  #separator(c: number): void {
    if (c === COMMA && this.#expect === AFTER) this.#expect = this.#stack[this.#depth - 1] === 1 ? KEY : VALUE;
    else if (c === COLON && this.#expect === COLON_NEXT) this.#expect = VALUE;
    else throw this.#error(this.#unexpected());
    this.#i++;
  }

  #skipScalar(): void {
    if (this.#expect !== VALUE && this.#expect !== VALUE_OR_CLOSE) throw this.#error(this.#unexpected());
    this.#scalar();
    this.#expect = AFTER;
  }

  #unexpected(): string {
    return ['expected a value', 'expected a field name', 'expected a colon', 'expected a comma or a closing bracket',
      'expected a value or ]', 'expected a field name or }'][this.#expect] ?? 'unexpected byte';
  }

  /** Where the string whose first content byte is at `from` ends (just past its closing quote); checks escapes and control bytes. */
  #stringEnd(from: number): number {
    const b = this.#b;
    const n = b.length;
    let i = from;
    for (;;) {
      // Most of a list is string bytes: the tightest loop there is.
      while (i < n && PLAIN[b[i] as number] === 1) i++;
      if (i >= n) throw this.#error('the item ended inside a string', i);
      const c = b[i] as number;
      if (c === QUOTE) return i + 1;
      if (c !== BACKSLASH) throw this.#error('a control character in a string', i);
      i = this.#escapeEnd(i);
    }
  }

  /** Just past the escape at `i` (a backslash) in a string. */
  #escapeEnd(i: number): number {
    const b = this.#b;
    const e = b[i + 1] ?? 0;
    if (e !== 0x75) {
      if (ESCAPES[e] !== 1) throw this.#error('a bad escape in a string', i);
      return i + 2;
    }
    for (let k = 2; k < 6; k++) if (HEX[b[i + k] ?? 0] !== 1) throw this.#error('a bad \\u escape in a string', i);
    return i + 6;
  }

  /** A number, true, false or null. */
  #scalar(): void {
    const b = this.#b;
    const c = b[this.#i];
    if (c === 0x74) this.#word('true');
    else if (c === 0x66) this.#word('false');
    else if (c === 0x6e) this.#word('null');
    else if (c === MINUS || (c !== undefined && isDigit(c))) this.#number();
    else throw this.#error(c === undefined ? 'the item ended where a value was expected' : 'expected a value');
  }

  #word(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.#b[this.#i + k] !== word.charCodeAt(k)) throw this.#error('expected a value');
    }
    this.#i += word.length;
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  #number(): void {
    const b = this.#b;
    let i = this.#i;
    if (b[i] === MINUS) i++;
    if (b[i] === 0x30) i++;
    else i = this.#digits(i);
    if (b[i] === 0x2e) i = this.#digits(i + 1);
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === MINUS) i++;
      i = this.#digits(i);
    }
    this.#i = i;
  }

  /** One or more digits from `i`; returns the index after them. */
  #digits(from: number): number {
    const b = this.#b;
    let i = from;
    while (i < b.length && isDigit(b[i] as number)) i++;
    if (i === from) throw this.#error('a bad number', i);
    return i;
  }

  /** The index of the first non-blank byte from `from`. */
  #blanks(from: number): number {
    const b = this.#b;
    let i = from;
    while (i < b.length && isBlank(b[i] as number)) i++;
    return i;
  }

  /** Bad JSON at `at`, or (when more bytes may come and `at` is near the end) a value cut by the end of the bytes. */
  #error(message: string, at = this.#i): Error {
    if (!this.#final && at >= this.#b.length - LOOKAHEAD) return INCOMPLETE;
    return new SyntaxError(`${message} (byte ${at} of an item)`);
  }
}
