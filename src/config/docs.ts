/**
 * Renders docs/flags.md from the schema. scripts/gen-docs.ts writes it;
 * ./docs.test.ts fails when the file and the schema drift apart.
 */

import { defaultText, flagsByGroup, remarks, valuesText } from './display.ts';
import { envVarName, isRepeatable, type FlagDef } from './schema.ts';

export function renderFlagsDoc(): string {
  const lines: string[] = [
    '# extdns flags',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'extdns accepts every flag of ExternalDNS v0.22 with the same name, default and meaning, plus a few of its own',
    '(marked **extdns only**).',
    '',
    '- Every flag can also be set with an environment variable: `--txt-owner-id` is `EXTERNAL_DNS_TXT_OWNER_ID`',
    '  (upper case, `-` becomes `_`). The command line wins over the environment; an empty variable counts as unset.',
    '- True/false flags: `--x`, `--no-x`, `--x=true`, `--x=false`.',
    '- Repeatable flags (kind ending in `[]`) are given once per value; on the command line they replace the default list.',
    '  In the environment, put one value per line.',
    '- Durations use Go syntax: `1m30s`, `500ms`, `1h`, `0`.',
    '- `--help` prints this list grouped; `--version` prints the version.',
    '',
  ];
  for (const { group, flags } of flagsByGroup()) {
    lines.push(`## ${group.name}`, '', group.description, '');
    lines.push('| Flag | Env var | Kind | Default | Description |', '|---|---|---|---|---|');
    for (const flag of flags) lines.push(row(flag));
    lines.push('');
  }
  return lines.join('\n');
}

function row(flag: FlagDef): string {
  const name = flag.kind === 'bool' ? `--[no-]${flag.name}` : `--${flag.name}`;
  const cells = [
    code(name),
    code(envVarName(flag.name)),
    kindText(flag),
    flag.required === true ? '**required**' : defaultCell(flag),
    description(flag),
  ];
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

function kindText(flag: FlagDef): string {
  const base = flag.kind === 'enums' ? 'enum' : flag.kind === 'strings' ? 'string' : flag.kind;
  const values = valuesText(flag);
  const kind = `${base}${isRepeatable(flag) ? '[]' : ''}`;
  return values === undefined ? kind : `${kind}: ${values}`;
}

function defaultCell(flag: FlagDef): string {
  const text = defaultText(flag);
  return text === '(none)' ? '' : code(text);
}

function description(flag: FlagDef): string {
  const notes = remarks(flag).map((r) => (r === 'extdns only' ? '**extdns only**' : `*${r}*`));
  return [flag.help, ...notes].join('. ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
