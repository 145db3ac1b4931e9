/** Error codes of the Cloudflare provider. */
import { defineErrors } from '../../errors/errors.ts';

export const CloudflareErrors = defineErrors({
  EXTDNS_CLOUDFLARE_CONFIG: {
    transient: false,
    summary: 'The Cloudflare provider is misconfigured: set CF_API_TOKEN (or CF_API_TOKEN=file:<path>), or CF_API_KEY with CF_API_EMAIL.',
  },
  EXTDNS_CLOUDFLARE_UNREACHABLE: {
    transient: true,
    summary: 'The Cloudflare API could not be reached (connection refused or reset, DNS failure, proxy, timeout); retried next run.',
  },
  EXTDNS_CLOUDFLARE_TLS: {
    transient: false,
    summary: 'The TLS connection to the Cloudflare API failed (server certificate not trusted: check --tls-ca, name mismatch).',
  },
  EXTDNS_CLOUDFLARE_UNAUTHORIZED: {
    transient: false,
    summary: 'The Cloudflare API refused the credentials (401/403): check CF_API_TOKEN or CF_API_KEY/CF_API_EMAIL and the token\'s Zone:DNS permissions.',
  },
  EXTDNS_CLOUDFLARE_RATE_LIMITED: {
    transient: true,
    summary: 'The Cloudflare API kept answering 429 after the retries extdns allows (Retry-After honoured); retried next run.',
  },
  EXTDNS_CLOUDFLARE_API_ERROR: {
    transient: true,
    summary: 'The Cloudflare API answered with an error (5xx, or an unexpected 4xx); the message carries Cloudflare\'s error codes.',
  },
  EXTDNS_CLOUDFLARE_CHANGES_REJECTED: {
    transient: false, kind: 'data',
    summary: 'Cloudflare rejected some changes (records, custom hostnames, regional hostnames), or extdns refused them (a custom hostname served from another record, conflicting region keys, a malformed MX/SRV target); the other changes of the zone were applied. The message names each one and the reason.',
  },
  EXTDNS_CLOUDFLARE_STALE_PLAN: {
    transient: true,
    summary: 'The zone no longer matches the plan (a record to create exists, one to delete is gone or holds other values); nothing was written, the zone is re-read next run.',
  },
});
