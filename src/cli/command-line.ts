/**
 * Splits what the run-time flags parser should see from what belongs to the
 * CLI itself: the subcommand word and the subcommand's own flags
 * (`--output`, `--endpoint`).
 */
import { ExtdnsError } from '../errors/errors.ts';
import { CliErrors } from './errors.ts';

export const COMMANDS = ['run', 'plan', 'explain', 'trust', 'doctor', 'webhook', 'version'] as const;
export type Command = (typeof COMMANDS)[number];

/** The subcommand-only flags each command accepts. */
const COMMAND_FLAGS: Readonly<Record<Command, readonly string[]>> = {
  run: [],
  plan: ['output'],
  explain: ['output'],
  trust: ['output'],
  doctor: ['output', 'endpoint'],
  webhook: [],
  version: [],
};

export interface CommandLine {
  command: Command;
  /** Everything for the config parser. */
  flags: string[];
  /** Subcommand flags, repeatable ones in order. */
  own: Map<string, string[]>;
}

export function splitCommandLine(argv: readonly string[]): CommandLine {
  const first = argv[0];
  const command = (COMMANDS as readonly string[]).includes(first ?? '') ? (first as Command) : 'run';
  const rest = command === 'run' && first !== 'run' ? [...argv] : argv.slice(1);
  const allowed = COMMAND_FLAGS[command];
  const own = new Map<string, string[]>();
  const flags: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = m?.[1];
    if (name === undefined || !allowed.includes(name)) {
      flags.push(arg);
      continue;
    }
    let value = m?.[2];
    if (value === undefined) {
      value = rest[i + 1];
      i++;
      if (value === undefined) throw new ExtdnsError(CliErrors.EXTDNS_CLI_FLAG_VALUE_MISSING, `--${name} needs a value, e.g. --${name}=json.`);
    }
    own.set(name, [...(own.get(name) ?? []), value]);
  }
  return { command, flags, own };
}

/** The single value of a subcommand flag, checked against its allowed values. */
export function ownChoice<T extends string>(line: CommandLine, name: string, allowed: readonly T[], fallback: T): T {
  const values = line.own.get(name) ?? [];
  const value = values[values.length - 1] ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ExtdnsError(CliErrors.EXTDNS_CLI_FLAG_VALUE_INVALID,
      `--${name}=${value} is not valid for "extdns ${line.command}": use one of ${allowed.join(', ')}.`);
  }
  return value as T;
}
