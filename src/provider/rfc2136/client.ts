/**
 * The two exchanges the provider makes with a server: an UPDATE (one
 * message, one answer) and an AXFR (one query, answers until the closing
 * SOA). Both are TSIG-signed unless the key is absent (--rfc2136-insecure),
 * and every signed answer is verified before it is believed.
 */
import { decode, type Answer } from 'dns-packet';
import { axfrQuery, updateMessage, type Prerequisite, type UpdateOp } from './message.ts';
import { rcodeError, rcodeOf, RCODE_NOERROR } from './rcode.ts';
import { signMessage, splitTsig, serverTsigError, TsigVerifier, type TsigKey } from './tsig.ts';
import { DnsConnection, type DnsServer, type TransportOptions } from './transport.ts';
import { malformed } from './wire.ts';

export interface ExchangeOptions {
  /** Absent: messages go unsigned (--rfc2136-insecure). */
  readonly key?: TsigKey | undefined;
  readonly transport: TransportOptions;
  /** Seconds since the epoch (TSIG Time Signed, and the check of the server's). */
  readonly nowSeconds: () => number;
  /** A random 16-bit message ID. */
  readonly nextId: () => number;
}

interface Signed { readonly message: Buffer; readonly verifier?: TsigVerifier | undefined }

function sign(message: Buffer, options: ExchangeOptions, label: string): Signed {
  if (options.key === undefined) return { message };
  const signed = signMessage(message, options.key, { time: options.nowSeconds() });
  return { message: signed.message, verifier: new TsigVerifier(options.key, signed.mac, options.nowSeconds, label) };
}

function checkAnswer(answer: Buffer, id: number, label: string): void {
  if (answer.length < 12) throw malformed(`${label} sent ${answer.length} bytes`);
  if (answer.readUInt16BE(0) !== id) throw malformed(`${label} answered with message ID ${answer.readUInt16BE(0)}, not ${id}`);
  if ((answer.readUInt16BE(2) & 0x8000) === 0) throw malformed(`${label} sent a query, not an answer`);
}

/**
 * Verifies an answer's TSIG, then its RCODE. A server that refuses the
 * signature answers unsigned (NOTAUTH with TSIG error BADSIG/BADKEY): that
 * TSIG error is the clearer report, so it comes first.
 */
function judge(answer: Buffer, signed: Signed, what: string, label: string): void {
  const tsig = splitTsig(answer)?.tsig;
  const refused = tsig === undefined ? undefined : serverTsigError(tsig, label);
  if (refused !== undefined) throw refused;
  const rcode = rcodeOf(answer);
  if (rcode !== RCODE_NOERROR && tsig === undefined) throw rcodeError(rcode, what, label);
  signed.verifier?.accept(answer);
  if (rcode !== RCODE_NOERROR) throw rcodeError(rcode, what, label);
}

export interface Update {
  readonly zone: string;
  readonly updates: readonly UpdateOp[];
  readonly prerequisites?: readonly Prerequisite[] | undefined;
}

/** Sends one UPDATE; resolves when the server applied it (all of it: an UPDATE is atomic). */
export async function sendUpdate(server: DnsServer, update: Update, options: ExchangeOptions): Promise<void> {
  const { zone, updates, prerequisites = [] } = update;
  const id = options.nextId();
  const connection = await DnsConnection.open(server, options.transport);
  try {
    const signed = sign(updateMessage(id, zone, updates, prerequisites), options, connection.label);
    connection.send(signed.message);
    const answer = await connection.next();
    checkAnswer(answer, id, connection.label);
    judge(answer, signed, `an UPDATE of zone ${zone} (${updates.length} change(s))`, connection.label);
  } finally {
    connection.close();
  }
}

function isSoa(a: Answer | undefined): boolean {
  return a?.type === 'SOA';
}

/**
 * The zone's records by AXFR: every message verified (RFC 8945 5.3.1), the
 * transfer complete at the second SOA. The closing SOA is not repeated.
 */
export async function transferZone(server: DnsServer, zone: string, options: ExchangeOptions): Promise<Answer[]> {
  const id = options.nextId();
  const connection = await DnsConnection.open(server, options.transport);
  try {
    const signed = sign(axfrQuery(id, zone), options, connection.label);
    connection.send(signed.message);
    const records: Answer[] = [];
    for (;;) {
      const answer = await connection.next();
      checkAnswer(answer, id, connection.label);
      judge(answer, signed, `a zone transfer (AXFR) of ${zone}`, connection.label);
      const answers = decode(answer).answers ?? [];
      if (records.length === 0 && !isSoa(answers[0])) throw malformed(`the transfer of ${zone} from ${connection.label} does not start with the zone's SOA`);
      records.push(...answers);
      if (records.length > 1 && isSoa(records[records.length - 1])) {
        signed.verifier?.finish();
        return records.slice(0, -1);
      }
    }
  } finally {
    connection.close();
  }
}
