/**
 * Go's value formatting where ExternalDNS's output depends on it: strconv.Quote
 * (logrus quotes field values with it, templates' %q) and the shortest 'g'
 * float format (fmt %v, logrus numbers).
 */

/** unicode.IsPrint minus the ASCII space, which Quote keeps too. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
  '"': '\\"', '\\': '\\\\',
};

/** strconv.Quote: a double-quoted Go string literal, printable runes kept as they are. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s.toWellFormed()) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (ch === ' ' || PRINTABLE.test(ch)) out += ch;
    else out += escapeRune(ch.codePointAt(0) ?? 0);
  }
  return `${out}"`;
}

function escapeRune(cp: number): string {
  if (cp < 0x80) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form below 1e-4 and from 1e6. */
export function goFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** A Go float64 in template data: printed and compared as Go does, unlike a JS number (an int). */
export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}
