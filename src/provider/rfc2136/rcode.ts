/** RCODEs of answers to UPDATE and AXFR, in plain words (RFC 1035, 2136, 8945). */
import { ExtdnsError } from '../../errors/errors.ts';
import { Rfc2136Errors } from './errors.ts';

const RCODES: Readonly<Record<number, { name: string; words: string }>> = {
  1: { name: 'FORMERR', words: 'the server could not parse the message' },
  2: { name: 'SERVFAIL', words: 'the server failed internally (see its log)' },
  3: { name: 'NXDOMAIN', words: 'a prerequisite name does not exist' },
  4: { name: 'NOTIMP', words: 'the server does not support this operation (dynamic updates or zone transfers)' },
  5: { name: 'REFUSED', words: 'the server refused by policy (allow-update / allow-transfer in BIND, the ACL in Knot, not granted to this key or address) or refused the change itself (BIND refuses an UPDATE that would leave the zone broken, e.g. deleting a name server\'s address: see the server\'s log)' },
  6: { name: 'YXDOMAIN', words: 'a name that must not exist does' },
  7: { name: 'YXRRSET', words: 'a record set that must not exist does' },
  8: { name: 'NXRRSET', words: 'a record set that must exist does not' },
  9: { name: 'NOTAUTH', words: 'the server is not authoritative for the zone, or it did not accept the TSIG signature (key name, secret or algorithm differ)' },
  10: { name: 'NOTZONE', words: 'a name is outside the zone of the message: check --rfc2136-zone' },
};

export const RCODE_NOERROR = 0;

export function rcodeName(rcode: number): string {
  return rcode === 0 ? 'NOERROR' : (RCODES[rcode]?.name ?? `RCODE${rcode}`);
}

/** A refusal by RCODE; `rcode` lets the provider tell a failed prerequisite from a policy refusal. */
export class RcodeError extends ExtdnsError {
  readonly rcode: number;
  readonly words: string;

  constructor(rcode: number, what: string, server: string) {
    const known = RCODES[rcode];
    const words = known === undefined ? `RCODE ${rcode}` : `${known.name}: ${known.words}`;
    // SERVFAIL may pass; everything else needs a change of configuration or data.
    super(Rfc2136Errors.EXTDNS_RFC2136_REFUSED, `${server} refused ${what} (${words})`, { transient: rcode === 2 });
    this.rcode = rcode;
    this.words = words;
  }
}

/** RCODEs that say a prerequisite failed: the zone is not as the plan read it. */
export const PREREQUISITE_RCODES: ReadonlySet<number> = new Set([3, 6, 7, 8]);

/** The error for a non-zero RCODE, naming what was asked of which server. */
export function rcodeError(rcode: number, what: string, server: string): RcodeError {
  return new RcodeError(rcode, what, server);
}

export function rcodeOf(msg: Buffer): number {
  return msg.readUInt16BE(2) & 0x0f;
}
