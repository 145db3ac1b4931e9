/**
 * Where the ownership TXT of a record lives (ExternalDNS's affix name mapper).
 *
 *   record name          type   TXT name                       options
 *   www.ex.com           A      a-www.ex.com                   (none)
 *   www.ex.com           CNAME  cname-www.ex.com               (none)
 *   www.ex.com           A      txt.a-www.ex.com               --txt-prefix=txt.
 *   www.ex.com           A      a-www-own.ex.com               --txt-suffix=-own
 *   ex.com               CNAME  cname-abc-.ex.com              --txt-prefix=%{record_type}-abc-.
 *   *.ex.com             A      a-wild.ex.com                  --txt-wildcard-replacement=wild
 *
 * The first label of the name gets the affix; unless an affix holds
 * `%{record_type}`, the lower-case type plus `-` is put before that label.
 * Going back, a name whose type token is unknown is an old-format TXT
 * (written before v0.12, one per name, no type): recordType "".
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { TxtRegistryErrors } from './errors.ts';

const RECORD_TYPE_TEMPLATE = '%{record_type}';

/** Types tried, in this order, when reading a type back from a TXT name (ExternalDNS's list and order). */
const MAPPED_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'MX', 'PTR', 'SRV', 'NAPTR', 'TXT', 'DNAME'] as const;

export interface MapperOptions {
  /** --txt-prefix */
  prefix: string;
  /** --txt-suffix */
  suffix: string;
  /** --txt-wildcard-replacement */
  wildcardReplacement: string;
}

export interface EndpointName {
  name: string;
  /** Upper-case record type, or "" for an old-format TXT. */
  recordType: string;
}

export interface TxtNameMapper {
  toTxtName(name: string, recordType: string): string;
  /** The record a TXT name stands for, or undefined when the name does not carry the affix. */
  toEndpointName(txtName: string): EndpointName | undefined;
}

export function createAffixNameMapper(options: MapperOptions): TxtNameMapper {
  const prefix = options.prefix.toLowerCase();
  const suffix = options.suffix.toLowerCase();
  const wildcard = options.wildcardReplacement.toLowerCase();
  if (prefix !== '' && suffix !== '') {
    throw new ExtdnsError(TxtRegistryErrors.EXTDNS_TXT_AFFIX_CONFLICT,
      `--txt-prefix (${JSON.stringify(options.prefix)}) and --txt-suffix (${JSON.stringify(options.suffix)}) are mutually exclusive: set only one`);
  }
  const typeInAffix = prefix.includes(RECORD_TYPE_TEMPLATE) || suffix.includes(RECORD_TYPE_TEMPLATE);
  const affix = { prefix, suffix, typeInAffix };
  return {
    toTxtName: (name, recordType) => toTxtName(affix, wildcard, name, recordType),
    toEndpointName: (txtName) => toEndpointName(affix, txtName),
  };
}

interface Affix {
  prefix: string;
  suffix: string;
  typeInAffix: boolean;
}

function toTxtName(affix: Affix, wildcard: string, name: string, recordType: string): string {
  const type = recordType.toLowerCase();
  const dot = name.indexOf('.');
  let first = dot < 0 ? name : name.slice(0, dot);
  if (wildcard !== '' && first === '*') first = wildcard;
  // Without the template the affixes are constant: no replaceAll per record (the registry maps every record on each read).
  const labelWithAffix = affix.typeInAffix
    ? fillType(affix.prefix, type) + first + fillType(affix.suffix, type)
    : `${affix.prefix}${type}-${first}${affix.suffix}`;
  return dot < 0 ? labelWithAffix : labelWithAffix + name.slice(dot);
}

function toEndpointName(affix: Affix, txtName: string): EndpointName | undefined {
  const lower = txtName.toLowerCase();
  if (affix.suffix === '') return dropAffix(affix, lower);
  // The suffix sits inside the name: cut after as many labels as it spans.
  const suffixDots = countDots(affix.suffix);
  const labels = lower.split('.');
  if (labels.length <= suffixDots) return undefined;
  const head = labels.slice(0, suffixDots + 1).join('.');
  const tail = labels.slice(suffixDots + 1).join('.');
  const found = dropAffix(affix, head);
  if (found === undefined) return undefined;
  return tail === '' ? found : { name: `${found.name}.${tail}`, recordType: found.recordType };
}

/** Strips the prefix (or the suffix from `name`) and reads the record type. */
function dropAffix(affix: Affix, name: string): EndpointName | undefined {
  let { prefix, suffix } = affix;
  if (affix.typeInAffix) {
    for (const type of MAPPED_TYPES) {
      const p = fillType(prefix, type.toLowerCase());
      const s = fillType(suffix, type.toLowerCase());
      if (suffix === '' && name.startsWith(p)) return { name: name.slice(p.length), recordType: type };
      if (suffix !== '' && name.endsWith(s)) return { name: name.slice(0, name.length - s.length), recordType: type };
    }
    // An old-format TXT written under the same affix without the type.
    prefix = prefix.replaceAll(RECORD_TYPE_TEMPLATE, '');
    suffix = suffix.replaceAll(RECORD_TYPE_TEMPLATE, '');
  }
  if (suffix === '' && name.startsWith(prefix)) return typeFromFirstToken(name.slice(prefix.length));
  if (suffix !== '' && name.endsWith(suffix)) return typeFromFirstToken(name.slice(0, name.length - suffix.length));
  return undefined;
}

/** `a-www.ex.com` → www.ex.com, A; a name whose first `-` token is no type is old format. */
function typeFromFirstToken(name: string): EndpointName {
  const token = name.split('-', 1)[0] ?? '';
  const type = MAPPED_TYPES.find((t) => t.toLowerCase() === token);
  if (type === undefined) return { name, recordType: '' };
  return { name: name.startsWith(`${token}-`) ? name.slice(token.length + 1) : name, recordType: type };
}

function fillType(affix: string, type: string): string {
  return affix.replaceAll(RECORD_TYPE_TEMPLATE, type);
}

function countDots(s: string): number {
  return s.split('.').length - 1;
}
