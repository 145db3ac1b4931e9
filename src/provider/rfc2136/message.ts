/**
 * DNS messages extdns sends to an RFC 2136 server: UPDATE (RFC 2136
 * section 2) and AXFR queries. Names and RDATA are encoded by dns-packet;
 * the update sections need the classes NONE and ANY with empty RDATA, which
 * dns-packet cannot express, so each record is encoded by dns-packet and
 * its class, TTL and RDATA patched here.
 */
import { encode, type Answer, type Question } from 'dns-packet';

const OPCODE_UPDATE = 5;
const CLASS_IN = 1;
const CLASS_NONE = 254;
const CLASS_ANY = 255;
const HEADER = 12;

/** A record in presentation-independent form, as dns-packet encodes it. */
export type RecordData = Answer;

/** One change in the update section (RFC 2136 2.5). */
export type UpdateOp =
  | { readonly op: 'add'; readonly record: RecordData }
  /** Delete exactly this record (class NONE). */
  | { readonly op: 'delete'; readonly record: RecordData }
  /** Delete every record of this name and type (class ANY, no RDATA). */
  | { readonly op: 'delete-rrset'; readonly name: string; readonly type: RecordData['type'] };

/** A prerequisite (RFC 2136 2.4) the server checks before applying anything. */
export type Prerequisite =
  | { readonly op: 'rrset-exists'; readonly name: string; readonly type: RecordData['type'] }
  | { readonly op: 'rrset-absent'; readonly name: string; readonly type: RecordData['type'] }
  | { readonly op: 'name-in-use'; readonly name: string }
  | { readonly op: 'name-not-in-use'; readonly name: string }
  /** The record set holds exactly these records, no more and no fewer (value-dependent, RFC 2136 2.4.2). */
  | { readonly op: 'rrset-equals'; readonly records: readonly RecordData[] };

function sectionBytes(packet: Parameters<typeof encode>[0]): Buffer {
  return encode(packet).subarray(HEADER);
}

function recordBytes(record: RecordData): Buffer {
  return Buffer.from(sectionBytes({ answers: [record] }));
}

/** Offset of the class field in an uncompressed record (after its name, the type). */
function classOffset(rr: Buffer): number {
  let pos = 0;
  while ((rr[pos] ?? 0) !== 0) pos += (rr[pos] ?? 0) + 1;
  return pos + 3;
}

/** A record with the given class and TTL, its RDATA dropped when `empty`. */
function patched(rr: Buffer, klass: number, ttl: number, empty: boolean): Buffer {
  const at = classOffset(rr);
  const out = empty ? Buffer.from(rr.subarray(0, at + 8)) : Buffer.from(rr);
  out.writeUInt16BE(klass, at);
  out.writeUInt32BE(ttl, at + 2);
  if (empty) out.writeUInt16BE(0, at + 6);
  return out;
}

/** A record of this name and type with class ANY, TTL 0 and no RDATA (the type code comes from dns-packet). */
function typed(name: string, type: RecordData['type']): Buffer {
  const rr = patched(recordBytes({ name, type: 'NULL', data: Buffer.alloc(0) }), CLASS_ANY, 0, true);
  const typeCode = recordBytes({ name: '.', type, data: placeholderData(type) } as RecordData).readUInt16BE(1);
  rr.writeUInt16BE(typeCode, classOffset(rr) - 2);
  return rr;
}

function placeholderData(type: string): unknown {
  switch (type) {
    case 'A': return '0.0.0.0';
    case 'AAAA': return '::';
    case 'TXT': return '';
    case 'MX': return { preference: 0, exchange: '.' };
    case 'SRV': return { priority: 0, weight: 0, port: 0, target: '.' };
    case 'CAA': return { flags: 0, tag: 'issue', value: '' };
    case 'NAPTR': return { order: 0, preference: 0, flags: '', services: '', regexp: '', replacement: '.' };
    default: return '.';
  }
}

function updateBytes(op: UpdateOp): Buffer {
  switch (op.op) {
    case 'add': return recordBytes(op.record);
    case 'delete': return patched(recordBytes(op.record), CLASS_NONE, 0, false);
    case 'delete-rrset': return typed(op.name, op.type);
  }
}

function prerequisiteBytes(p: Prerequisite): Buffer[] {
  switch (p.op) {
    case 'rrset-exists': return [typed(p.name, p.type)];
    case 'rrset-absent': return [setClass(typed(p.name, p.type), CLASS_NONE)];
    case 'name-in-use': return [setType(typed(p.name, 'A'), CLASS_ANY, 255)];
    case 'name-not-in-use': return [setType(typed(p.name, 'A'), CLASS_NONE, 255)];
    case 'rrset-equals': return p.records.map((r) => patched(recordBytes(r), CLASS_IN, 0, false));
  }
}

function setClass(rr: Buffer, klass: number): Buffer {
  rr.writeUInt16BE(klass, classOffset(rr));
  return rr;
}

function setType(rr: Buffer, klass: number, type: number): Buffer {
  rr.writeUInt16BE(type, classOffset(rr) - 2);
  return setClass(rr, klass);
}

function header(id: number, flags: number, counts: readonly [number, number, number, number]): Buffer {
  const h = Buffer.alloc(HEADER);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  counts.forEach((n, i) => { h.writeUInt16BE(n, 4 + 2 * i); });
  return h;
}

/** An UPDATE message for `zone`: prerequisites, then the changes, applied by the server all or nothing. */
export function updateMessage(id: number, zone: string, updates: readonly UpdateOp[], prerequisites: readonly Prerequisite[] = []): Buffer {
  const zoneSection = sectionBytes({ questions: [{ name: zone, type: 'SOA', class: 'IN' } satisfies Question] });
  const prereqs = prerequisites.flatMap(prerequisiteBytes);
  return Buffer.concat([
    header(id, OPCODE_UPDATE << 11, [1, prereqs.length, updates.length, 0]),
    zoneSection, ...prereqs, ...updates.map(updateBytes),
  ]);
}

/** An AXFR query for `zone`. */
export function axfrQuery(id: number, zone: string): Buffer {
  return Buffer.from(encode({ id, type: 'query', questions: [{ name: zone, type: 'AXFR', class: 'IN' }] }));
}
