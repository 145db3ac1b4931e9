/**
 * The one definition of every flag: name, kind, default, help, group, which
 * components read it, whether it is secret. The CLI parser, the
 * EXTERNAL_DNS_* environment mapping, masking in logs and docs/flags.md are
 * all derived from this list (see ./parse.ts, ./docs.ts).
 *
 * Naming: `--txt-owner-id` is `config.txtOwnerId`; its env var is
 * `EXTERNAL_DNS_TXT_OWNER_ID`. Durations are milliseconds.
 */

export type FlagKind = 'string' | 'bool' | 'int' | 'float' | 'duration' | 'strings' | 'enum' | 'enums';

export interface FlagDef {
  readonly name: string;
  readonly kind: FlagKind;
  readonly default: string | number | boolean | readonly string[];
  readonly help: string;
  readonly group: string;
  /** Allowed values for enum / enums. */
  readonly values?: readonly string[];
  /** Masked when the config is logged (ExternalDNS `secure:"yes"`). */
  readonly secret?: boolean;
  /** Which parts of extdns read it, e.g. ['registry'], ['provider:pdns'], ['tls']. */
  readonly components: readonly string[];
  /** Accepted for compatibility but has no effect in extdns (said in --help and docs). */
  readonly unused?: string;
}

export const FLAGS = [
  // The full v0.22 list is filled in by the config module; each entry follows this shape.
  { name: 'txt-owner-id', kind: 'string', default: 'default', group: 'Registry', components: ['registry'],
    help: 'When using the TXT registry, a name that identifies this instance of ExternalDNS' },
] as const satisfies readonly FlagDef[];

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type ValueOf<K extends FlagKind> = K extends 'bool'
  ? boolean
  : K extends 'int' | 'float' | 'duration'
    ? number
    : K extends 'strings' | 'enums'
      ? string[]
      : string;

/** The parsed, frozen configuration: one camelCase key per flag. */
export type Config = { readonly [F in (typeof FLAGS)[number] as Camel<F['name']>]: ValueOf<F['kind']> };
export type ConfigKey = keyof Config;
