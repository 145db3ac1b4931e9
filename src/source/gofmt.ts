/**
 * Go's fmt.Sprintf for template values (`printf` in --fqdn-template etc.):
 * flags `+ - # 0` and space, width and precision (also `*`), and the verbs
 * v s q d x X o O b c e E f F g G t T %, with Go's `%!verb(type=value)`,
 * `%!verb(MISSING)` and `%!(EXTRA …)` for mismatches. Values are the
 * template's: strings, ints (JS numbers), GoFloat, booleans, nil, slices and maps.
 */
import { GoFloat, goFloatG, goQuote } from '../util/go-format.ts';

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

type Print = (v: unknown) => string;

/** Go's type name of a template value, for %T and the bad-verb notes. */
export function goTypeName(v: unknown): string {
  if (v instanceof GoFloat) return 'float64';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/**
 * A number literal's value as Go's template parser types it: an int unless the
 * text is a float (a '.', an exponent, not hex) or does not fit an int.
 */
export function goNumberLiteral(text: string): number | GoFloat | undefined {
  const rune = /^'(.+)'$/s.exec(text)?.[1];
  if (rune !== undefined) return runeValue(rune);
  const clean = text.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  const hexFloat = /^0[xX]([\da-fA-F]*)(?:\.([\da-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
  const value = hexFloat === null ? unsignedValue(body) : hexFloatValue(hexFloat);
  if (Number.isNaN(value)) return undefined;
  const isFloat = hexFloat !== null || (!/^0[xX]/.test(body) && /[.eE]/.test(body));
  return isFloat || !Number.isSafeInteger(value) ? new GoFloat(sign * value) : sign * value;
}

function hexFloatValue([, whole = '', frac = '', exp = '0']: RegExpExecArray): number {
  return parseInt(`${whole}${frac}` || '0', 16) / 16 ** frac.length * 2 ** Number(exp);
}

function unsignedValue(body: string): number {
  if (/^0[xXbBoO]/.test(body)) return Number(body.replace(/^0[oO]/, '0o').toLowerCase());
  if (/^0\d+$/.test(body)) return /^0[0-7]+$/.test(body) ? parseInt(body, 8) : NaN;
  return Number(body);
}

function runeValue(inner: string): number | undefined {
  const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'" };
  const decoded = inner.startsWith('\\') ? escapes[inner.slice(1)] : inner;
  if (decoded === undefined || Array.from(decoded).length !== 1) return undefined;
  return decoded.codePointAt(0);
}


const DIRECTIVE = /%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])/g;

export function goSprintf(format: string, args: readonly unknown[], print: Print): string {
  let next = 0;
  const take = (): { ok: boolean; v: unknown } => (next < args.length ? { ok: true, v: args[next++] } : { ok: false, v: undefined });
  const out = format.replace(DIRECTIVE, (...match: Array<string | undefined>) => {
    const [, flags = '', width, prec, verb = ''] = match;
    if (verb === '%') return '%';
    const spec: Spec = { plus: flags.includes('+'), minus: flags.includes('-'), sharp: flags.includes('#'), space: flags.includes(' '), zero: flags.includes('0') };
    for (const [text, key] of [[width, 'width'], [prec, 'prec']] as const) {
      if (text === '*') {
        const star = take();
        if (!star.ok || typeof star.v !== 'number') return '%!(BADWIDTH)';
        spec[key] = star.v;
      } else if (text !== undefined) spec[key] = text === '' ? 0 : Number(text);
    }
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true;
      spec.width = -spec.width;
    }
    const arg = take();
    if (!arg.ok) return `%!${verb}(MISSING)`;
    return formatOne(verb, arg.v, spec, print);
  });
  if (next >= args.length) return out;
  const extra = args.slice(next).map((v) => `${goTypeName(v)}=${print(v)}`);
  return `${out}%!(EXTRA ${extra.join(', ')})`;
}

function formatOne(verb: string, v: unknown, spec: Spec, print: Print): string {
  if (verb === 'T') return pad(goTypeName(v), spec);
  if (verb === 'v') return v instanceof GoFloat || typeof v === 'number' ? number(v, 'v', spec) ?? '' : pad(print(v), spec);
  if (typeof v === 'string') return stringVerb(verb, v, spec) ?? bad(verb, v, print);
  if (typeof v === 'boolean') return verb === 't' ? pad(String(v), spec) : bad(verb, v, print);
  if (typeof v === 'number' || v instanceof GoFloat) return number(v, verb, spec) ?? bad(verb, v, print);
  return bad(verb, v, print);
}

function bad(verb: string, v: unknown, print: Print): string {
  return v === null || v === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeName(v)}=${print(v)})`;
}

function stringVerb(verb: string, s: string, spec: Spec): string | undefined {
  const cut = spec.prec === undefined ? s : Array.from(s).slice(0, spec.prec).join('');
  switch (verb) {
    case 's':
      return pad(cut, spec);
    case 'q':
      return pad(spec.sharp && !cut.includes('`') ? `\`${cut}\`` : goQuote(cut), spec);
    case 'x':
    case 'X':
      return pad(hexBytes(cut, verb, spec), spec);
    default:
      return undefined;
  }
}

function hexBytes(s: string, verb: string, spec: Spec): string {
  const bytes = [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
  const digits = bytes.map((b) => (verb === 'X' ? b.toUpperCase() : b));
  const prefix = spec.sharp ? (verb === 'X' ? '0X' : '0x') : '';
  return spec.space ? digits.map((d) => prefix + d).join(' ') : prefix + digits.join('');
}

function number(v: number | GoFloat, verb: string, spec: Spec): string | undefined {
  if (v instanceof GoFloat) return floatVerb(v.value, verb, spec);
  return intVerb(v, verb, spec);
}

const INT_BASES: Readonly<Record<string, number>> = { d: 10, v: 10, x: 16, X: 16, o: 8, O: 8, b: 2 };

function intVerb(n: number, verb: string, spec: Spec): string | undefined {
  if (verb === 'c') return pad(String.fromCodePoint(n), spec);
  if (verb === 'q') return pad(goQuote(String.fromCodePoint(n)).replace(/^"(.*)"$/s, "'$1'"), spec);
  const base = INT_BASES[verb];
  if (base === undefined) return undefined;
  let digits = Math.abs(n).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  if (spec.prec !== undefined) digits = spec.prec === 0 && n === 0 ? '' : digits.padStart(spec.prec, '0');
  return signed({ negative: n < 0, prefix: intPrefix(verb, digits, spec), digits, zeroPad: spec.prec === undefined }, spec);
}

/** %O always, and with # the 0 of %o (unless there already), 0x/0X of %x/%X, 0b of %b. */
function intPrefix(verb: string, digits: string, spec: Spec): string {
  if (verb === 'O') return '0o';
  if (!spec.sharp) return '';
  if (verb === 'o') return digits.startsWith('0') ? '' : '0';
  if (verb === 'x' || verb === 'X') return verb === 'X' ? '0X' : '0x';
  return verb === 'b' ? '0b' : '';
}

function floatVerb(x: number, verb: string, spec: Spec): string | undefined {
  let body: string;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      body = spec.prec === undefined ? goFloatG(Math.abs(x)) : precisionG(Math.abs(x), spec.prec);
      if (verb === 'G') body = body.toUpperCase();
      break;
    case 'e':
    case 'E':
      body = goExp(Math.abs(x).toExponential(spec.prec ?? 6));
      if (verb === 'E') body = body.toUpperCase();
      break;
    case 'f':
    case 'F':
      body = Math.abs(x).toFixed(spec.prec ?? 6);
      break;
    default:
      return undefined;
  }
  return signed({ negative: x < 0 || Object.is(x, -0), prefix: '', digits: body, zeroPad: true }, spec);
}

/** %.Ng: N significant digits, exponent form when the exponent is < -4 or >= N, trailing zeros dropped. */
function precisionG(x: number, prec: number): string {
  const p = prec === 0 ? 1 : prec;
  const exp = x === 0 ? 0 : Math.floor(Math.log10(Number(x.toExponential(p - 1))));
  if (exp < -4 || exp >= p) return goExp(x.toExponential(p - 1).replace(/\.?0+e/, 'e'));
  return x.toFixed(Math.max(0, p - 1 - exp)).replace(/\.(\d*?)0+$/, (_m, d: string) => (d === '' ? '' : `.${d}`));
}

/** JS's 1.5e+3 → Go's 1.5e+03 (at least two exponent digits). */
function goExp(js: string): string {
  return js.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Sign, prefix, zero padding after the sign (unless left-justified), then width. */
function signed(n: { negative: boolean; prefix: string; digits: string; zeroPad: boolean }, spec: Spec): string {
  const sign = n.negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const head = sign + n.prefix;
  const digits = n.digits;
  if (spec.zero && !spec.minus && n.zeroPad && spec.width !== undefined) return head + digits.padStart(spec.width - head.length, '0');
  return pad(head + digits, spec);
}

function pad(s: string, spec: Spec): string {
  const width = spec.width ?? 0;
  const length = Array.from(s).length;
  if (length >= width) return s;
  const fill = ' '.repeat(width - length);
  return spec.minus ? s + fill : fill + s;
}
