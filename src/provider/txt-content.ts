/**
 * TXT values in presentation form, shared by the providers whose APIs take
 * record content as text (PowerDNS, Route53): one or more quoted strings.
 */

/**
 * TXT content as one or more quoted strings. Content that already is quoted
 * (the TXT registry writes it so) is kept as it is.
 */
export function quoteTxt(target: string): string {
  if (isQuoted(target)) return target;
  return `"${target.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;

function isQuoted(s: string): boolean {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return false;
  // `"a" "b"` is quoted too; an unescaped quote inside must only separate strings.
  // Char codes rather than one-character strings: ownership TXTs are long and a first sync checks thousands.
  let inside = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && inside) {
      i++;
    } else if (c === QUOTE) {
      inside = !inside;
    } else if (!inside && c !== SPACE && c !== TAB) {
      return false;
    }
  }
  return !inside;
}
