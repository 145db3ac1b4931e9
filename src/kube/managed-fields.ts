/**
 * Cuts `metadata.managedFields` out of one object's JSON bytes before they are
 * parsed. The API server's record of which client set which field is about
 * half of a Pod's JSON, and extdns reads none of it (as client-go informers
 * commonly drop it in a transform): not parsing it halves the CPU and garbage
 * of a first list. The cut is made only where `"managedFields":` is a key of
 * the object's top-level `metadata` (checked by walking the bytes before it);
 * otherwise the text is returned whole.
 */

const KEY = Buffer.from('"managedFields":');
const METADATA = Buffer.from('"metadata":');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The object's text, without its metadata.managedFields (and one adjacent comma) when it has one. */
export function objectTextWithoutManagedFields(bytes: Buffer): string {
  const at = bytes.indexOf(KEY);
  if (at < 0 || !isMetadataKey(bytes, at)) return bytes.toString('utf8');
  const valueEnd = endOfValue(bytes, at + KEY.length);
  if (valueEnd < 0) return bytes.toString('utf8');
  let from = at;
  let to = valueEnd;
  let before = from - 1;
  while (isBlank(bytes[before])) before--;
  if (bytes[before] === COMMA) {
    from = before;
  } else {
    let after = to;
    while (isBlank(bytes[after])) after++;
    if (bytes[after] === COMMA) to = after + 1;
  }
  return bytes.toString('utf8', 0, from) + bytes.toString('utf8', to);
}

/** Walks JSON bytes keeping track of strings and nesting. */
class Walk {
  depth = 0;
  inString = false;

  /** Reads the byte at `i`; returns the index of the last byte read (an escape reads two). */
  step(bytes: Buffer, i: number): number {
    const c = bytes[i];
    if (this.inString) {
      if (c === BACKSLASH) return i + 1;
      if (c === QUOTE) this.inString = false;
    } else if (c === QUOTE) {
      this.inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      this.depth--;
    }
    return i;
  }
}

/** Whether the key at `at` sits directly in the object's top-level `metadata` object (depth 2, outside strings). */
function isMetadataKey(bytes: Buffer, at: number): boolean {
  const walk = new Walk();
  let metadataOpen = -1;
  for (let i = 0; i < at; i++) {
    const depth = walk.depth;
    i = walk.step(bytes, i);
    if (depth === 1 && walk.depth === 2) metadataOpen = bytes[i] === OPEN_BRACE && follows(bytes, i, METADATA) ? i : -1;
  }
  return !walk.inString && walk.depth === 2 && metadataOpen >= 0;
}

/** Whether `word` ends just before `i` (blanks between allowed). */
function follows(bytes: Buffer, i: number, word: Buffer): boolean {
  let end = i;
  while (end > 0 && isBlank(bytes[end - 1])) end--;
  // A backslash before the quote would make it part of a longer key (`"a\"metadata":`).
  return end >= word.length && bytes.subarray(end - word.length, end).equals(word) && bytes[end - word.length - 1] !== BACKSLASH;
}

/** The index just past the JSON value (an array or object, as managedFields is) starting at or after `from`; -1 if none. */
function endOfValue(bytes: Buffer, from: number): number {
  let i = from;
  while (isBlank(bytes[i])) i++;
  if (bytes[i] !== OPEN_BRACKET && bytes[i] !== OPEN_BRACE) return -1;
  const walk = new Walk();
  for (; i < bytes.length; i++) {
    i = walk.step(bytes, i);
    if (walk.depth === 0 && !walk.inString) return i + 1;
  }
  return -1;
}
