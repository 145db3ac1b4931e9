/**
 * Splits the command line into raw flag values the way kingpin does:
 * `--x=y`, `--x y`, bool `--x` / `--no-x` / `--x=true|false`, repeatable flags
 * collecting every occurrence, a one-value flag refused when given twice.
 * Values are converted later (./values.ts), so CLI and env share one path.
 */

import { ExtdnsError } from '../errors/errors.ts';
import { ConfigErrors } from './errors.ts';
import { FLAGS, findFlag, isRepeatable, type FlagDef } from './schema.ts';
import { closest } from './suggest.ts';

/** Flags that once existed in ExternalDNS, with what to do instead. */
const REMOVED_FLAGS: Readonly<Record<string, string>> = {
  'txt-new-format-only': 'it existed only in ExternalDNS v0.16 and v0.17; the new TXT format is always written now, so drop the flag',
};

/** Flags the command-line front end answers before parsing. */
const META_FLAGS = ['help', 'version'] as const;
export type MetaFlag = (typeof META_FLAGS)[number];

/** `--help` or `--version` anywhere before `--` (kingpin answers them even when required flags are missing). */
export function metaFlag(argv: readonly string[]): MetaFlag | undefined {
  for (const arg of argv) {
    if (arg === '--') return undefined;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined;
    const meta = META_FLAGS.find((m) => m === name);
    if (meta !== undefined) return meta;
  }
  return undefined;
}

export interface RawValues {
  /** Flag name → values in command-line order (bools as 'true' / 'false' / the written value). */
  readonly byFlag: ReadonlyMap<string, readonly string[]>;
}

interface Token {
  readonly flag: FlagDef;
  readonly value: string;
}

export function readCommandLine(argv: readonly string[]): RawValues {
  const byFlag = new Map<string, string[]>();
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rejectStray(argv[i + 1]);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') rejectStray(arg);
    const { token, consumed } = readFlag(arg, argv[i + 1]);
    record(byFlag, token);
    i += consumed;
  }
  return { byFlag };
}

function record(byFlag: Map<string, string[]>, token: Token): void {
  const seen = byFlag.get(token.flag.name);
  if (seen === undefined) {
    byFlag.set(token.flag.name, [token.value]);
    return;
  }
  if (!isRepeatable(token.flag)) {
    throw new ExtdnsError(
      ConfigErrors.EXTDNS_CONFIG_REPEATED_FLAG,
      `--${token.flag.name} was given more than once ('${seen[0] ?? ''}', then '${token.value}'); it takes one value, so give it once`,
    );
  }
  seen.push(token.value);
}

function readFlag(arg: string, next: string | undefined): { token: Token; consumed: number } {
  if (!arg.startsWith('--')) {
    throw new ExtdnsError(
      ConfigErrors.EXTDNS_CONFIG_UNKNOWN_FLAG,
      `unknown flag ${arg}: extdns has no one-letter flags; use the long form (--name=value), listed by extdns --help`,
    );
  }
  const body = arg.slice(2);
  const eq = body.indexOf('=');
  const name = eq === -1 ? body : body.slice(0, eq);
  const inline = eq === -1 ? undefined : body.slice(eq + 1);
  const flag = findFlag(name);
  if (flag === undefined) return { token: negatedBool(name, inline), consumed: 1 };
  if (flag.kind === 'bool') return { token: { flag, value: inline ?? 'true' }, consumed: 1 };
  if (inline !== undefined) return { token: { flag, value: inline }, consumed: 1 };
  if (next === undefined || next.startsWith('--')) {
    throw new ExtdnsError(
      ConfigErrors.EXTDNS_CONFIG_MISSING_VALUE,
      `--${name} needs a value: write --${name}=VALUE or --${name} VALUE`,
    );
  }
  return { token: { flag, value: next }, consumed: 2 };
}

function negatedBool(name: string, inline: string | undefined): Token {
  const positive = name.startsWith('no-') ? findFlag(name.slice(3)) : undefined;
  if (positive === undefined) throw unknownFlag(name);
  if (positive.kind !== 'bool') {
    throw new ExtdnsError(
      ConfigErrors.EXTDNS_CONFIG_UNKNOWN_FLAG,
      `unknown flag --${name}: only true/false flags have a --no- form, and --${positive.name} takes a value (--${positive.name}=VALUE)`,
    );
  }
  if (inline !== undefined) {
    throw new ExtdnsError(
      ConfigErrors.EXTDNS_CONFIG_BAD_VALUE,
      `--${name}=${inline}: a --no- flag takes no value; write --${name}, or --${positive.name}=${inline}`,
    );
  }
  return { flag: positive, value: 'false' };
}

function unknownFlag(name: string): ExtdnsError {
  if (META_FLAGS.some((m) => m === name)) {
    return new ExtdnsError(ConfigErrors.EXTDNS_CONFIG_UNKNOWN_FLAG, `--${name} is answered before the flags are parsed: run extdns --${name} on its own`);
  }
  const removed = REMOVED_FLAGS[name];
  if (removed !== undefined) {
    return new ExtdnsError(ConfigErrors.EXTDNS_CONFIG_UNKNOWN_FLAG, `unknown flag --${name}: ${removed}`);
  }
  const candidates = FLAGS.flatMap((f) => (f.kind === 'bool' ? [f.name, `no-${f.name}`] : [f.name]));
  const suggestion = closest(name, candidates);
  const hint = suggestion === undefined ? 'run extdns --help to list the flags' : `did you mean --${suggestion}?`;
  return new ExtdnsError(ConfigErrors.EXTDNS_CONFIG_UNKNOWN_FLAG, `unknown flag --${name}: ${hint}`);
}

function rejectStray(arg: string | undefined): void {
  if (arg === undefined) return;
  throw new ExtdnsError(
    ConfigErrors.EXTDNS_CONFIG_STRAY_ARGUMENT,
    `unexpected argument '${arg}': only flags are accepted here (--name=value). A subcommand must come first, ` +
      'and a value that contains spaces must be quoted',
  );
}
