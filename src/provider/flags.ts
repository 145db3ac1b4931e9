/**
 * What the one config schema (src/config/schema.ts) knows of the providers:
 * the --provider names and each implemented provider's own flags
 * (src/provider/<name>/flags.ts). A new provider adds its flags here and its
 * descriptor to ./table.ts; no file under src/config names it.
 */
import type { FlagDef } from '../config/schema.ts';
import { AWS_FLAGS } from './aws/flags.ts';
import { AZURE_FLAGS } from './azure/flags.ts';
import { CLOUDFLARE_FLAGS } from './cloudflare/flags.ts';
import { COREDNS_FLAGS } from './coredns/flags.ts';
import { GOOGLE_FLAGS } from './google/flags.ts';
import { INMEMORY_FLAGS } from './inmemory/flags.ts';
import { PDNS_FLAGS } from './pdns/flags.ts';
import { RFC2136_FLAGS } from './rfc2136/flags.ts';
import { WEBHOOK_PROVIDER_FLAGS, WEBHOOK_SERVER_FLAGS } from './webhook/flags.ts';
import { ZONEFILE_FLAGS } from './zonefile/flags.ts';

/** Every --provider value ExternalDNS v0.22 accepts (pkg/apis/externaldns/types.go), plus extdns's own. */
export const EXTERNAL_DNS_PROVIDERS = [
  'alibabacloud', 'aws', 'aws-sd', 'azure', 'azure-dns', 'azure-private-dns', 'civo', 'cloudflare', 'coredns',
  'dnsimple', 'exoscale', 'gandi', 'godaddy', 'google', 'inmemory', 'linode', 'ns1', 'oci', 'ovh', 'pdns', 'pihole',
  'rfc2136', 'scaleway', 'skydns', 'webhook',
] as const;
export const EXTDNS_PROVIDERS = ['zonefile'] as const;

/** The provider that reaches providers extdns lacks (named when --provider is one of those). */
export const OUT_OF_TREE_PROVIDER = { name: 'webhook', hint: 'an out-of-tree provider can be reached with --provider=webhook' } as const;

/** The implemented providers' flags, in the order of src/config/schema.ts GROUPS. */
export const PROVIDERS_OWN_FLAGS = [
  ...AWS_FLAGS,
  ...AZURE_FLAGS,
  ...GOOGLE_FLAGS,
  ...CLOUDFLARE_FLAGS,
  ...COREDNS_FLAGS,
  ...INMEMORY_FLAGS,
  ...PDNS_FLAGS,
  ...RFC2136_FLAGS,
  ...WEBHOOK_PROVIDER_FLAGS,
  ...WEBHOOK_SERVER_FLAGS,
  ...ZONEFILE_FLAGS,
] as const satisfies readonly FlagDef[];
