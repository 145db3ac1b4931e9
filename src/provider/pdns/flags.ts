/** Flags of the PowerDNS provider (ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/dns-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const PDNS = 'Provider: PowerDNS';

export const PDNS_FLAGS = [
  { name: 'pdns-server', kind: 'string', default: 'http://localhost:8081', group: PDNS, components: ['provider:pdns'],
    help: 'Base URL of the PowerDNS API' },
  { name: 'pdns-server-id', kind: 'string', default: 'localhost', group: PDNS, components: ['provider:pdns'],
    help: 'PowerDNS server id in API paths; localhost unless a proxy says otherwise' },
  { name: 'pdns-api-key', kind: 'string', default: '', group: PDNS, components: ['provider:pdns'], secret: true,
    help: 'PowerDNS API key (sent as X-API-Key)' },
  { name: 'pdns-skip-tls-verify', kind: 'bool', default: false, group: PDNS, components: ['provider:pdns', 'tls'],
    help: 'Accept any TLS certificate from the PowerDNS API (insecure)' },
] as const satisfies readonly FlagDef[];
