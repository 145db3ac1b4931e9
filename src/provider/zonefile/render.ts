/**
 * Presentation helpers for lines extdns writes: owner names relative to the
 * `$ORIGIN` in effect where the line goes, and the DNS name order used to
 * process zones deterministically.
 */
import { splitLabels } from './text.ts';

/** `@` for the origin, a relative name below it, an absolute name (trailing dot) elsewhere. `owner` is absolute. */
export function ownerText(owner: string, origin: string): string {
  const name = owner.endsWith('.') ? owner.slice(0, -1) : owner;
  if (name === origin) return '@';
  if (origin === '') return `${name}.`;
  if (name.endsWith(`.${origin}`)) return name.slice(0, -(origin.length + 1));
  return `${name}.`;
}

/** Compares names label by label from the right, so a name's children follow it. */
export function compareNames(a: string, b: string): number {
  const la = a === '' ? [] : splitLabels(a).reverse();
  const lb = b === '' ? [] : splitLabels(b).reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const x = la[i] ?? '';
    const y = lb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return la.length - lb.length;
}
