/** Error codes of the PowerDNS provider. */
import { defineErrors } from '../../errors/errors.ts';

export const PdnsErrors = defineErrors({
  EXTDNS_PDNS_CONFIG: {
    transient: false,
    summary: 'The PowerDNS provider is misconfigured (missing --pdns-api-key, or --pdns-server is not an http(s) URL).',
  },
  EXTDNS_PDNS_UNREACHABLE: {
    transient: true,
    summary: 'The PowerDNS API could not be reached (connection refused or reset, DNS failure, timeout); retried next run.',
  },
  EXTDNS_PDNS_TLS: {
    transient: false,
    summary: 'The TLS connection to the PowerDNS API failed (server certificate not trusted, name mismatch, client certificate refused).',
  },
  EXTDNS_PDNS_SERVER_ERROR: {
    transient: true,
    summary: 'The PowerDNS API answered with a 5xx status; retried next run.',
  },
  EXTDNS_PDNS_UNAUTHORIZED: {
    transient: false,
    summary: 'The PowerDNS API refused the API key (401/403): check --pdns-api-key and the server\'s api-key setting.',
  },
  EXTDNS_PDNS_REQUEST_REJECTED: {
    transient: false,
    summary: 'The PowerDNS API rejected a request (4xx); the message carries PowerDNS\'s own error text.',
  },
  EXTDNS_PDNS_BAD_RESPONSE: {
    transient: true,
    summary: 'The PowerDNS API answered with a body extdns could not read (not the expected JSON).',
  },
  EXTDNS_PDNS_CHANGES_REJECTED: {
    transient: false, kind: 'data',
    summary: 'PowerDNS rejected some record changes; the other changes of the zone were applied. The message names each rejected record.',
  },
  EXTDNS_PDNS_STALE_PLAN: {
    transient: true,
    summary: 'The zone no longer matches the plan (a record set to create exists, one to delete is gone or holds other values); nothing was written, the zone is re-read next run.',
  },
});
