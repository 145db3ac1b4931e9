/**
 * The provider table: every `--provider` name extdns supports. Each provider
 * describes itself in src/provider/<name>/descriptor.ts (see ./descriptor.ts);
 * adding one is a new folder and one line here.
 */
import type { ProviderDescriptor } from './descriptor.ts';
import { aws } from './aws/descriptor.ts';
import { coredns, skydns } from './coredns/descriptor.ts';
import { cloudflare } from './cloudflare/descriptor.ts';
import { google } from './google/descriptor.ts';
import { azure, azureDns } from './azure/descriptor.ts';
import { azurePrivateDns } from './azure-private-dns/descriptor.ts';
import { inmemory } from './inmemory/descriptor.ts';
import { pdns } from './pdns/descriptor.ts';
import { rfc2136 } from './rfc2136/descriptor.ts';
import { webhook } from './webhook/descriptor.ts';
import { zonefile } from './zonefile/descriptor.ts';

export type { ProviderDeps, ProviderDescriptor, TlsConnection } from './descriptor.ts';

const LIST: readonly ProviderDescriptor[] = [
  inmemory,
  zonefile,
  pdns,
  aws,
  webhook,
  rfc2136,
  coredns,
  skydns,
  cloudflare,
  google,
  azure,
  azureDns,
  azurePrivateDns,
];

export const PROVIDERS: Readonly<Record<string, ProviderDescriptor>> = Object.fromEntries(LIST.map((p) => [p.name, p]));

export const SUPPORTED_PROVIDERS: readonly string[] = LIST.map((p) => p.name);

/** The providers' own metrics hooks (ProviderDescriptor.metrics), registered by src/metrics/telemetry.ts for every provider. */
export const PROVIDER_METRICS: readonly { readonly name: string; readonly define: NonNullable<ProviderDescriptor['metrics']> }[] =
  LIST.flatMap((p) => (p.metrics === undefined ? [] : [{ name: p.name, define: p.metrics }]));
