/** Error codes of the configuration stage. None is transient: the input has to change. */

import { defineErrors } from '../errors/errors.ts';

export const ConfigErrors = defineErrors({
  EXTDNS_CONFIG_UNKNOWN_FLAG: { transient: false, summary: 'A command-line flag that neither ExternalDNS v0.22 nor extdns defines.' },
  EXTDNS_CONFIG_MISSING_VALUE: { transient: false, summary: 'A flag that takes a value was given none.' },
  EXTDNS_CONFIG_REPEATED_FLAG: { transient: false, summary: 'A flag that takes one value was given more than once.' },
  EXTDNS_CONFIG_BAD_BOOL: { transient: false, summary: 'A true/false flag or variable has another value.' },
  EXTDNS_CONFIG_BAD_DURATION: { transient: false, summary: 'A duration is not in Go syntax (e.g. 1m30s, 500ms, 0).' },
  EXTDNS_CONFIG_BAD_NUMBER: { transient: false, summary: 'An integer or number flag has a value that is not one.' },
  EXTDNS_CONFIG_BAD_ENUM: { transient: false, summary: 'A flag that accepts a fixed set of values has another one.' },
  EXTDNS_CONFIG_BAD_VALUE: { transient: false, summary: 'A flag value has the wrong shape (e.g. KEY=VALUE expected).' },
  EXTDNS_CONFIG_MISSING_REQUIRED: { transient: false, summary: 'A required flag (--source, --provider, --policy) is missing.' },
  EXTDNS_CONFIG_UNSUPPORTED: { transient: false, summary: 'A source, provider or registry of ExternalDNS that extdns does not implement yet.' },
  EXTDNS_CONFIG_STRAY_ARGUMENT: { transient: false, summary: 'A command-line argument that is not a flag.' },
  EXTDNS_CONFIG_INVALID: { transient: false, summary: 'Flags that contradict each other or fail a check (all problems are listed).' },
});
