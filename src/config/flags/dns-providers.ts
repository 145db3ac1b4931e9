/** Flags of the self-hosted and API DNS providers, the webhook and TLS (ExternalDNS v0.22 names and defaults). */

import type { FlagDef } from '../schema.ts';
import { WEBHOOK_PROVIDER_FLAGS } from '../../provider/webhook/flags.ts';
import { PDNS_FLAGS } from '../../provider/pdns/flags.ts';
import { INMEMORY_FLAGS } from '../../provider/inmemory/flags.ts';

const CORE = 'Provider: CoreDNS';
const NS1 = 'Provider: NS1';
const GD = 'Provider: GoDaddy';
const RFC = 'Provider: RFC2136';
const PI = 'Provider: Pi-hole';
const WH = 'Provider: Webhook';
const TLS = 'TLS';

const rfc = ['provider:rfc2136'];

export const DNS_PROVIDER_FLAGS = [
  { name: 'coredns-prefix', kind: 'string', default: '/skydns/', group: CORE, components: ['provider:coredns'],
    help: 'etcd key prefix under which CoreDNS reads records' },
  { name: 'coredns-strictly-owned', kind: 'bool', default: false, group: CORE, components: ['provider:coredns'],
    help: 'Store --txt-owner-id in each etcd entry and touch only entries that carry it' },

  ...INMEMORY_FLAGS,

  ...PDNS_FLAGS,

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

  { name: 'rfc2136-host', kind: 'strings', default: [], group: RFC, components: rfc, placeholder: 'HOST',
    help: 'Name server to send updates to; repeat for several with --rfc2136-load-balancing-strategy' },
  { name: 'rfc2136-port', kind: 'int', default: 0, group: RFC, components: rfc,
    help: 'Port of the name server' },
  { name: 'rfc2136-zone', kind: 'strings', default: [], group: RFC, components: rfc, placeholder: 'ZONE',
    help: 'Zone to manage; repeat for several' },
  { name: 'rfc2136-insecure', kind: 'bool', default: false, group: RFC, components: rfc,
    help: 'Send updates without TSIG signatures' },
  { name: 'rfc2136-tsig-keyname', kind: 'string', default: '', group: RFC, components: rfc,
    help: 'Name of the TSIG key that signs updates (needed unless --rfc2136-insecure)' },
  { name: 'rfc2136-tsig-secret', kind: 'string', default: '', group: RFC, components: rfc, secret: true,
    help: 'Base64 secret of the TSIG key (needed unless --rfc2136-insecure)' },
  { name: 'rfc2136-tsig-secret-alg', kind: 'string', default: '', group: RFC, components: rfc,
    help: 'TSIG algorithm, e.g. hmac-sha256' },
  { name: 'rfc2136-axfr', kind: 'bool', default: false, group: RFC, components: rfc,
    help: 'List existing records with zone transfers (AXFR); without it records cannot be read, as with --policy=create-only' },
  { name: 'rfc2136-tsig-axfr', kind: 'bool', default: false, group: RFC, components: rfc, deprecated: 'rfc2136-axfr',
    help: 'Old name of --rfc2136-axfr; either one turns zone transfers on' },
  { name: 'rfc2136-min-ttl', kind: 'duration', default: '0s', group: RFC, components: rfc,
    help: 'Lowest TTL written; lower TTLs are raised to it' },
  { name: 'rfc2136-gss-tsig', kind: 'bool', default: false, group: RFC, components: rfc,
    help: 'Sign updates with GSS-TSIG (Kerberos, e.g. for Windows DNS); needs the three --rfc2136-kerberos-* flags' },
  { name: 'rfc2136-kerberos-username', kind: 'string', default: '', group: RFC, components: rfc,
    help: 'Kerberos user allowed to update the zones (with --rfc2136-gss-tsig)' },
  { name: 'rfc2136-kerberos-password', kind: 'string', default: '', group: RFC, components: rfc, secret: true,
    help: 'Password of the Kerberos user (with --rfc2136-gss-tsig)' },
  { name: 'rfc2136-kerberos-realm', kind: 'string', default: '', group: RFC, components: rfc,
    help: 'Kerberos realm of the user (with --rfc2136-gss-tsig)' },
  { name: 'rfc2136-batch-change-size', kind: 'int', default: 50, group: RFC, components: rfc,
    help: 'Largest number of changes in one update message; at least 1' },
  { name: 'rfc2136-use-tls', kind: 'bool', default: false, group: RFC, components: [...rfc, 'tls'],
    help: 'Talk to the name server over DNS-over-TLS (TLS 1.3)' },
  { name: 'rfc2136-skip-tls-verify', kind: 'bool', default: false, group: RFC, components: [...rfc, 'tls'],
    help: 'Accept any TLS certificate from the name server (insecure)' },
  { name: 'rfc2136-load-balancing-strategy', kind: 'enum', default: 'disabled', group: RFC, components: rfc,
    values: ['random', 'round-robin', 'disabled'], help: 'How updates are spread over several --rfc2136-host servers' },

  { name: 'pihole-server', kind: 'string', default: '', group: PI, components: ['provider:pihole'],
    help: 'Base URL of the Pi-hole web server (required with --provider=pihole)' },
  { name: 'pihole-password', kind: 'string', default: '', group: PI, components: ['provider:pihole'], secret: true,
    help: 'Password of the Pi-hole web interface, if it has one' },
  { name: 'pihole-tls-skip-verify', kind: 'bool', default: false, group: PI, components: ['provider:pihole', 'tls'],
    help: 'Accept any TLS certificate from Pi-hole (insecure)' },

  ...WEBHOOK_PROVIDER_FLAGS,
  { name: 'webhook-server', kind: 'bool', default: false, group: WH, components: ['provider:webhook'],
    help: 'Serve the configured provider over the webhook protocol instead of running the controller' },

  { name: 'tls-ca', kind: 'strings', default: [], group: TLS, components: ['tls'], placeholder: 'PATH',
    extdnsNote: 'repeatable, and trusted by every TLS provider connection; ExternalDNS takes one path and only pdns and rfc2136 read it',
    help: 'CA certificate file (PEM) to trust for provider connections; repeat for several. See --tls-ca-mode' },
  { name: 'tls-client-cert', kind: 'string', default: '', group: TLS, components: ['tls'],
    help: 'Client certificate (PEM) presented for mutual TLS; needs --tls-client-cert-key' },
  { name: 'tls-client-cert-key', kind: 'string', default: '', group: TLS, components: ['tls'],
    help: 'Private key (PEM) of --tls-client-cert' },
] as const satisfies readonly FlagDef[];
