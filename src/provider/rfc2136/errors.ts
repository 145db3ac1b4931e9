/** Error codes of the RFC 2136 provider and its protocol layer. */
import { defineErrors } from '../../errors/errors.ts';

export const Rfc2136Errors = defineErrors({
  EXTDNS_RFC2136_REFUSED: {
    transient: false,
    summary: 'The DNS server answered an UPDATE or AXFR with an error RCODE (NOTAUTH, REFUSED, NOTZONE…); the message names it in plain words and the fix.',
  },
  EXTDNS_RFC2136_TSIG: {
    transient: false,
    summary: 'TSIG failed: the server rejected the key, the signature or the time (BADKEY, BADSIG, BADTIME), or its answer was not signed correctly with the key.',
  },
  EXTDNS_RFC2136_UNREACHABLE: {
    transient: true,
    summary: 'No configured --rfc2136-host answered (connection refused, timed out, closed, or TLS failed); retried at the next run.',
  },
  EXTDNS_RFC2136_MALFORMED: {
    transient: true,
    summary: 'The DNS server sent a message that is not valid DNS wire format or does not answer the question asked.',
  },
  EXTDNS_RFC2136_CONFIG: {
    transient: false,
    summary: 'The --rfc2136-* flags cannot work together (unknown TSIG algorithm, a secret that is not base64, a key name missing, an unsupported GSS-TSIG).',
  },
  EXTDNS_RFC2136_RECORD: {
    transient: false,
    kind: 'refused-change',
    summary: 'A record cannot be written as an RFC 2136 update (a target that is not valid for its type); nothing of its batch was sent.',
  },
});
