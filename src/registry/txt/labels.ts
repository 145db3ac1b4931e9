/**
 * The ownership TXT value: labels serialized the way ExternalDNS writes them,
 * `"heritage=external-dns,external-dns/owner=…,external-dns/resource=…"`,
 * keys sorted, the encryption nonce label never written, and parsed back.
 */
import { LabelKey, type Labels } from '../../endpoint/endpoint.ts';

const HERITAGE = 'external-dns';

/** The label string, `heritage=external-dns` first, then `external-dns/<key>=<value>` by sorted key. */
export function serializeLabels(labels: Labels, options: { quoted: boolean }): string {
  const tokens = [`heritage=${HERITAGE}`];
  for (const key of Object.keys(labels).sort(compareBytes)) {
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
  const text = trimQuotes(value);
  // Scanned in place rather than split: records() parses every ownership TXT of every zone.
  for (let start = 0; start <= text.length;) {
    const comma = text.indexOf(',', start);
    const end = comma < 0 ? text.length : comma;
    const eq = text.indexOf('=', start);
    const tokenStart = start;
    start = end + 1;
    if (eq < 0 || eq >= end) continue;
    const key = text.slice(tokenStart, eq);
    const val = text.slice(eq + 1, end);
    if (key === 'heritage') {
      if (val !== HERITAGE) return undefined;
      heritageFound = true;
    } else if (key.startsWith(HERITAGE)) {
      labels[key.startsWith(`${HERITAGE}/`) ? key.slice(HERITAGE.length + 1) : key] = val;
    }
  }
  return heritageFound ? labels : undefined;
}

/** Strips every leading and trailing double quote (as Go's strings.Trim does). */
export function trimQuotes(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === QUOTE) start++;
  while (end > start && value.charCodeAt(end - 1) === QUOTE) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

const QUOTE = 0x22;

/** Go sorts strings by bytes; for the ASCII label keys in use this is code-unit order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
