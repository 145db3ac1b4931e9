/** Flags of this provider (ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/cloud-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const CF = 'Provider: Cloudflare';

/** Besides these, Cloudflare reads the shared --zone-id-filter, --batch-change-size and --batch-change-interval (src/config/flags/filters.ts). */

export const CLOUDFLARE_FLAGS = [
  { name: 'cloudflare-proxied', kind: 'bool', default: false, group: CF, components: ['provider:cloudflare'],
    help: 'Create records with Cloudflare proxying turned on' },
  { name: 'cloudflare-custom-hostnames', kind: 'bool', default: false, group: CF, components: ['provider:cloudflare'],
    help: 'Manage Cloudflare custom hostnames too (needs "Cloudflare for SaaS")' },
  { name: 'cloudflare-custom-hostnames-min-tls-version', kind: 'enum', default: '1.0', group: CF, components: ['provider:cloudflare'],
    values: ['1.0', '1.1', '1.2', '1.3'], help: 'Lowest TLS version accepted by new custom hostnames' },
  { name: 'cloudflare-custom-hostnames-certificate-authority', kind: 'enum', default: 'none', group: CF,
    components: ['provider:cloudflare'], values: ['google', 'ssl_com', 'lets_encrypt', 'none'],
    help: 'Certificate authority requested for custom hostnames; none sends no preference' },
  { name: 'cloudflare-dns-records-per-page', kind: 'int', default: 100, group: CF, components: ['provider:cloudflare'],
    help: 'Records fetched per page when listing (at most 5000)' },
  { name: 'cloudflare-regional-services', kind: 'bool', default: false, group: CF, components: ['provider:cloudflare'],
    help: 'Use Cloudflare Regional Services' },
  { name: 'cloudflare-region-key', kind: 'string', default: '', group: CF, components: ['provider:cloudflare'],
    help: 'Default region of Regional Services; any non-empty value turns the feature on' },
  { name: 'cloudflare-record-comment', kind: 'string', default: '', group: CF, components: ['provider:cloudflare'],
    help: 'Comment written on the records created' },
] as const satisfies readonly FlagDef[];
