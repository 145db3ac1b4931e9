/** Error codes of the Google Cloud DNS provider. */
import { defineErrors } from '../../errors/errors.ts';

export const GoogleErrors = defineErrors({
  EXTDNS_GOOGLE_CONFIG: {
    transient: false,
    summary: 'The Google provider is misconfigured: no project (set --google-project, or run where the metadata server answers), or CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS is not an https URL.',
  },
  EXTDNS_GOOGLE_CREDENTIALS: {
    transient: true,
    summary: 'No Google access token could be had from Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, the metadata server, gcloud credentials); the message carries the auth library\'s reason.',
  },
  EXTDNS_GOOGLE_UNREACHABLE: {
    transient: true,
    summary: 'The Cloud DNS API could not be reached (connection refused or reset, DNS failure, timeout); retried next run.',
  },
  EXTDNS_GOOGLE_TLS: {
    transient: false,
    summary: 'The TLS connection to the Cloud DNS API, the OAuth token endpoint or STS failed (server certificate not trusted: see --tls-ca and `extdns doctor`).',
  },
  EXTDNS_GOOGLE_THROTTLED: {
    transient: true,
    summary: 'Cloud DNS still answered 429 (rate limit or quota) after 3 waits (1 s, doubling, at most 30 s each); nothing more was sent this run and the sync is retried next run.',
  },
  EXTDNS_GOOGLE_SERVER_ERROR: {
    transient: true,
    summary: 'Cloud DNS answered with a 5xx status; retried next run.',
  },
  EXTDNS_GOOGLE_UNAUTHORIZED: {
    transient: false,
    summary: 'Cloud DNS refused the credentials (401/403): check the service account\'s roles (roles/dns.admin) and --google-project.',
  },
  EXTDNS_GOOGLE_BAD_RESPONSE: {
    transient: true,
    summary: 'Cloud DNS answered with a body extdns could not read (not the expected JSON).',
  },
  EXTDNS_GOOGLE_CHANGE_REJECTED: {
    transient: false, kind: 'data',
    summary: 'Cloud DNS rejected a change (4xx); nothing of that change was applied. The message names its records and carries Google\'s reason.',
  },
  EXTDNS_GOOGLE_STALE_PLAN: {
    transient: true,
    summary: 'The zone no longer matches the plan (a record set to create exists, one to delete is gone or holds other values), also after re-reading once; nothing of that change was written.',
  },
});
