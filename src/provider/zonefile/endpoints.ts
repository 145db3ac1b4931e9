/**
 * Mapping between zone-file records and endpoints: records() groups records
 * into one endpoint per (name, type); adjustEndpoints() puts desired
 * endpoints into exactly that form, so a converged zone plans no change.
 */
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import type { ResourceRecord } from './parse.ts';
import { canonicalTarget, rdataToTarget, targetToRdata } from './rdata.ts';
import { nameKey, RdataError, toByteString } from './text.ts';
import { drain, SliceCounter, type Sliced } from '../../util/sliced.ts';

/** Record-set identity inside one zone. */
export function rrsetKey(name: string, type: string): string {
  return `${name}\u0000${type}`;
}

/**
 * One endpoint per (name, type), SOA left out (the provider owns it), added
 * to `out` (no spread: zones hold millions of records). TTL: the first of the
 * set, as BIND loads it ("TTL set to prior TTL").
 */
export function recordsToEndpoints(records: readonly ResourceRecord[], out: Endpoint[] = []): Endpoint[] {
  const collector = new EndpointCollector();
  for (const r of records) collector.add(r);
  return collector.finish(out);
}

/** recordsToEndpoints one record at a time, so a parse can stream into it without keeping its records. */
export class EndpointCollector {
  readonly #sets = new Map<string, { name: string; type: string; ttl: number; targets: string[] }>();

  add(r: ResourceRecord): void {
    if (r.type === 'SOA') return;
    const key = rrsetKey(r.name, r.type);
    const target = rdataToTarget(r.type, r.rdata);
    const set = this.#sets.get(key);
    if (set === undefined) this.#sets.set(key, { name: r.name, type: r.type, ttl: r.ttl, targets: [target] });
    else if (!set.targets.includes(target)) set.targets.push(target);
  }

  finish(out: Endpoint[]): Endpoint[] {
    return drain(this.finishSliced(out));
  }

  /** finish() as a Sliced computation. */
  *finishSliced(out: Endpoint[]): Sliced<Endpoint[]> {
    const slice = new SliceCounter();
    for (const s of this.#sets.values()) {
      out.push(newEndpoint({ dnsName: s.name, recordType: s.type, targets: s.targets.length > 1 ? s.targets.sort() : s.targets, recordTTL: s.ttl }));
      if (slice.full()) yield;
    }
    this.#sets.clear();
    return out;
  }
}

/** A name's identity: ASCII lower case (only), escapes decoded, no trailing dot. */
export function canonicalName(name: string): string {
  return nameKey(toByteString(name));
}

/**
 * The endpoint as records() would return it once written: name lower case
 * without a trailing dot, targets canonical, sorted and deduplicated, provider
 * properties dropped (zone files hold none). Labels, TTL and set identifier
 * are kept. A target that is not valid data for its type is kept as given;
 * applyChanges rejects it with a message naming the record.
 */
export function adjustEndpoint(ep: Endpoint): Endpoint {
  const type = ep.recordType.toUpperCase();
  const targets = new Set<string>();
  for (const t of ep.targets) {
    try {
      targets.add(canonicalTarget(type, t));
    } catch (err) {
      if (!(err instanceof RdataError)) throw err;
      targets.add(t);
    }
  }
  return {
    dnsName: canonicalName(ep.dnsName),
    recordType: type,
    targets: [...targets].sort(),
    setIdentifier: ep.setIdentifier,
    recordTTL: ep.recordTTL,
    labels: { ...ep.labels },
    providerSpecific: [],
  };
}

/** Canonical file data of every target; throws RdataError for invalid data. */
export function endpointRdata(ep: Endpoint): string[] {
  const type = ep.recordType.toUpperCase();
  return [...new Set(ep.targets.map((t) => targetToRdata(type, t)))].sort();
}
