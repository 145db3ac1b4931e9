/**
 * The one definition of every flag: name, kind, default, help, group, which
 * components read it, whether it is secret. The CLI parser, the
 * EXTERNAL_DNS_* environment mapping, masking in logs, --help and
 * docs/flags.md are all derived from this list (see ./parse.ts, ./docs.ts).
 *
 * Naming: `--txt-owner-id` is `config.txtOwnerId`; its env var is
 * `EXTERNAL_DNS_TXT_OWNER_ID`. Durations are milliseconds in the Config; their
 * defaults are written here in Go syntax ('1m', '30s'), as ExternalDNS prints them.
 *
 * The entries live in ./flags/*.ts, one file per stage, in the order of GROUPS.
 */

import { KUBE_FLAGS, SOURCE_FLAGS } from './flags/sources.ts';
import { FILTER_FLAGS, PROVIDER_FLAGS } from './flags/filters.ts';
import { CLOUD_PROVIDER_FLAGS } from './flags/cloud-providers.ts';
import { DNS_PROVIDER_FLAGS } from './flags/dns-providers.ts';
import { CONTROLLER_FLAGS, REGISTRY_FLAGS } from './flags/controller.ts';
import { EXTDNS_FLAGS } from './flags/extdns.ts';
import { PROVIDERS_OWN_FLAGS } from '../provider/flags.ts';

export type FlagKind = 'string' | 'bool' | 'int' | 'float' | 'duration' | 'strings' | 'enum' | 'enums';

export interface FlagDef {
  readonly name: string;
  readonly kind: FlagKind;
  readonly default: string | number | boolean | readonly string[];
  readonly help: string;
  readonly group: string;
  /** Allowed values for enum / enums ('' listed when ExternalDNS accepts an empty value). */
  readonly values?: readonly string[];
  /** Masked when the config is logged (ExternalDNS `secure:"yes"`). */
  readonly secret?: boolean;
  /** Which parts of extdns read it, e.g. ['registry'], ['provider:pdns'], ['tls']. */
  readonly components: readonly string[];
  /** Accepted for compatibility but has no effect in extdns (said in --help and docs). */
  readonly unused?: string;
  /** Must be given on the command line or in the environment. */
  readonly required?: boolean;
  /** Deprecated in ExternalDNS: names the flag to use instead. */
  readonly deprecated?: string;
  /** Not an ExternalDNS flag: extdns's own. */
  readonly extdnsOnly?: boolean;
  /** How extdns differs from ExternalDNS for this flag. */
  readonly extdnsNote?: string;
  /** Extra shape check of each value at parse time. */
  readonly format?: 'key=value';
  /** Placeholder shown in help for the value, e.g. SOURCE. */
  readonly placeholder?: string;
}

export interface FlagGroup {
  readonly name: string;
  readonly description: string;
}

/** Groups in display order: by stage, then one per provider, then extdns's own. */
export const GROUPS: readonly FlagGroup[] = [
  { name: 'Kubernetes client', description: 'How extdns reaches the Kubernetes API server.' },
  { name: 'Sources', description: 'Which Kubernetes resources are read, and which of them.' },
  { name: 'Templates', description: 'Names and targets built from templates instead of annotations.' },
  { name: 'Source: Service', description: 'Options of the service source.' },
  { name: 'Source: Ingress', description: 'Options of the ingress source.' },
  { name: 'Source: Node and Pod', description: 'Options of the node and pod sources.' },
  { name: 'Source: Gateway API', description: 'Options of the gateway-* route sources.' },
  { name: 'Source: CRD and connector', description: 'Options of the crd and connector sources.' },
  { name: 'Source: others', description: 'Options of the remaining sources.' },
  { name: 'Endpoint processing', description: 'Changes applied to every endpoint the sources produce.' },
  { name: 'Domain and record filtering', description: 'Which names, zones and record types are managed.' },
  { name: 'Provider', description: 'Which DNS provider, and knobs shared by several providers.' },
  { name: 'Provider: AWS', description: 'Amazon Route 53.' },
  { name: 'Provider: AWS Cloud Map', description: 'The aws-sd provider.' },
  { name: 'Provider: Azure', description: 'Azure DNS and Azure Private DNS.' },
  { name: 'Provider: Google', description: 'Google Cloud DNS.' },
  { name: 'Provider: Alibaba Cloud', description: 'Alibaba Cloud DNS.' },
  { name: 'Provider: Cloudflare', description: 'Cloudflare DNS.' },
  { name: 'Provider: CoreDNS', description: 'CoreDNS / SkyDNS records in etcd (etcd itself is set with ETCD_* variables).' },
  { name: 'Provider: OCI', description: 'Oracle Cloud Infrastructure DNS.' },
  { name: 'Provider: In-memory', description: 'The in-memory provider, for tests and demos.' },
  { name: 'Provider: OVH', description: 'OVHcloud DNS.' },
  { name: 'Provider: PowerDNS', description: 'The PowerDNS Authoritative HTTP API.' },
  { name: 'Provider: NS1', description: 'NS1 managed DNS.' },
  { name: 'Provider: GoDaddy', description: 'GoDaddy DNS.' },
  { name: 'Provider: Exoscale', description: 'Exoscale DNS.' },
  { name: 'Provider: RFC2136', description: 'Dynamic DNS updates (RFC 2136) to BIND, Knot, Windows DNS and others.' },
  { name: 'Provider: Pi-hole', description: 'Pi-hole local DNS (v6 API).' },
  { name: 'Provider: Webhook', description: 'Out-of-tree providers behind the ExternalDNS webhook protocol.' },
  { name: 'TLS', description: 'Trust and client certificates for provider connections.' },
  { name: 'Registry', description: 'How ownership of records is tracked.' },
  { name: 'Registry: DynamoDB', description: 'The dynamodb registry.' },
  { name: 'Registry: CRD', description: 'The crd registry (alpha).' },
  { name: 'Policy and loop', description: 'What may change, and when synchronisation runs.' },
  { name: 'Logging and metrics', description: 'Log output and the /metrics and /healthz endpoint.' },
  { name: 'extdns: manifest source', description: 'Resources read from local YAML files instead of a cluster.' },
  { name: 'extdns: zonefile provider', description: 'Records kept in local zone files.' },
  { name: 'extdns: TLS trust', description: 'How --tls-ca combines with the system trust store.' },
  { name: 'extdns: delete brake', description: 'Holds back syncs that would delete many records at once.' },
  { name: 'extdns: leader election', description: 'Several replicas, one writer, through a Kubernetes Lease.' },
  { name: 'extdns: ownership safety', description: 'Guards against two instances fighting over records.' },
  { name: 'extdns: webhook server', description: '`extdns webhook`: an extdns provider served over the webhook protocol.' },
  { name: 'extdns: status page', description: 'What the running controller is doing, on the --metrics-address server.' },
];

export const FLAGS = [
  ...KUBE_FLAGS,
  ...SOURCE_FLAGS,
  ...FILTER_FLAGS,
  ...PROVIDER_FLAGS,
  ...PROVIDERS_OWN_FLAGS,
  ...CLOUD_PROVIDER_FLAGS,
  ...DNS_PROVIDER_FLAGS,
  ...REGISTRY_FLAGS,
  ...CONTROLLER_FLAGS,
  ...EXTDNS_FLAGS,
] as const satisfies readonly FlagDef[];

export type FlagName = (typeof FLAGS)[number]['name'];

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type EnumValue<F> = F extends { readonly values: readonly (infer V)[] } ? V : string;
type ValueOf<F extends FlagDef> = F['kind'] extends 'bool'
  ? boolean
  : F['kind'] extends 'int' | 'float' | 'duration'
    ? number
    : F['kind'] extends 'enums'
      ? readonly EnumValue<F>[]
      : F['kind'] extends 'strings'
        ? readonly string[]
        : F['kind'] extends 'enum'
          ? EnumValue<F>
          : string;

/** The parsed, frozen configuration: one camelCase key per flag. */
export type Config = { readonly [F in (typeof FLAGS)[number] as Camel<F['name']>]: ValueOf<F> };
export type ConfigKey = keyof Config;

/** `txt-owner-id` → `txtOwnerId` (the Config key). */
export function configKey(flagName: string): ConfigKey {
  return flagName.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) as ConfigKey;
}

/** `txt-owner-id` → `EXTERNAL_DNS_TXT_OWNER_ID`, as kingpin's DefaultEnvars() derives it. */
export function envVarName(flagName: string): string {
  return `EXTERNAL_DNS_${flagName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function isRepeatable(flag: FlagDef): boolean {
  return flag.kind === 'strings' || flag.kind === 'enums';
}

const byName = new Map<string, FlagDef>(FLAGS.map((f) => [f.name, f]));

export function findFlag(name: string): FlagDef | undefined {
  return byName.get(name);
}
