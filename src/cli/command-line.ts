/**
 * The command table, and the split of what the run-time flags parser should
 * see from what belongs to the CLI itself: the subcommand word and the
 * subcommand's own flags (`--output`, `--endpoint`).
 *
 * It is the one file of src/cli that names `webhook`: `extdns webhook` is a
 * command of ours, whose wiring lives with the provider
 * (src/provider/webhook/serve-command.ts) and is reached through SERVE_COMMANDS.
 */
import type { Environment } from '../config/process.ts';
import type { Config } from '../config/schema.ts';
import { ExtdnsError } from '../errors/errors.ts';
import { webhookServeCommand, type ServeCommandDeps } from '../provider/webhook/serve-command.ts';
import type { CommandHelp } from './command-help.ts';
import { CliErrors } from './errors.ts';

export const COMMANDS = ['run', 'plan', 'explain', 'trust', 'doctor', 'webhook', 'version'] as const;
export type Command = (typeof COMMANDS)[number];

export type { ServeCommandDeps };

/** A command that serves the provider until the signal aborts, instead of running the controller. */
export interface ServeCommand {
  readonly help: CommandHelp;
  /** The run-time flags it needs but the user need not give, added to the command line. */
  completeFlags(flags: readonly string[], env: Environment): string[];
  run(config: Config, deps: ServeCommandDeps): Promise<number>;
  /** When a plain `extdns [flags]` serves instead (a flag of ExternalDNS's asks for it): the serving; else undefined. */
  runInstead(config: Config, deps: ServeCommandDeps): Promise<number> | undefined;
}

/** The commands that serve; the others are dispatched by src/cli/cli.ts. */
export const SERVE_COMMANDS: Readonly<Partial<Record<Command, ServeCommand>>> = {
  webhook: webhookServeCommand,
};

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
