/** Flags of the self-hosted and API DNS providers extdns does not implement, and TLS (ExternalDNS v0.22 names and defaults); implemented providers bring theirs (src/provider/flags.ts). */

import type { FlagDef } from '../schema.ts';

const NS1 = 'Provider: NS1';
const GD = 'Provider: GoDaddy';
const PI = 'Provider: Pi-hole';
const TLS = 'TLS';

export const DNS_PROVIDER_FLAGS = [
  { name: 'ns1-endpoint', kind: 'string', default: '', group: NS1, components: ['provider:ns1'],
    help: 'URL of the NS1 API; empty means the public API, https://api.nsone.net/v1/' },
  { name: 'ns1-ignoressl', kind: 'bool', default: false, group: NS1, components: ['provider:ns1'],
    help: 'Accept any TLS certificate from the NS1 API (insecure)' },
  { name: 'ns1-min-ttl', kind: 'int', default: 0, group: NS1, components: ['provider:ns1'],
    help: 'Lowest TTL in seconds written to NS1; lower TTLs are raised to it' },

  { name: 'godaddy-api-key', kind: 'string', default: '', group: GD, components: ['provider:godaddy'], secret: true,
    help: 'GoDaddy API key' },
  { name: 'godaddy-api-secret', kind: 'string', default: '', group: GD, components: ['provider:godaddy'], secret: true,
    help: 'GoDaddy API secret' },
  { name: 'godaddy-api-ttl', kind: 'int', default: 0, group: GD, components: ['provider:godaddy'],
    help: 'TTL in seconds for records whose source sets none' },
  { name: 'godaddy-api-ote', kind: 'bool', default: false, group: GD, components: ['provider:godaddy'],
    help: 'Use the GoDaddy OTE test environment' },

  { name: 'pihole-server', kind: 'string', default: '', group: PI, components: ['provider:pihole'],
    help: 'Base URL of the Pi-hole web server (required with --provider=pihole)' },
  { name: 'pihole-password', kind: 'string', default: '', group: PI, components: ['provider:pihole'], secret: true,
    help: 'Password of the Pi-hole web interface, if it has one' },
  { name: 'pihole-tls-skip-verify', kind: 'bool', default: false, group: PI, components: ['provider:pihole', 'tls'],
    help: 'Accept any TLS certificate from Pi-hole (insecure)' },

  { name: 'tls-ca', kind: 'strings', default: [], group: TLS, components: ['tls'], placeholder: 'PATH',
    extdnsNote: 'repeatable, and trusted by every TLS provider connection; ExternalDNS takes one path and only pdns and rfc2136 read it',
    help: 'CA certificate file (PEM) to trust for provider connections; repeat for several. See --tls-ca-mode' },
  { name: 'tls-client-cert', kind: 'string', default: '', group: TLS, components: ['tls'],
    help: 'Client certificate (PEM) presented for mutual TLS; needs --tls-client-cert-key' },
  { name: 'tls-client-cert-key', kind: 'string', default: '', group: TLS, components: ['tls'],
    help: 'Private key (PEM) of --tls-client-cert' },
] as const satisfies readonly FlagDef[];
