import { defineErrors } from '../errors/errors.ts';

export const CliErrors = defineErrors({
  EXTDNS_CLI_FLAG_VALUE_MISSING: { transient: false, summary: 'A subcommand flag (--output, --endpoint) was given without a value.' },
  EXTDNS_CLI_FLAG_VALUE_INVALID: { transient: false, summary: 'A subcommand flag has a value the subcommand does not accept.' },
  EXTDNS_CLI_EXPLAIN_NAME: { transient: false, summary: '`extdns explain` was run without a DNS name as its first argument.' },
});
