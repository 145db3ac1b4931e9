/** Endpoint processing, domain filtering and provider selection flags (ExternalDNS v0.22). */

import type { FlagDef } from '../schema.ts';
import { EXTDNS_PROVIDERS, EXTERNAL_DNS_PROVIDERS } from '../../provider/flags.ts';


const E = 'Endpoint processing';
const D = 'Domain and record filtering';

export const FILTER_FLAGS = [
  { name: 'target-net-filter', kind: 'strings', default: [], group: E, components: ['source'], placeholder: 'CIDR',
    help: 'Keep only targets inside these networks; repeat for several (none given: all)' },
  { name: 'exclude-target-net', kind: 'strings', default: [], group: E, components: ['source'], placeholder: 'CIDR',
    help: 'Drop targets inside these networks; repeat for several' },
  { name: 'nat64-networks', kind: 'strings', default: [], group: E, components: ['source'], placeholder: 'CIDR',
    help: 'For each AAAA target inside one of these NAT64 networks, also publish the embedded IPv4 address as an A record; repeat for several' },
  { name: 'min-ttl', kind: 'duration', default: '0s', group: E, components: ['source'],
    help: 'TTL given to records whose source sets none (or 0), e.g. 1m12s or 72s' },
  { name: 'create-ptr', kind: 'bool', default: false, group: E, components: ['source'],
    help: 'Also create PTR records for A/AAAA records (annotations may override per resource). Needs PTR in --managed-record-types and the reverse zones in --domain-filter' },
  { name: 'prefer-alias', kind: 'bool', default: false, group: E, components: ['source'],
    help: 'Mark CNAME records as aliases, so providers with ALIAS support (PowerDNS, AWS without --aws-prefer-cname) use them' },

  { name: 'domain-filter', kind: 'strings', default: [], group: D, components: ['provider', 'source'], placeholder: 'DOMAIN',
    help: 'Manage only names in these domains (suffix match; ".example.com" means subdomains only); repeat for several (none given: all)' },
  { name: 'exclude-domains', kind: 'strings', default: [], group: D, components: ['provider', 'source'], placeholder: 'DOMAIN',
    help: 'Never manage names in these domains; repeat for several' },
  { name: 'regex-domain-filter', kind: 'string', default: '', group: D, components: ['provider', 'source'],
    help: 'Manage only names and zones matching this regular expression; replaces --domain-filter when set' },
  { name: 'regex-domain-exclusion', kind: 'string', default: '', group: D, components: ['provider', 'source'],
    help: 'Never manage names and zones matching this regular expression (used with --regex-domain-filter)' },
  { name: 'zone-name-filter', kind: 'strings', default: [], group: D, components: ['provider'], placeholder: 'ZONE',
    help: 'Use only zones with these names (Azure only); repeat for several' },
  { name: 'zone-id-filter', kind: 'strings', default: [], group: D, components: ['provider'], placeholder: 'ID',
    help: 'Use only zones with these provider zone ids; repeat for several' },
  { name: 'managed-record-types', kind: 'strings', default: ['A', 'AAAA', 'CNAME'], group: D, components: ['plan', 'registry'],
    placeholder: 'TYPE',
    help: 'Record types that are managed; repeat for several (supported: A, AAAA, CNAME, DNAME, MX, NAPTR, NS, PTR, SRV, TXT)' },
  { name: 'exclude-record-types', kind: 'strings', default: [], group: D, components: ['plan', 'registry'], placeholder: 'TYPE',
    help: 'Record types that are never managed; repeat for several' },
] as const satisfies readonly FlagDef[];

const P = 'Provider';
export const PROVIDER_FLAGS = [
  { name: 'provider', kind: 'enum', default: '', group: P, components: ['provider'], required: true, placeholder: 'PROVIDER',
    values: [...EXTERNAL_DNS_PROVIDERS, ...EXTDNS_PROVIDERS],
    help: 'DNS provider where records are written' },
  { name: 'provider-cache-time', kind: 'duration', default: '0s', group: P, components: ['provider'],
    help: 'How long the record list read from the provider is reused before it is read again; 0s reads it every sync' },
  { name: 'batch-change-size', kind: 'int', default: 200, group: P, components: ['provider'],
    help: 'Largest number of record changes sent to the provider in one batch' },
  { name: 'batch-change-interval', kind: 'duration', default: '1s', group: P, components: ['provider'],
    help: 'Pause between two batches of changes' },
] as const satisfies readonly FlagDef[];
