/**
 * The Cloudflare provider: zones and records read through CloudflareApi
 * (./api.ts), writes as one atomic DNS-records batch per zone and batch
 * (deletes, patches, posts together; a record with its TXT), a rejected batch
 * bisected (kit) to name the bad record while every good one lands. Custom
 * hostnames (before the records, as ExternalDNS) and regional hostnames (after)
 * follow the same changes (./hostnames.ts).
 */
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { withProperty, type Endpoint } from '../../endpoint/endpoint.ts';
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
import { landedCounter, type ApplyProgress, type LandedCounter } from '../progress.ts';
import type { CallCounter, ProviderStats } from '../stats.ts';
import type { CfRecord, CfZone, CloudflareApi } from './api.ts';
import { batches, buildChanges, mergeOps, zoneOf, type OpGroup, type ZoneOps, type ZoneState } from './changes.ts';
import { CloudflareErrors } from './errors.ts';
import { customHostnameOps, emptyHostnameOps, hostnameOpCount, hostnamesByOrigin, regionalHostnameOps, type CustomHostnameSettings, type HostnameOps } from './hostnames.ts';
import { adjustEndpoint, CLOUDFLARE_RECORD_TYPES, endpointsOf, recordKey, REGION_KEY_PROPERTY, REGIONAL_TYPES } from './mapping.ts';

export interface CloudflareProviderOptions {
  domainFilter: DomainFilter;
  zoneIdFilter: readonly string[];
  proxiedByDefault: boolean;
  recordComment: string;
  /** --batch-change-size: operations per batch request. */
  batchChangeSize: number;
  /** --batch-change-interval, ms between two batch requests. */
  batchChangeIntervalMs: number;
  /** --cloudflare-custom-hostnames with its TLS settings; undefined when off. */
  customHostnames?: CustomHostnameSettings | undefined;
  /** --cloudflare-region-key ('' for none) when Regional Services are on; undefined when off. */
  regionKey?: string | undefined;
}

export interface CloudflareProviderDeps {
  api: CloudflareApi;
  counter: CallCounter;
  logger: Logger;
  clock: Clock;
}

/** What Cloudflare holds and extdns maps (ExternalDNS v0.22: SupportedRecordType plus MX; CAA and other structured types are left alone). */
export const CLOUDFLARE_CAPABILITIES: ProviderCapabilities = {
  ...DNS_SERVER_CAPABILITIES,
  recordTypes: CLOUDFLARE_RECORD_TYPES,
};

const ZONE_READS = 4;

export function createCloudflareProvider(options: CloudflareProviderOptions, deps: CloudflareProviderDeps): Provider & ProviderStats {
  /** The zones and records of the last read, for the ids and the strictness checks of the next apply. */
  let last: ZoneState[] | undefined;
  const readStates = async (signal: AbortSignal): Promise<ZoneState[]> => {
    const zones = (await deps.api.zones(signal)).filter((z) => zoneWanted(z, options));
    const states = await pool(zones, ZONE_READS, (zone) => readZone(zone, options, deps.api, signal));
    last = states;
    return states;
  };
  const adjustSettings = {
    proxiedByDefault: options.proxiedByDefault, comment: options.recordComment,
    customHostnames: options.customHostnames !== undefined, regionKey: options.regionKey,
  };
  return {
    capabilities: CLOUDFLARE_CAPABILITIES,
    domainFilter: () => options.domainFilter,
    stats: () => deps.counter.snapshot(),
    async records(signal) {
      const states = await readStates(signal);
      return states.flatMap((s) => zoneEndpoints(s, options.regionKey !== undefined));
    },
    adjustEndpoints: (endpoints: Endpoint[]) => Promise.resolve(endpoints.map((ep) => adjustEndpoint(ep, adjustSettings))),
    async applyChanges(changes: Changes, signal: AbortSignal, progress?: ApplyProgress) {
      if (isEmpty(changes)) return;
      const states = last ?? await readStates(signal);
      last = undefined;
      const built = buildChanges(changes, states, { proxiedByDefault: options.proxiedByDefault, comment: options.recordComment });
      if (built.stale.length > 0) throw new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_STALE_PLAN, built.stale.join('; '));
      for (const t of built.trimmed) deps.logger.warn('Cloudflare record comment cut to the zone plan\'s limit; shorten it to stop the update planned on every sync', { record: t });
      const rejected = built.invalid.map((m) => `${m} (not written)`);
      const byZone = new Map(built.zones.map((z) => [z.zone.id, z]));
      const landed = landedCounter(changes, progress);
      const ctx: ApplyContext = { options, deps, signal, landed };
      let first = true;
      for (const state of states) {
        const hostOps = await hostnameOpsOf(changes, state, states, ctx);
        const zoneOps = byZone.get(state.zone.id);
        if (zoneOps === undefined && hostnameOpCount(hostOps) === 0 && hostOps.refused.length === 0) continue;
        rejected.push(...hostOps.refused.map((r) => `${r} in zone ${state.zone.name}`));
        rejected.push(...await applyCustomHostnames(state.zone, hostOps, deps.api, signal));
        if (zoneOps !== undefined) {
          rejected.push(...await applyBatches(zoneOps, first, ctx));
          first = false;
        }
        rejected.push(...await applyRegionalHostnames(state.zone, hostOps, deps.api, signal));
      }
      if (rejected.length > 0) throw new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_CHANGES_REJECTED, `Cloudflare rejected: ${rejected.join('; ')}`);
    },
  };
}

async function readZone(zone: CfZone, options: CloudflareProviderOptions, api: CloudflareApi, signal: AbortSignal): Promise<ZoneState> {
  const records = await api.records(zone.id, signal);
  const state = indexed(zone, records);
  if (options.customHostnames !== undefined) state.customHostnames = await api.customHostnames(zone.id, signal);
  // ExternalDNS asks for regional hostnames only where a record could have one.
  if (options.regionKey !== undefined && records.some((r) => REGIONAL_TYPES.has(r.type))) state.regionalHostnames = await api.regionalHostnames(zone.id, signal);
  return state;
}

/** A zone's endpoints, with their custom hostnames and (Regional Services on) their region key, '' for none. */
function zoneEndpoints(state: ZoneState, regional: boolean): Endpoint[] {
  const endpoints = endpointsOf([...state.records.values()].flat(), hostnamesByOrigin(state.customHostnames ?? []));
  if (!regional) return endpoints;
  const keys = new Map((state.regionalHostnames ?? []).map((r) => [r.hostname, r.regionKey]));
  return endpoints.map((ep) => (REGIONAL_TYPES.has(ep.recordType) ? withProperty(ep, REGION_KEY_PROPERTY, keys.get(ep.dnsName) ?? '') : ep));
}

interface ApplyContext {
  options: CloudflareProviderOptions;
  deps: CloudflareProviderDeps;
  signal: AbortSignal;
  landed: LandedCounter;
}

async function hostnameOpsOf(changes: Changes, state: ZoneState, states: readonly ZoneState[], ctx: ApplyContext): Promise<HostnameOps> {
  const { options, deps, signal } = ctx;
  const ops = emptyHostnameOps();
  const inZone = (ep: Endpoint): boolean => zoneOf(ep.dnsName, states) === state;
  const regionalChange = [...changes.create, ...changes.updateNew, ...changes.delete].some((ep) => REGIONAL_TYPES.has(ep.recordType) && inZone(ep));
  if (options.regionKey !== undefined && regionalChange) state.regionalHostnames ??= await deps.api.regionalHostnames(state.zone.id, signal);
  const scope = { inZone, customHostnames: state.customHostnames ?? [], regionalHostnames: state.regionalHostnames ?? [] };
  if (options.customHostnames !== undefined) customHostnameOps(changes, scope, options.customHostnames, ops);
  if (options.regionKey !== undefined && regionalChange) regionalHostnameOps(changes, scope, ops);
  return ops;
}

async function applyCustomHostnames(zone: CfZone, ops: HostnameOps, api: CloudflareApi, signal: AbortSignal): Promise<string[]> {
  const rejected: string[] = [];
  for (const d of ops.customDeletes) {
    const reason = await api.deleteCustomHostname(zone.id, d.hostname.id, signal);
    if (reason !== undefined) rejected.push(`deleting custom hostname ${d.hostname.hostname} of ${d.because} in zone ${zone.name}: ${reason}`);
  }
  for (const c of ops.customCreates) {
    const reason = await api.createCustomHostname(zone.id, c.input, signal);
    if (reason !== undefined) rejected.push(`creating custom hostname ${c.input.hostname} of ${c.because} in zone ${zone.name}: ${reason}`);
  }
  return rejected;
}

async function applyRegionalHostnames(zone: CfZone, ops: HostnameOps, api: CloudflareApi, signal: AbortSignal): Promise<string[]> {
  const rejected: string[] = [];
  const note = (what: string, reason: string | undefined): void => {
    if (reason !== undefined) rejected.push(`${what} in zone ${zone.name}: ${reason}`);
  };
  for (const rh of ops.regionalCreates) note(`creating regional hostname ${rh.hostname} (${rh.regionKey})`, await api.createRegionalHostname(zone.id, rh, signal));
  for (const rh of ops.regionalEdits) note(`changing regional hostname ${rh.hostname} to ${rh.regionKey}`, await api.editRegionalHostname(zone.id, rh, signal));
  for (const h of ops.regionalDeletes) note(`deleting regional hostname ${h}`, await api.deleteRegionalHostname(zone.id, h, signal));
  return rejected;
}

async function applyBatches(zoneOps: ZoneOps, firstOfRun: boolean, ctx: ApplyContext): Promise<string[]> {
  const { zone, groups } = zoneOps;
  const { options, deps, signal } = ctx;
  const rejected: string[] = [];
  let first = firstOfRun;
  for (const batch of batches(groups, options.batchChangeSize)) {
    if (!first) await deps.clock.sleep(options.batchChangeIntervalMs, signal);
    first = false;
    const result = await sendBisecting(batch, (part: readonly OpGroup[]) => deps.api.batch(zone.id, mergeOps(part), signal));
    for (const r of result.rejected) rejected.push(`${r.group.descriptions.join(', ')} in zone ${zone.name}: ${r.error}`);
    ctx.landed.add(result.applied.reduce((n, g) => n + g.descriptions.length, 0)); // one description per change
    deps.logger.info('Applied Cloudflare batch', { zone: zone.name, groups: result.applied.length, rejected: result.rejected.length, requests: result.calls });
  }
  return rejected;
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
