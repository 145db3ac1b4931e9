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

function isQuoted(s: string): boolean {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return false;
  // `"a" "b"` is quoted too; an unescaped quote inside must only separate strings.
  let inside = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && inside) {
      i++;
    } else if (c === '"') {
      inside = !inside;
    } else if (!inside && c !== ' ' && c !== '\t') {
      return false;
    }
  }
  return !inside;
}
