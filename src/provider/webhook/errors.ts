/** Error codes of the webhook provider (client) and of `extdns webhook` (server). */
import { defineErrors } from '../../errors/errors.ts';

export const WebhookErrors = defineErrors({
  EXTDNS_WEBHOOK_CONFIG: {
    transient: false,
    summary: '--webhook-provider-url is not an http(s) URL, or an `extdns webhook` option is unusable (e.g. --provider=webhook serving itself).',
  },
  EXTDNS_WEBHOOK_NEGOTIATION: {
    transient: false,
    summary: 'The start-up negotiation with the webhook failed (unreachable after 5 tries, a 3xx/4xx answer, a Content-Type other than application/external.dns.webhook+json;version=1, or an unreadable domain filter).',
  },
  EXTDNS_WEBHOOK_UNREACHABLE: {
    transient: false,
    summary: 'A webhook call failed at the transport (connection refused or reset, timeout, TLS); fatal as in ExternalDNS v0.22, so the pod restarts next to its sidecar.',
  },
  EXTDNS_WEBHOOK_TLS: {
    transient: false,
    summary: 'TLS to an https webhook failed (server certificate not trusted, name mismatch, client certificate refused); fix --tls-ca or the client certificate flags; `extdns doctor` explains the chain.',
  },
  EXTDNS_WEBHOOK_SERVER_ERROR: {
    transient: true,
    summary: 'The webhook answered 500-510 (ExternalDNS\'s "soft error"); the message carries the server\'s error text; retried next run.',
  },
  EXTDNS_WEBHOOK_REQUEST_REJECTED: {
    transient: false,
    summary: 'The webhook answered a status other than the expected one and not 500-510 (e.g. 400, 404, 415); the message carries the server\'s error text.',
  },
  EXTDNS_WEBHOOK_CONFLICT: {
    transient: true,
    summary: 'The webhook answered 409: the change set was planned from records that changed since (a concurrent edit); nothing was applied, and the next sync plans from fresh records. ExternalDNS v0.22 treats a 409 as fatal.',
  },
  EXTDNS_WEBHOOK_BAD_RESPONSE: {
    transient: false,
    summary: 'The webhook answered with a body extdns could not read (not JSON, not the expected shape, or larger than --webhook-provider-max-body-size).',
  },
  EXTDNS_WEBHOOK_SERVER_BIND: {
    transient: false,
    summary: '`extdns webhook` could not listen on --webhook-server-address (address in use, not [host]:port, or no permission).',
  },
});
