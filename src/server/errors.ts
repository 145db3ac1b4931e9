/** Error codes of the HTTP server on --metrics-address. */
import { defineErrors } from '../errors/errors.ts';

export const ServerErrors = defineErrors({
  EXTDNS_SERVER_ADDRESS_INVALID: {
    transient: false,
    summary: '--metrics-address is not [host]:port (e.g. ":7979", "127.0.0.1:7979", "[::1]:7979"); fix the flag.',
  },
  EXTDNS_SERVER_ADDRESS_IN_USE: {
    transient: false,
    summary: 'Another process already listens on --metrics-address; stop it or pick another --metrics-address.',
  },
  EXTDNS_SERVER_BIND: {
    transient: false,
    summary: 'The metrics and health server could not listen on --metrics-address (no such local address, or a port below 1024 without the right); pick another --metrics-address.',
  },
});
