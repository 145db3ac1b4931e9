/**
 * Value syntaxes of Go's strconv and time packages, as kingpin applies them to
 * ExternalDNS flags, so that every value ExternalDNS accepts is accepted here
 * with the same meaning (and every value it rejects is rejected).
 */

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Go's time.ParseDuration, returning milliseconds (fractional below 1 ms).
 * A sequence of decimal numbers each with a unit (`1h30m`, `1.5s`, `500ms`),
 * an optional sign; a bare `0` is the only number allowed without a unit.
 */
export function parseGoDuration(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  let rest = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
  while (rest !== '') {
    const step = durationPart(part.exec(rest));
    if (step === undefined) return undefined;
    total += step.ms;
    rest = rest.slice(step.length);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/** One `<number><unit>` piece of a duration: its value and how much text it used. */
function durationPart(match: RegExpExecArray | null): { ms: number; length: number } | undefined {
  if (match === null) return undefined;
  const [whole, integer = '', fraction = '', unit = ''] = match;
  const perUnit = MS_PER_UNIT[unit];
  if ((integer === '' && fraction === '') || perUnit === undefined) return undefined;
  const ms = Number(`${integer === '' ? '0' : integer}.${fraction === '' ? '0' : fraction}`) * perUnit;
  return { ms, length: whole.length };
}

/** Go's time.Duration.String for a number of milliseconds: `1m0s`, `30s`, `1h30m0s`, `500ms`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1e-3) return `${sign}${round(abs * 1e6)}ns`;
  if (abs < 1) return `${sign}${round(abs * 1e3)}µs`;
  if (abs < 1000) return `${sign}${round(abs)}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const seconds = round((abs % 60_000) / 1000);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

/**
 * Go's strconv.ParseInt(text, 0, 64), which kingpin uses: decimal, 0x hex,
 * 0o or leading-0 octal, 0b binary, `_` between digits. Values beyond
 * JavaScript's safe integers are refused rather than rounded.
 */
export function parseGoInt(text: string): number | undefined {
  const shape = /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*|[1-9](?:_?\d)*)$/;
  const match = shape.exec(text);
  if (match === null) return undefined;
  const [, sign = '', body = ''] = match;
  const digits = body.replaceAll('_', '');
  let value: bigint;
  if (/^0[oO]/.test(digits)) value = BigInt(`0o${digits.slice(2)}`);
  else if (/^0\d/.test(digits)) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  if (sign === '-') value = -value;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return Number(value);
}

/** Decimal floats as Go's strconv.ParseFloat reads them (no hex floats). */
export function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text.replaceAll('_', ''));
  return Number.isFinite(value) ? value : undefined;
}
