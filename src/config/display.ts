/** How flags are shown to people, shared by --help (./help.ts) and docs/flags.md (./docs.ts). */

import { FLAGS, GROUPS, isRepeatable, type FlagDef, type FlagGroup } from './schema.ts';

export interface GroupedFlags {
  readonly group: FlagGroup;
  readonly flags: readonly FlagDef[];
}

/** Flags by group, groups in GROUPS order, flags in schema order; empty groups left out. */
export function flagsByGroup(): GroupedFlags[] {
  const all = FLAGS as readonly FlagDef[];
  return GROUPS.map((group) => ({ group, flags: all.filter((f) => f.group === group.name) })).filter((g) => g.flags.length > 0);
}

/** `--[no-]once`, `--source=SOURCE...`, `--interval=DURATION`. */
export function flagSyntax(flag: FlagDef): string {
  if (flag.kind === 'bool') return `--[no-]${flag.name}`;
  const placeholder = flag.placeholder ?? PLACEHOLDERS[flag.kind];
  return `--${flag.name}=${placeholder}${isRepeatable(flag) ? '...' : ''}`;
}

const PLACEHOLDERS: Readonly<Record<FlagDef['kind'], string>> = {
  string: 'STRING',
  bool: '',
  int: 'INT',
  float: 'NUMBER',
  duration: 'DURATION',
  strings: 'VALUE',
  enum: 'VALUE',
  enums: 'VALUE',
};

/** The default as a user would type it; `(required)` or `(none)` when there is none. */
export function defaultText(flag: FlagDef): string {
  if (flag.required === true) return '(required)';
  const value = flag.default;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : (value as readonly string[]).join(', ');
  if (typeof value === 'string' && value === '') return '""';
  return String(value);
}

/** Accepted values of an enum, with an empty value shown as "". */
export function valuesText(flag: FlagDef): string | undefined {
  if (flag.values === undefined) return undefined;
  return flag.values.map((v) => (v === '' ? '""' : v)).join(', ');
}

/** Remarks appended to the help text: extdns-only, differences, deprecation, no effect, secret. */
export function remarks(flag: FlagDef): string[] {
  const out: string[] = [];
  if (flag.extdnsOnly === true) out.push('extdns only');
  if (flag.extdnsNote !== undefined) out.push(`extdns: ${flag.extdnsNote}`);
  if (flag.deprecated !== undefined) out.push(`deprecated: use --${flag.deprecated}`);
  if (flag.unused !== undefined) out.push(`no effect: ${flag.unused}`);
  if (flag.secret === true) out.push('secret: masked in logs');
  return out;
}
