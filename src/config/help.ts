/** `extdns --help`: the flags by group, wrapped for an 100-column terminal. */

import { defaultText, flagSyntax, flagsByGroup, remarks, valuesText } from './display.ts';
import type { FlagDef } from './schema.ts';

const WIDTH = 100;
const INDENT = '      ';

export function renderHelp(): string {
  const lines: string[] = [
    'extdns: keeps DNS records in step with Kubernetes resources (a drop-in for ExternalDNS v0.22).',
    '',
    'Usage: extdns --source=SOURCE... --provider=PROVIDER --policy=POLICY [flags]',
    '',
    'Every flag can also come from the environment: --txt-owner-id is EXTERNAL_DNS_TXT_OWNER_ID',
    '(the command line wins; repeatable flags take one value per line). Durations: 1m30s, 500ms, 0.',
    '',
    '  --help        Show this help.',
    '  --version     Show the version.',
    '',
  ];
  for (const { group, flags } of flagsByGroup()) {
    lines.push(`${group.name}: ${group.description}`);
    for (const flag of flags) lines.push(...flagLines(flag));
    lines.push('');
  }
  return lines.join('\n');
}

function flagLines(flag: FlagDef): string[] {
  const shownDefault = defaultText(flag);
  const facts = flag.required === true ? ['required'] : shownDefault === '(none)' ? [] : [`default: ${shownDefault}`];
  const values = valuesText(flag);
  if (values !== undefined) facts.push(`one of: ${values}`);
  const factText = facts.length === 0 ? '' : ` (${facts.join('; ')})`;
  const text = `${flag.help}${factText}${remarks(flag).map((r) => ` [${r}]`).join('')}`;
  return [`  ${flagSyntax(flag)}`, ...wrap(text, WIDTH - INDENT.length).map((l) => INDENT + l)];
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out;
}
