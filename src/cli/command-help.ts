/**
 * The header of `extdns <command> --help`: what the command does, its own
 * flags and its exit codes. The run-time flags follow (src/config/help.ts).
 */
import { SERVE_COMMANDS, type Command } from './command-line.ts';

export interface CommandHelp {
  usage: string;
  summary: string;
  own: ReadonlyArray<readonly [string, string]>;
  exits: ReadonlyArray<readonly [string, string]>;
}

const HELP: Readonly<Partial<Record<Command, CommandHelp>>> = {
  plan: {
    usage: 'extdns plan --source=SOURCE... --provider=PROVIDER --policy=POLICY [flags] [--output=FORMAT]',
    summary: 'Shows what one sync with these flags would change, and writes nothing (a dry run of one sync).',
    own: [['--output=FORMAT', 'table (default): one row per change; json: the webhook Changes object']],
    exits: [['0', 'nothing would change'], ['1', 'error: bad flags, or a source, registry or provider failed'], ['2', 'changes are due']],
  },
  trust: {
    usage: 'extdns trust [flags] [--output=FORMAT]',
    summary: 'Shows, for every connection these flags would open, which certificate authorities it trusts and why.',
    own: [['--output=FORMAT', 'table (default) or json']],
    exits: [['0', 'the trust of every connection is valid'], ['1', 'a connection has no valid trust, or the flags are bad']],
  },
  doctor: {
    usage: 'extdns doctor [flags] [--endpoint=URL]... [--output=FORMAT]',
    summary: 'Connects to every endpoint these flags would use (and each --endpoint) and says what is wrong and how to fix it.',
    own: [['--endpoint=URL', 'also check this HTTPS endpoint; repeat for several'], ['--output=FORMAT', 'table (default) or json']],
    exits: [['0', 'every check passed'], ['1', 'a check failed, or the flags are bad']],
  },
};

/** The command's own section, or '' for the controller (`extdns [flags]`). */
export function renderCommandHelp(command: Command): string {
  const help = HELP[command] ?? SERVE_COMMANDS[command]?.help;
  if (help === undefined) return '';
  const lines = [`Usage: ${help.usage}`, '', help.summary, ''];
  if (help.own.length > 0) {
    lines.push(`Flags of extdns ${command}:`, ...columns(help.own), '');
  }
  lines.push('Exit codes:', ...columns(help.exits), '', `The flags below apply to extdns ${command} as to a sync.`, '', '');
  return lines.join('\n');
}

function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`);
}
