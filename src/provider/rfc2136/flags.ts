/** Flags of the RFC 2136 provider (ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/dns-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const RFC = 'Provider: RFC2136';
const rfc = ['provider:rfc2136'];

export const RFC2136_FLAGS = [
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
] as const satisfies readonly FlagDef[];
