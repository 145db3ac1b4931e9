/**
 * Typed reads from parsed JSON with Go `encoding/json` leniency: a missing key
 * or `null` means "zero value", unknown keys are ignored, and a value of the
 * wrong type is an error that names its path (`create[3].recordTTL`).
 */
import { ExtdnsError } from '../errors/errors.ts';
import { EndpointErrors } from './errors.ts';

export type JsonObject = Readonly<Record<string, unknown>>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

export function wireError(path: string, want: string, got: unknown): ExtdnsError {
  return new ExtdnsError(EndpointErrors.EXTDNS_ENDPOINT_WIRE, `${path} must be ${want}, got ${describe(got)}`);
}

/** `path.key`, or just `key` at the top level (path ""). */
export function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) throw wireError(path, 'an object', value);
  return value;
}

export function readString(obj: JsonObject, key: string, path: string): string {
  const value = obj[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw wireError(at(path, key), 'a string', value);
  return value;
}

export function readInteger(obj: JsonObject, key: string, path: string): number {
  const value = obj[key];
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wireError(at(path, key), 'an integer', value);
  return value;
}

/** An array (or null/missing → []) whose items are read by `item`. */
export function readArray<T>(obj: JsonObject, key: string, path: string, item: (value: unknown, itemPath: string) => T): T[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw wireError(at(path, key), 'an array', value);
  return value.map((v: unknown, i) => item(v, `${at(path, key)}[${i}]`));
}

export function stringItem(value: unknown, path: string): string {
  if (typeof value !== 'string') throw wireError(path, 'a string', value);
  return value;
}

/** A string → string map; a `null` value reads as "" (Go's zero value). */
export function readStringMap(obj: JsonObject, key: string, path: string): Record<string, string> {
  const value = obj[key];
  if (value === undefined || value === null) return {};
  const map = readObject(value, at(path, key));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (v === null) out[k] = '';
    else if (typeof v === 'string') out[k] = v;
    else throw wireError(`${at(path, key)}.${k}`, 'a string', v);
  }
  return out;
}

/**
 * Go's encoding/json key folding (decode.go `foldName`): ASCII letters to
 * upper case, any other rune to the smallest rune of its Unicode simple-fold
 * orbit. For the ASCII field names of the webhook types only two non-ASCII
 * runes can matter: ſ (U+017F) folds with s, and the Kelvin sign (U+212A)
 * with k; every other rune keeps the key from matching, as in Go.
 */
export function foldName(key: string): string {
  let out = '';
  for (const ch of key) {
    if (ch === '\u017f') out += 'S';
    else if (ch === '\u212a') out += 'K';
    else out += ch.length === 1 && ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch;
  }
  return out;
}

/** The field names of one Go struct, exact and folded, for goFields. */
export interface FieldSet {
  readonly names: ReadonlySet<string>;
  readonly folded: ReadonlyMap<string, string>;
}

export function fieldSet(fields: readonly string[]): FieldSet {
  return { names: new Set(fields), folded: new Map(fields.map((f) => [foldName(f), f])) };
}

/**
 * `obj` with its keys mapped onto struct fields as Go's decoder maps them: an
 * exact match first, else a case-insensitive one (foldName); unknown keys
 * dropped. Two keys naming one field (`create` and `Create`) are refused:
 * Go lets the later overwrite the earlier, which hides half a change set.
 */
export function goFields(obj: JsonObject, fields: FieldSet, path: string): JsonObject {
  const out: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj)) {
    const field = fields.names.has(key) ? key : fields.folded.get(foldName(key));
    if (field === undefined) continue;
    const earlier = from[field];
    if (earlier !== undefined) {
      throw new ExtdnsError(EndpointErrors.EXTDNS_ENDPOINT_WIRE,
        `${path === '' ? 'the object' : path} has both "${earlier}" and "${key}", which name the same field ${field}; send it once`);
    }
    from[field] = key;
    out[field] = value;
  }
  return out;
}
