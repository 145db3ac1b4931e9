/**
 * Between endpoints and DNS records: targets go through the same canonical
 * presentation form the zone-file provider uses (../zonefile/rdata.ts), so
 * desired endpoints compare equal to what an AXFR returns.
 */
import type { Answer } from 'dns-packet';
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { canonicalTarget, targetToRdata } from '../zonefile/rdata.ts';
import { decodeBytes, quoteBytes, RdataError } from '../zonefile/text.ts';
import { Rfc2136Errors } from './errors.ts';
import type { RecordData } from './message.ts';
import { eachSliced, type Sliced } from '../../util/sliced.ts';

/** Record types read from an AXFR and written by UPDATE. */
export const RFC2136_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'DNAME', 'TXT', 'NS', 'PTR', 'MX', 'SRV'] as const;
const TYPES: ReadonlySet<string> = new Set(RFC2136_RECORD_TYPES);

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function recordError(ep: Endpoint, target: string, why: string): ExtdnsError {
  return new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_RECORD, `${ep.dnsName} ${ep.recordType} target "${target}" cannot be written: ${why}`);
}

/** dns-packet data for one canonical presentation RDATA. */
function packetData(type: string, rdata: string): unknown {
  const fields = rdata.split(' ');
  switch (type) {
    case 'TXT': return [...rdata.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => Buffer.from(decodeBytes(m[1] ?? '')));
    case 'MX': return { preference: Number(fields[0]), exchange: fields[1] ?? '.' };
    case 'SRV': return { priority: Number(fields[0]), weight: Number(fields[1]), port: Number(fields[2]), target: fields[3] ?? '.' };
    default: return rdata;
  }
}

/** The records an endpoint stands for, with this TTL. Throws EXTDNS_RFC2136_RECORD for a target its type cannot hold. */
export function endpointRecords(ep: Endpoint, ttl: number): RecordData[] {
  const type = ep.recordType.toUpperCase();
  if (!TYPES.has(type)) throw recordError(ep, ep.targets.join(','), `record type ${type} is not supported (${RFC2136_RECORD_TYPES.join(', ')})`);
  return [...new Set(ep.targets)].map((target) => {
    let rdata: string;
    try {
      rdata = targetToRdata(type, target);
    } catch (err) {
      if (err instanceof RdataError) throw recordError(ep, target, err.message);
      throw err;
    }
    return { name: fqdn(ep.dnsName), type, class: 'IN', ttl, data: packetData(type, rdata) } as RecordData;
  });
}

/** The endpoint target of one transferred record, or undefined for types extdns does not manage. */
function targetOf(record: Answer): string | undefined {
  switch (record.type) {
    case 'A': case 'AAAA': return canonicalTarget(record.type, record.data);
    case 'CNAME': case 'DNAME': case 'NS': case 'PTR': return canonicalTarget(record.type, fqdn(record.data));
    case 'TXT': {
      const pieces = Array.isArray(record.data) ? record.data : [record.data];
      return pieces.map((p) => quoteBytes(typeof p === 'string' ? Buffer.from(p) : p)).join(' ');
    }
    case 'MX': return canonicalTarget('MX', `${record.data.preference} ${fqdn(record.data.exchange)}`);
    case 'SRV': return canonicalTarget('SRV', `${record.data.priority ?? 0} ${record.data.weight ?? 0} ${record.data.port} ${fqdn(record.data.target)}`);
    default: return undefined;
  }
}

/**
 * One endpoint per (name, type) of a zone transfer, SOA and unmanaged types
 * left out; TTL the lowest of the set. Added to `out`, a slice at a time (a
 * transfer can hold millions of records).
 */
export function* recordsToEndpointsSliced(records: readonly Answer[], out: Endpoint[]): Sliced<Endpoint[]> {
  const sets = new Map<string, { name: string; type: string; ttl: number; targets: Set<string> }>();
  yield* eachSliced(records, (r) => {
    if ((r as { class?: string }).class !== undefined && (r as { class?: string }).class !== 'IN') return;
    const target = targetOf(r);
    if (target === undefined) return;
    const name = r.name.toLowerCase().replace(/\.$/, '');
    const key = `${name}\u0000${r.type}`;
    const ttl = (r as { ttl?: number }).ttl ?? 0;
    const set = sets.get(key) ?? { name, type: r.type, ttl, targets: new Set<string>() };
    set.ttl = Math.min(set.ttl, ttl);
    set.targets.add(target);
    sets.set(key, set);
  });
  yield* eachSliced([...sets.values()], (s) => out.push(newEndpoint({ dnsName: s.name, recordType: s.type, targets: [...s.targets].sort(), recordTTL: s.ttl })));
  return out;
}
