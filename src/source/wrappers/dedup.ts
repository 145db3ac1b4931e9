/**
 * Drops endpoints no provider could create (ExternalDNS `dedupSource`), sorts
 * and de-duplicates each endpoint's targets, and drops exact repeats
 * (same type, name, set identifier and targets; the first one wins).
 * What was dropped is counted per record type and source kind, for the
 * `source_invalid_endpoints` and `source_deduplicated_endpoints` gauges.
 */
import { endpointKey, LabelKey, type Endpoint } from '../../endpoint/endpoint.ts';
import { validateEndpoint } from '../../endpoint/validate.ts';
import type { DroppedEndpoints } from '../source.ts';

export type DropCount = DroppedEndpoints;

export interface RejectedEndpoint {
  endpoint: Endpoint;
  reason: string;
}

export interface DedupResult {
  endpoints: Endpoint[];
  rejected: RejectedEndpoint[];
  invalid: DropCount[];
  duplicates: DropCount[];
}

export function dedupEndpoints(endpoints: readonly Endpoint[]): DedupResult {
  const kept: Endpoint[] = [];
  const rejected: RejectedEndpoint[] = [];
  const seen = new Set<string>();
  const invalid = new Counter();
  const duplicates = new Counter();
  for (const original of endpoints) {
    const reason = validateEndpoint(original);
    if (reason !== undefined) {
      rejected.push({ endpoint: original, reason });
      invalid.add(original);
      continue;
    }
    const ep = original.targets.length > 1 ? { ...original, targets: [...new Set(original.targets)].sort() } : original;
    const identity = `${endpointKey(ep)}\u0000${ep.targets.join(';')}`;
    if (seen.has(identity)) {
      duplicates.add(ep);
      continue;
    }
    seen.add(identity);
    kept.push(ep);
  }
  return { endpoints: kept, rejected, invalid: invalid.list(), duplicates: duplicates.list() };
}

export function sourceTypeOf(ep: Endpoint): string {
  const resource = ep.labels[LabelKey.resource];
  if (resource === undefined || resource === '') return 'unknown';
  return resource.split('/')[0] ?? 'unknown';
}

class Counter {
  readonly #counts = new Map<string, DropCount>();

  add(ep: Endpoint): void {
    const sourceType = sourceTypeOf(ep);
    const key = `${ep.recordType}\u0000${sourceType}`;
    const entry = this.#counts.get(key) ?? { recordType: ep.recordType, sourceType, count: 0 };
    entry.count++;
    this.#counts.set(key, entry);
  }

  list(): DropCount[] {
    return [...this.#counts.values()];
  }
}
