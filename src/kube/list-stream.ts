/**
 * Reads a Kubernetes list body (`{"kind":…,"metadata":{…},"items":[{…},…]}`)
 * as it streams in, and hands each item to `onItem` as soon as its last byte
 * arrives. The whole body (tens of MB for 10,000 Pods, and a copy or two of
 * it while it is decoded and parsed) is never held at once: only the bytes of
 * the item being read are, and the caller can prune each item before the next
 * is parsed. Items are cut at byte level (tracking strings and nesting) and
 * each is decoded whole, so a UTF-8 character split between two network
 * reads decodes correctly. The other top-level fields are small and parsed
 * whole; `end()` returns them.
 */
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, isBlank, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-bytes.ts';
import { KeptText, type KeepShape } from './kept-text.ts';
import { objectTextWithoutManagedFields } from './managed-fields.ts';


/** A number, true, false or null ends at the first blank, comma or closing bracket. */
const endsLiteral = (c: number): boolean => isBlank(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET;

/** What the parser waits for at the level it reads values at (the top object, or the items array). */
type Expect = 'key' | 'colon' | 'value' | 'comma';

/** The bytes of one value being collected: a key, a field value or an item. */
interface Capture {
  readonly kind: 'key' | 'string' | 'scalar' | 'container';
  /** The nesting depth the value sits at. */
  readonly depth: number;
  /** Bytes from earlier chunks. */
  readonly parts: Uint8Array[];
  /** Where it starts in the current chunk (0 once it spans chunks). */
  start: number;
}

export class ListBodyParser {
  readonly #onItem: (item: unknown) => void;
  readonly #fields: Record<string, unknown> = {};
  #depth = 0;
  #inString = false;
  #escaped = false;
  #inItems = false;
  #done = false;
  #expect: Expect = 'value';
  #key = '';
  #capture: Capture | undefined;
  /** Bytes read so far, for error messages. */
  #offset = 0;

  readonly #dropManagedFields: boolean;
  readonly #kept: KeptText | undefined;
  /** The items array being read in keep mode. */
  #items: KeptItems | undefined;

  /**
   * `keep`: items are parsed with only these fields (kept-text.ts: the rest is checked as JSON, not parsed);
   * `dropManagedFields`: items are parsed without their metadata.managedFields (managed-fields.ts).
   */
  constructor(onItem: (item: unknown) => void, options: { dropManagedFields?: boolean; keep?: KeepShape | undefined } = {}) {
    this.#onItem = onItem;
    this.#dropManagedFields = options.dropManagedFields === true;
    this.#kept = options.keep === undefined ? undefined : new KeptText(options.keep);
  }

  push(chunk: Uint8Array): void {
    this.#feed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#offset += chunk.length;
  }

  /** The top-level fields other than `items`; throws when the body stopped before its end. */
  end(): Record<string, unknown> {
    while (this.#items !== undefined) {
      const rest = this.#items.finish();
      if (rest === undefined) break;
      this.#closeItems();
      this.#feed(rest);
    }
    if (!this.#done) throw this.#error('the list body ended before its last closing brace');
    return this.#fields;
  }

  /** Reads `bytes`: the items array through the KeptItems reader while it is open, the rest here. */
  #feed(bytes: Buffer): void {
    let rest = bytes;
    while (rest.length > 0) {
      if (this.#items !== undefined) {
        const after = this.#items.push(rest);
        if (after === undefined) return;
        this.#closeItems();
        rest = after;
      } else {
        rest = rest.subarray(this.#scan(rest));
      }
    }
  }

  /** Reads `chunk` byte by byte; returns where it stopped: its end, or just past an items array's opening bracket in keep mode. */
  #scan(chunk: Buffer): number {
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      if (this.#inString) {
        i = this.#stringEnd(chunk, i);
        if (i < n) this.#closeString(chunk, i);
        continue;
      }
      const cap = this.#capture;
      if (cap?.kind === 'container') {
        i = this.#container(chunk, i, cap);
      } else {
        this.#byte(chunk, i, chunk[i] as number);
        if (this.#items !== undefined) return i + 1;
      }
    }
    const cap = this.#capture;
    if (cap !== undefined) {
      cap.parts.push(chunk.subarray(cap.start));
      cap.start = 0;
    }
    return n;
  }

  #closeItems(): void {
    this.#items = undefined;
    this.#inItems = false;
    this.#depth = 1;
    this.#expect = 'comma';
  }

  /**
   * Where the string being read ends in `chunk` from `i` (its closing quote), or `chunk.length` when it goes on
   * into the next chunk. Most of a list is strings: they are searched natively for a quote, which is the end
   * unless an odd run of backslashes escapes it.
   */
  #stringEnd(chunk: Uint8Array, i: number): number {
    let from = i;
    if (this.#escaped) {
      this.#escaped = false;
      from++;
    }
    for (;;) {
      const q = chunk.indexOf(QUOTE, from);
      const end = q < 0 ? chunk.length : q;
      let run = 0;
      while (end - run - 1 >= from && chunk[end - run - 1] === BACKSLASH) run++;
      if (q < 0) {
        this.#escaped = run % 2 === 1;
        return chunk.length;
      }
      if (run % 2 === 0) return q;
      from = q + 1;
    }
  }

  /**
   * Inside a captured object or array (an item: most of the body) only strings and brackets matter until it
   * closes: a tight loop. Returns the last index it read.
   */
  #container(chunk: Uint8Array, from: number, cap: Capture): number {
    const n = chunk.length;
    let depth = this.#depth;
    for (let i = from; i < n; i++) {
      const c = chunk[i];
      if (c === QUOTE) {
        i = this.#stringEnd(chunk, i + 1);
        if (i >= n) {
          this.#inString = true;
          break;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === cap.depth) {
        this.#depth = depth;
        this.#finish(chunk, i + 1);
        return i;
      }
    }
    this.#depth = depth;
    return n;
  }

  #closeString(chunk: Uint8Array, i: number): void {
    this.#inString = false;
    const cap = this.#capture;
    if (cap !== undefined && (cap.kind === 'key' || cap.kind === 'string')) this.#finish(chunk, i + 1);
  }

  #byte(chunk: Uint8Array, i: number, c: number): void {
    if (this.#capture?.kind === 'scalar' && endsLiteral(c)) this.#finish(chunk, i);
    if (isBlank(c)) return;
    if (this.#done) throw this.#error('text after the end of the list');
    const slot = this.#capture === undefined && this.#depth === (this.#inItems ? 2 : 1);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#open(chunk, i, c, slot);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) this.#close(chunk, i);
    else if (c === QUOTE) this.#openString(chunk, i, slot);
    else if (slot) this.#punctuation(chunk, i, c);
    else if (this.#depth === 0) throw this.#error('a list body must be a JSON object');
  }

  #open(chunk: Uint8Array, i: number, c: number, slot: boolean): void {
    if (this.#depth === 0) {
      if (c !== OPEN_BRACE) throw this.#error('a list body must be a JSON object');
      this.#depth = 1;
      this.#expect = 'key';
      return;
    }
    if (slot) {
      this.#expectValue();
      if (this.#depth === 1 && this.#key === 'items' && c === OPEN_BRACKET) {
        this.#inItems = true;
        this.#depth = 2;
        this.#expect = 'value';
        if (this.#kept !== undefined) this.#items = new KeptItems(this.#kept, this.#onItem);
        return;
      }
      this.#capture = { kind: 'container', depth: this.#depth, parts: [], start: i };
    }
    this.#depth++;
  }

  #close(chunk: Uint8Array, i: number): void {
    if (this.#depth === 0) throw this.#error('unbalanced closing bracket');
    this.#depth--;
    const cap = this.#capture;
    if (cap?.kind === 'container' && cap.depth === this.#depth) {
      this.#finish(chunk, i + 1);
    } else if (this.#inItems && this.#depth === 1) {
      this.#inItems = false;
      this.#expect = 'comma';
    } else if (this.#depth === 0) {
      this.#done = true;
    }
  }

  #openString(chunk: Uint8Array, i: number, slot: boolean): void {
    this.#inString = true;
    if (!slot) return;
    if (this.#depth === 1 && this.#expect === 'key') {
      this.#capture = { kind: 'key', depth: 1, parts: [], start: i };
      return;
    }
    this.#expectValue();
    this.#capture = { kind: 'string', depth: this.#depth, parts: [], start: i };
  }

  /** A byte at the level values are read at that is neither a bracket nor a quote: `:`, `,` or the start of a literal. */
  #punctuation(chunk: Uint8Array, i: number, c: number): void {
    if (c === COLON && this.#expect === 'colon') {
      this.#expect = 'value';
    } else if (c === COMMA && this.#expect === 'comma') {
      this.#expect = this.#inItems ? 'value' : 'key';
    } else {
      this.#expectValue();
      this.#capture = { kind: 'scalar', depth: this.#depth, parts: [], start: i };
    }
  }

  #expectValue(): void {
    if (this.#expect !== 'value') throw this.#error(`expected ${this.#expect === 'key' ? 'a field name' : this.#expect === 'colon' ? 'a colon' : 'a comma'}`);
  }

  /** Ends the capture before `end` in `chunk` and delivers the value. */
  #finish(chunk: Uint8Array, end: number): void {
    const cap = this.#capture;
    if (cap === undefined) return;
    this.#capture = undefined;
    const tail = chunk.subarray(cap.start, end);
    const bytes = cap.parts.length === 0 ? tail : Buffer.concat([...cap.parts, tail]);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const value: unknown = JSON.parse(this.#itemText(cap, buffer));
    if (cap.kind === 'key') {
      this.#key = value as string;
      this.#expect = 'colon';
      return;
    }
    this.#expect = 'comma';
    if (this.#inItems) this.#onItem(value);
    else this.#fields[this.#key] = value;
  }

  /** The text JSON.parse reads for a captured value: an item cut down to what is kept, or the value whole. */
  #itemText(cap: Capture, buffer: Buffer): string {
    if (!this.#inItems || cap.kind !== 'container') return buffer.toString('utf8');
    return this.#dropManagedFields ? objectTextWithoutManagedFields(buffer) : buffer.toString('utf8');
  }

  #error(message: string): SyntaxError {
    return new SyntaxError(`${message} (near byte ${this.#offset})`);
  }
}

/** Bytes gathered before the items in them are read: an item cut by the end of a batch is read again with the next. */
const BATCH = 128 * 1024;

/**
 * The items array of a list in keep mode, from just past its opening bracket: each item is found, checked and cut
 * down in one pass (KeptText) over batches of the body, and handed on parsed.
 */
class KeptItems {
  readonly #kept: KeptText;
  readonly #onItem: (item: unknown) => void;
  /** The bytes not read yet, at the start of a buffer kept from batch to batch (no new memory for each). */
  #buf = Buffer.allocUnsafeSlow(2 * BATCH);
  #size = 0;
  /** Bytes to hold before the next read: a batch more than an item cut by the last one, and at least twice it (so a huge item is read again only a few times). */
  #wanted = BATCH;
  #expect: 'item or close' | 'item' | 'comma or close' = 'item or close';

  constructor(kept: KeptText, onItem: (item: unknown) => void) {
    this.#kept = kept;
    this.#onItem = onItem;
  }

  /** Takes the next bytes; returns those after the array's closing bracket once it is read. */
  push(bytes: Buffer): Buffer | undefined {
    if (this.#size + bytes.length > this.#buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.#buf.length, this.#size + bytes.length));
      this.#buf.copy(grown, 0, 0, this.#size);
      this.#buf = grown;
    }
    this.#size += bytes.copy(this.#buf, this.#size);
    return this.#size < this.#wanted ? undefined : this.#read(false);
  }

  /** At the end of the body: the bytes after the closing bracket, or undefined when the array never closed. */
  finish(): Buffer | undefined {
    return this.#read(true);
  }

  #read(final: boolean): Buffer | undefined {
    const b = this.#buf.subarray(0, this.#size);
    let i = 0;
    for (;;) {
      while (i < b.length && isBlank(b[i] as number)) i++;
      if (i >= b.length) break;
      const c = b[i] as number;
      // A copy: the buffer is read into again.
      if (c === CLOSE_BRACKET && this.#expect !== 'item') return Buffer.from(b.subarray(i + 1));
      if (this.#expect === 'comma or close') {
        if (c !== COMMA) throw new SyntaxError('expected a comma or ] between list items');
        this.#expect = 'item';
        i++;
        continue;
      }
      const item = this.#kept.read(b, i, final);
      if (item === undefined) break;
      i = item.end;
      this.#expect = 'comma or close';
      this.#onItem(JSON.parse(item.text));
    }
    this.#buf.copyWithin(0, i, this.#size);
    this.#size -= i;
    this.#wanted = Math.max(this.#size + BATCH, 2 * this.#size);
    // A buffer grown for one huge item is not kept for the rest of the list.
    if (this.#size <= BATCH && this.#buf.length > 4 * BATCH) this.#buf = Buffer.from(this.#buf.subarray(0, 2 * BATCH));
    return undefined;
  }
}
