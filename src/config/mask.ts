/**
 * The config as logged at start-up ("config: …"): every flag, secrets masked.
 * Which flags are secret comes from the schema (ExternalDNS's `secure:"yes"`).
 * An unset secret stays empty, so the log still shows whether one was given.
 */

import { FLAGS, configKey, type Config } from './schema.ts';
import type { FlagDef } from './schema.ts';
import { defaultValue } from './values.ts';
import { formatGoDuration } from './go-values.ts';
import { redactUrls } from '../util/url-secrets.ts';

/** v0.22's passwordMask: what a set secret prints as. */
export const SECRET_MASK = '******';

export function maskedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const values = config as unknown as Readonly<Record<string, unknown>>;
  for (const flag of FLAGS as readonly FlagDef[]) {
    const key = configKey(flag.name);
    const value = values[key];
    out[key] = flag.secret === true ? mask(value) : copy(value);
  }
  return out;
}

/**
 * The masked config limited to flags whose value differs from the default (the readable start-up line),
 * each value printed as v0.22's `config: {…}` line prints it (Go's %+v: `5s`, `1m0s`, `[a b]`).
 */
export function changedMaskedConfig(config: Config): Record<string, string> {
  const all = maskedConfig(config);
  const values = config as unknown as Readonly<Record<string, unknown>>;
  const out: Record<string, string> = {};
  for (const flag of FLAGS as readonly FlagDef[]) {
    const key = configKey(flag.name);
    if (JSON.stringify(values[key]) !== JSON.stringify(defaultValue(flag))) out[key] = goFormatted(flag, all[key]);
  }
  return out;
}

/** Every flag's masked value as Go's %+v prints the field (the whole of v0.22's config line). */
export function goFormattedConfig(config: Config): Record<string, string> {
  const all = maskedConfig(config);
  return Object.fromEntries((FLAGS as readonly FlagDef[]).map((flag) => [configKey(flag.name), goFormatted(flag, all[configKey(flag.name)])]));
}

/**
 * Repeatable flags whose v0.22 field is not a slice: `--aws-sd-create-tag=k=v` fills a map[string]string,
 * and v0.22's `--tls-ca` is one path (extdns takes several).
 */
const GO_SHAPES: Readonly<Record<string, (items: string[]) => string>> = {
  'aws-sd-create-tag': (items) => `map[${items.map((i) => i.replace('=', ':')).sort().join(' ')}]`,
  'tls-ca': (items) => items.join(','),
};

/** A value as Go's fmt %v prints it: a duration as time.Duration.String, a list as `[a b]`, absent as empty. */
export function goFormatted(flag: FlagDef, value: unknown): string {
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map(String);
    return GO_SHAPES[flag.name]?.(items) ?? `[${items.join(' ')}]`;
  }
  if (flag.kind === 'duration' && typeof value === 'number') return formatGoDuration(value);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** Config keys of the secret flags, e.g. for a logger's redaction paths. */
export function secretConfigKeys(): string[] {
  return (FLAGS as readonly FlagDef[]).filter((f) => f.secret === true).map((f) => configKey(f.name));
}

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map((v) => (v === '' ? v : SECRET_MASK));
  return value === '' || value === undefined ? value : SECRET_MASK;
}

/** Non-secret values are copied, with passwords in URLs masked (`--pdns-server=https://admin:pw@…`). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map(copy);
  return typeof value === 'string' ? redactUrls(value) : value;
}
