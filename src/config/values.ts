/** Converts raw flag text (from the command line, the environment or a default) into typed values. */

import { ExtdnsError, type ErrorSpec } from '../errors/errors.ts';
import { ConfigErrors } from './errors.ts';
import { parseGoBool, parseGoDuration, parseGoFloat, parseGoInt } from './go-values.ts';
import type { FlagDef } from './schema.ts';
import { closest } from './suggest.ts';

export type FlagValue = string | number | boolean | readonly string[];

/** Where a raw value came from, for error messages: `--interval` or `EXTERNAL_DNS_INTERVAL`. */
export interface ValueOrigin {
  readonly label: string;
  readonly fromEnv: boolean;
}

export interface ConvertContext {
  /** Values accepted besides the schema's (e.g. extdns-only source names the CLI registers). */
  readonly extraValues?: readonly string[];
}

export function convertValue(flag: FlagDef, raws: readonly string[], origin: ValueOrigin, ctx: ConvertContext = {}): FlagValue {
  if (flag.kind === 'strings') return Object.freeze(raws.filter((v) => v !== '').map((v) => checkFormat(flag, v, origin)));
  if (flag.kind === 'enums') return Object.freeze(raws.map((v) => checkEnum(flag, v, origin, ctx)));
  const raw = raws[raws.length - 1] ?? '';
  switch (flag.kind) {
    case 'bool':
      return parseGoBool(raw) ?? fail(ConfigErrors.EXTDNS_CONFIG_BAD_BOOL, origin, raw, 'is not true or false; write true or false (1/0 and t/f work too)');
    case 'int':
      return parseGoInt(raw) ?? fail(ConfigErrors.EXTDNS_CONFIG_BAD_NUMBER, origin, raw, 'is not a whole number; write digits only, e.g. 10');
    case 'float':
      return parseGoFloat(raw) ?? fail(ConfigErrors.EXTDNS_CONFIG_BAD_NUMBER, origin, raw, 'is not a number; write e.g. 0.5 or 10');
    case 'duration':
      return parseGoDuration(raw) ?? fail(ConfigErrors.EXTDNS_CONFIG_BAD_DURATION, origin, raw,
        'is not a duration; write a number with a unit, e.g. 90s, 1m30s or 500ms (units h, m, s, ms, us, ns; 0 alone is fine)');
    case 'enum':
      return checkEnum(flag, raw, origin, ctx);
    default:
      return raw;
  }
}

/** The typed default of a flag (durations are written in Go syntax in the schema). */
export function defaultValue(flag: FlagDef): FlagValue {
  const value = flag.default;
  if (flag.kind === 'duration' && typeof value === 'string') {
    const ms = parseGoDuration(value);
    if (ms === undefined) throw new Error(`schema: default of --${flag.name} is not a Go duration: ${value}`);
    return ms;
  }
  return Array.isArray(value) ? Object.freeze([...(value as readonly string[])]) : value;
}

export function describe(origin: ValueOrigin, raw: string): string {
  return `${origin.label}='${raw}'`;
}

function fail(spec: ErrorSpec, origin: ValueOrigin, raw: string, problem: string): never {
  throw new ExtdnsError(spec, `${describe(origin, raw)} ${problem}`);
}

function checkEnum(flag: FlagDef, raw: string, origin: ValueOrigin, ctx: ConvertContext): string {
  // A set: the supported names are also in the flag's own list, and the error lists each once.
  const allowed = [...new Set([...(flag.values ?? []), ...(ctx.extraValues ?? [])])];
  if (allowed.includes(raw)) return raw;
  const shown = allowed.filter((v) => v !== '');
  const suggestion = closest(raw, shown);
  const hint = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
  return fail(ConfigErrors.EXTDNS_CONFIG_BAD_ENUM, origin, raw, `is not accepted${hint}; use one of: ${shown.join(', ')}`);
}

function checkFormat(flag: FlagDef, raw: string, origin: ValueOrigin): string {
  if (flag.format === 'key=value' && !/^[^=]+=/.test(raw)) {
    fail(ConfigErrors.EXTDNS_CONFIG_BAD_VALUE, origin, raw, 'is not KEY=VALUE; write e.g. team=dns');
  }
  return raw;
}
