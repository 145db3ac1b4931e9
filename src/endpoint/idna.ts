/**
 * DNS name normalisation for comparisons (ExternalDNS `idna.NormalizeDNSName`
 * and the domain filter's `normalizeDomain`): surrounding space and the
 * trailing dot removed, lower case, internationalised labels in their ASCII
 * (punycode) form. The planner keys its rows on this, so `Bücher.Example.`
 * and `xn--bcher-kva.example` are one name.
 *
 * Conversion runs label by label so that labels IDNA would refuse but DNS
 * allows (`*`, `_srv`, `_tcp`) pass through unchanged. Like Go's lookup profile
 * (`Transitional(true)`), ß becomes `ss`, final sigma becomes sigma, and the
 * zero-width joiners are dropped before encoding.
 */
import { domainToASCII, domainToUnicode } from 'node:url';

const ASCII_ONLY = /^[\x00-\x7f]*$/;
/** Already normal: printable ASCII without space or capitals, not ending in a dot. Checked first: no allocation. */
const ALREADY_NORMAL = /^[\x21-\x40\x5b-\x7e]*[\x21-\x2d\x2f-\x40\x5b-\x7e]$/;
const TRANSITIONAL = /[ßς\u200c\u200d]/g;
const TRANSITIONAL_MAP: Readonly<Record<string, string>> = { 'ß': 'ss', 'ς': 'σ', '\u200c': '', '\u200d': '' };

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function labelToAscii(label: string): string {
  if (ASCII_ONLY.test(label)) return label.toLowerCase();
  const mapped = label.replace(TRANSITIONAL, (c) => TRANSITIONAL_MAP[c] ?? c);
  const ascii = domainToASCII(mapped);
  // domainToASCII answers "" for a label IDNA refuses; keep the label (lower-cased) rather than lose the name.
  return ascii === '' ? mapped.toLowerCase() : ascii;
}

/** Canonical ASCII form of a DNS name, used as the planner's row key and by domain filters. */
export function normalizeDnsName(name: string): string {
  if (ALREADY_NORMAL.test(name)) return name;
  const trimmed = stripDot(name.trim());
  if (ASCII_ONLY.test(trimmed)) return trimmed.toLowerCase();
  return trimmed.split('.').map(labelToAscii).join('.');
}

function labelToUnicode(label: string): string {
  if (!label.startsWith('xn--')) return label;
  const unicode = domainToUnicode(label);
  return unicode === '' ? label : unicode;
}

/**
 * The Unicode form of a DNS name (lower case, no trailing dot), which is what
 * ExternalDNS runs `--regex-domain-filter` against.
 */
export function unicodeDnsName(name: string): string {
  const ascii = normalizeDnsName(name);
  return ascii.includes('xn--') ? ascii.split('.').map(labelToUnicode).join('.') : ascii;
}
