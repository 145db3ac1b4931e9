/**
 * The ownership TXT value: labels serialized the way ExternalDNS writes them,
 * `"heritage=external-dns,external-dns/owner=…,external-dns/resource=…"`,
 * keys sorted, the encryption nonce label never written, and parsed back.
 */
import { LabelKey, type Labels } from '../../endpoint/endpoint.ts';
import { compareCodeUnits } from '../../util/compare.ts';

const HERITAGE = 'external-dns';

/** The label string, `heritage=external-dns` first, then `external-dns/<key>=<value>` by sorted key. */
export function serializeLabels(labels: Labels, options: { quoted: boolean }): string {
  const tokens = [`heritage=${HERITAGE}`];
  // Go sorts the keys by bytes: code-unit order for these ASCII keys.
  for (const key of Object.keys(labels).sort(compareCodeUnits)) {
    if (key === LabelKey.txtEncryptionNonce) continue;
    tokens.push(`${HERITAGE}/${key}=${labels[key] ?? ''}`);
  }
  const text = tokens.join(',');
  return options.quoted ? `"${text}"` : text;
}

/**
 * The labels of an ownership TXT value (surrounding quotes optional), or
 * undefined when the value is not one: no `heritage=external-dns` token, or a
 * heritage of something else. Tokens without `=` and keys outside the
 * `external-dns` namespace are ignored.
 */
export function parseLabels(value: string): Labels | undefined {
  const labels: Labels = {};
  let heritageFound = false;
  const { start: from, stop } = unquoted(value);
  let start = from;
  // Scanned in place, keys compared where they stand: records() parses every ownership TXT of every zone.
  while (start <= stop) {
    const comma = value.indexOf(',', start);
    const end = comma < 0 || comma > stop ? stop : comma;
    const eq = value.indexOf('=', start);
    const tokenStart = start;
    start = end + 1;
    if (eq < 0 || eq >= end) continue;
    if (eq - tokenStart === HERITAGE_KEY.length && value.startsWith(HERITAGE_KEY, tokenStart)) {
      if (eq + 1 + HERITAGE.length !== end || !value.startsWith(HERITAGE, eq + 1)) return undefined;
      heritageFound = true;
    } else if (value.startsWith(HERITAGE, tokenStart)) {
      labels[labelKey(value, tokenStart, eq)] = repeatedValue(value, eq + 1, end);
    }
  }
  return heritageFound ? labels : undefined;
}

const HERITAGE_KEY = 'heritage';
const NAMESPACE = `${HERITAGE}/`;
/** The keys ExternalDNS writes, as constants: a fresh key string per record would have to be interned again. */
const KNOWN_KEYS: readonly string[] = [LabelKey.owner, LabelKey.resource];

/** The label key of the token at value[from, eq): `external-dns/<key>` → `<key>`, any other `external-dns…` key as it is. */
function labelKey(value: string, from: number, eq: number): string {
  if (!value.startsWith(NAMESPACE, from)) return value.slice(from, eq);
  const keyStart = from + NAMESPACE.length;
  for (const known of KNOWN_KEYS) {
    if (eq - keyStart === known.length && value.startsWith(known, keyStart)) return known;
  }
  return value.slice(keyStart, eq);
}

/**
 * The label value at value[from, end), sharing the string of the previous
 * value when it is the same: every ownership TXT of a zone names the same
 * owner, and at a million TXTs a copy each is tens of megabytes kept live.
 */
function repeatedValue(value: string, from: number, end: number): string {
  if (end - from === lastValue.length && value.startsWith(lastValue, from)) return lastValue;
  const fresh = value.slice(from, end);
  // Only short values are worth keeping (a long one is a slice that shares the TXT's string anyway).
  if (fresh.length <= SHORT_VALUE) lastValue = fresh;
  return fresh;
}

/** Below V8's shortest sliced string (13): such a value is a fresh copy. */
const SHORT_VALUE = 12;
let lastValue = '';

/** Strips every leading and trailing double quote (as Go's strings.Trim does). */
export function trimQuotes(value: string): string {
  const { start, stop } = unquoted(value);
  return start === 0 && stop === value.length ? value : value.slice(start, stop);
}

/** Where the value is without its leading and trailing double quotes. */
function unquoted(value: string): { start: number; stop: number } {
  let start = 0;
  let stop = value.length;
  while (start < stop && value.charCodeAt(start) === QUOTE) start++;
  while (stop > start && value.charCodeAt(stop - 1) === QUOTE) stop--;
  return { start, stop };
}

const QUOTE = 0x22;

