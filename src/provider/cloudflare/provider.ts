/**
 * The Cloudflare provider: zones and records read through CloudflareApi
 * (./api.ts), writes as one atomic DNS-records batch per zone and batch
 * (deletes, patches, posts together; a record with its TXT), a rejected batch
 * bisected (kit) to name the bad record while every good one lands.
 */
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { isEmpty } from '../../plan/calculate.ts';
import type { Changes } from '../../plan/plan.ts';
import type { Clock } from '../../util/clock.ts';
import type { ProviderCapabilities } from '../capabilities.ts';
import { DNS_SERVER_CAPABILITIES } from '../capabilities.ts';
import { sendBisecting } from '../kit/bisect.ts';
import { pool } from '../kit/pool.ts';
import type { Provider } from '../provider.ts';
import type { CallCounter, ProviderStats } from '../stats.ts';
import type { CfRecord, CfZone, CloudflareApi } from './api.ts';
import { batches, buildChanges, mergeOps, type OpGroup, type ZoneState } from './changes.ts';
import { CloudflareErrors } from './errors.ts';
import { adjustEndpoint, endpointsOf, recordKey } from './mapping.ts';

export interface CloudflareProviderOptions {
  domainFilter: DomainFilter;
  zoneIdFilter: readonly string[];
  proxiedByDefault: boolean;
  recordComment: string;
  /** --batch-change-size: operations per batch request. */
  batchChangeSize: number;
  /** --batch-change-interval, ms between two batch requests. */
  batchChangeIntervalMs: number;
}

export interface CloudflareProviderDeps {
  api: CloudflareApi;
  counter: CallCounter;
  logger: Logger;
  clock: Clock;
}

/** What Cloudflare holds and extdns maps (MX, SRV and others carry structured data: not mapped yet). */
export const CLOUDFLARE_CAPABILITIES: ProviderCapabilities = {
  ...DNS_SERVER_CAPABILITIES,
  recordTypes: ['A', 'AAAA', 'CNAME', 'TXT', 'NS'],
};

const ZONE_READS = 4;

export function createCloudflareProvider(options: CloudflareProviderOptions, deps: CloudflareProviderDeps): Provider & ProviderStats {
  /** The zones and records of the last read, for the ids and the strictness checks of the next apply. */
  let last: ZoneState[] | undefined;
  const readStates = async (signal: AbortSignal): Promise<ZoneState[]> => {
    const zones = (await deps.api.zones(signal)).filter((z) => zoneWanted(z, options));
    const states = await pool(zones, ZONE_READS, async (zone) => indexed(zone, await deps.api.records(zone.id, signal)));
    last = states;
    return states;
  };
  return {
    capabilities: CLOUDFLARE_CAPABILITIES,
    domainFilter: () => options.domainFilter,
    stats: () => deps.counter.snapshot(),
    async records(signal) {
      const states = await readStates(signal);
      return states.flatMap((s) => endpointsOf([...s.records.values()].flat()));
    },
    adjustEndpoints: (endpoints: Endpoint[]) => Promise.resolve(endpoints.map((ep) => adjustEndpoint(ep, options.proxiedByDefault))),
    async applyChanges(changes: Changes, signal: AbortSignal) {
      if (isEmpty(changes)) return;
      const states = last ?? await readStates(signal);
      last = undefined;
      const built = buildChanges(changes, states, { proxiedByDefault: options.proxiedByDefault, comment: options.recordComment });
      if (built.stale.length > 0) throw new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_STALE_PLAN, built.stale.join('; '));
      const rejected: string[] = [];
      let first = true;
      for (const { zone, groups } of built.zones) {
        for (const batch of batches(groups, options.batchChangeSize)) {
          if (!first) await deps.clock.sleep(options.batchChangeIntervalMs, signal);
          first = false;
          const result = await sendBisecting(batch, (part: readonly OpGroup[]) => deps.api.batch(zone.id, mergeOps(part), signal));
          for (const r of result.rejected) rejected.push(`${r.group.descriptions.join(', ')} in zone ${zone.name}: ${r.error}`);
          deps.logger.info('Applied Cloudflare batch', { zone: zone.name, groups: result.applied.length, rejected: result.rejected.length, requests: result.calls });
        }
      }
      if (rejected.length > 0) throw new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_CHANGES_REJECTED, `Cloudflare rejected: ${rejected.join('; ')}`);
    },
  };
}

function zoneWanted(zone: CfZone, options: CloudflareProviderOptions): boolean {
  if (options.zoneIdFilter.length > 0 && !options.zoneIdFilter.includes(zone.id)) return false;
  return options.domainFilter.match(zone.name);
}

function indexed(zone: CfZone, records: readonly CfRecord[]): ZoneState {
  const map = new Map<string, CfRecord[]>();
  for (const r of records) {
    const key = recordKey(r.name, r.type);
    const list = map.get(key);
    if (list === undefined) map.set(key, [r]);
    else list.push(r);
  }
  return { zone, records: map };
}
