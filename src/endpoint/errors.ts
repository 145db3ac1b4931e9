/** Error codes of the endpoint module: malformed webhook JSON and unusable domain filters. */
import { defineErrors } from '../errors/errors.ts';

export const EndpointErrors = defineErrors({
  EXTDNS_ENDPOINT_WIRE: {
    transient: false,
    summary: 'An endpoint, change set or domain filter in webhook JSON has a field of the wrong type; the message gives its path (e.g. create[3].recordTTL).',
  },
  EXTDNS_DOMAIN_FILTER_REGEX: {
    transient: false,
    summary: 'A domain filter regular expression does not compile; fix the flag or field named in the message.',
  },
  EXTDNS_DOMAIN_FILTER_MIXED: {
    transient: false,
    summary: 'A domain filter sets both a domain list and a regular expression; use one form or the other.',
  },
});
