/**
 * The config as logged at start-up ("config: …"): every flag, secrets masked.
 * Which flags are secret comes from the schema (ExternalDNS's `secure:"yes"`).
 * An unset secret stays empty, so the log still shows whether one was given.
 */

import { FLAGS, configKey, type Config } from './schema.ts';
import type { FlagDef } from './schema.ts';
import { defaultValue } from './values.ts';
import { redactUrls } from '../util/url-secrets.ts';

export const SECRET_MASK = '*****';

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

/** The masked config limited to flags whose value differs from the default (the readable start-up line). */
export function changedMaskedConfig(config: Config): Record<string, unknown> {
  const all = maskedConfig(config);
  const values = config as unknown as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const flag of FLAGS as readonly FlagDef[]) {
    const key = configKey(flag.name);
    if (JSON.stringify(values[key]) !== JSON.stringify(defaultValue(flag))) out[key] = all[key];
  }
  return out;
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
