/**
 * parse → validate → freeze, step one: command line + EXTERNAL_DNS_* environment
 * into a frozen Config, with kingpin's rules (see ./argv.ts for the syntax).
 * For each flag the command line wins, then a non-empty environment variable
 * (one value per line for repeatable flags), then the schema default.
 * Cross-flag checks are in ./validate.ts.
 */

import { ExtdnsError } from '../errors/errors.ts';
import { readCommandLine } from './argv.ts';
import { ConfigErrors } from './errors.ts';
import { EXTERNAL_DNS_PROVIDERS, OUT_OF_TREE_PROVIDER } from '../provider/flags.ts';
import { EXTERNAL_DNS_SOURCES } from './flags/sources.ts';
import { POLICIES } from './flags/controller.ts';
import { FLAGS, configKey, envVarName, isRepeatable, type Config, type FlagDef } from './schema.ts';
import { convertValue, defaultValue, type FlagValue } from './values.ts';

export { metaFlag, type MetaFlag } from './argv.ts';

/** The names extdns implements (from the CLI's source/provider/registry descriptor maps). */
export interface SupportedNames {
  readonly sources: readonly string[];
  readonly providers: readonly string[];
  readonly registries: readonly string[];
}

export interface ParseOptions {
  /** Told about deprecated flags in use and flags that have no effect in extdns. */
  readonly warn?: (message: string) => void;
  /**
   * False for `extdns trust` and `extdns doctor`, which diagnose without a
   * whole run configuration: --source, --provider and --policy may be absent.
   */
  readonly requireRunFlags?: boolean;
}

const PREFIX = 'EXTERNAL_DNS_';

export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  supported: SupportedNames,
  options: ParseOptions = {},
): Config {
  const cli = readCommandLine(argv).byFlag;
  const extra: Readonly<Record<string, readonly string[]>> = {
    source: supported.sources,
    provider: supported.providers,
    registry: supported.registries,
  };
  const values: Record<string, FlagValue> = {};
  const given = new Set<string>();
  for (const flag of FLAGS) {
    const ctx = { extraValues: extra[flag.name] ?? [] };
    const fromCli = cli.get(flag.name);
    const fromEnv = nonEmpty(env[envVarName(flag.name)]);
    let value: FlagValue;
    if (fromCli !== undefined) {
      value = convertValue(flag, fromCli, { label: `--${flag.name}`, fromEnv: false }, ctx);
    } else if (fromEnv !== undefined) {
      const raws = isRepeatable(flag) ? fromEnv.split(/\r?\n/) : [fromEnv];
      value = convertValue(flag, raws, { label: envVarName(flag.name), fromEnv: true }, ctx);
    } else {
      value = defaultValue(flag);
    }
    if (fromCli !== undefined || fromEnv !== undefined) given.add(flag.name);
    values[configKey(flag.name)] = value;
  }
  if (options.requireRunFlags !== false) checkRequired(values);
  checkSupported(values, supported);
  resolveDeprecated(values, given, options.warn);
  warnUnused(given, options.warn);
  return Object.freeze(values) as unknown as Config;
}

/** EXTERNAL_DNS_* variables that match no flag (kingpin ignores them; worth a warning at start-up). */
export function unknownEnvVars(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set(FLAGS.map((f) => envVarName(f.name)));
  return Object.keys(env).filter((k) => k.startsWith(PREFIX) && !known.has(k)).sort();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

const REQUIRED_HELP: Readonly<Record<string, string>> = {
  source: `--source is required: name the resources to read, e.g. --source=service --source=ingress (or ${envVarName('source')}, one per line)`,
  provider: `--provider is required: name the DNS provider to write to, e.g. --provider=pdns (or ${envVarName('provider')})`,
  policy:
    `--policy is required: ExternalDNS v0.22 removed its default (v0.21 used sync; the Helm chart used upsert-only). ` +
    `Choose ${POLICIES.map((p) => `--policy=${p}`).join(', ')} (or ${envVarName('policy')})`,
};

function checkRequired(values: Record<string, FlagValue>): void {
  const missing = FLAGS.filter((f) => isRequired(f) && isEmpty(values[configKey(f.name)]));
  if (missing.length === 0) return;
  const lines = missing.map((f) => REQUIRED_HELP[f.name] ?? `--${f.name} is required`);
  throw new ExtdnsError(ConfigErrors.EXTDNS_CONFIG_MISSING_REQUIRED, lines.join('\n'));
}

function isRequired(flag: FlagDef): boolean {
  return flag.required === true;
}

function isEmpty(value: FlagValue | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function checkSupported(values: Record<string, FlagValue>, supported: SupportedNames): void {
  const sources = values['source'] as readonly string[];
  for (const source of sources) {
    if (!supported.sources.includes(source)) unsupported('source', source, supported.sources, EXTERNAL_DNS_SOURCES);
  }
  const provider = values['provider'] as string;
  if (provider !== '' && !supported.providers.includes(provider)) {
    unsupported('provider', provider, supported.providers, EXTERNAL_DNS_PROVIDERS);
  }
  const registry = values['registry'] as string;
  if (!supported.registries.includes(registry)) unsupported('registry', registry, supported.registries, []);
}

function unsupported(flag: string, name: string, supported: readonly string[], known: readonly string[]): never {
  const where = known.includes(name) || flag === 'registry' ? `an ExternalDNS ${flag}` : `a ${flag}`;
  const list = supported.length === 0 ? 'none yet' : [...supported].sort().join(', ');
  const hint = flag === 'provider' && supported.includes(OUT_OF_TREE_PROVIDER.name) ? `; ${OUT_OF_TREE_PROVIDER.hint}` : '';
  throw new ExtdnsError(
    ConfigErrors.EXTDNS_CONFIG_UNSUPPORTED,
    `--${flag}=${name} is ${where} that extdns does not support yet. Supported ${flag === 'registry' ? 'registries' : `${flag}s`}: ${list}${hint}`,
  );
}

/** ExternalDNS's resolveDeprecatedFlags: old names still work, and say so. */
function resolveDeprecated(values: Record<string, FlagValue>, given: ReadonlySet<string>, warn?: (m: string) => void): void {
  if (given.has('request-timeout')) {
    if (given.has('kube-api-request-timeout')) {
      warn?.('--request-timeout is deprecated and ignored because --kube-api-request-timeout is set too; drop it');
    } else {
      values['kubeApiRequestTimeout'] = values['requestTimeout'] as number;
      warn?.('--request-timeout is deprecated: use --kube-api-request-timeout (its value was used for it)');
    }
  }
  if (given.has('rfc2136-tsig-axfr') && values['rfc2136TsigAxfr'] === true) {
    values['rfc2136Axfr'] = true;
    warn?.('--rfc2136-tsig-axfr is deprecated: use --rfc2136-axfr (zone transfers were turned on)');
  }
}

function warnUnused(given: ReadonlySet<string>, warn?: (m: string) => void): void {
  for (const flag of FLAGS) {
    const unused = (flag as FlagDef).unused;
    if (unused !== undefined && given.has(flag.name)) warn?.(`--${flag.name} has no effect: ${unused}`);
  }
}
