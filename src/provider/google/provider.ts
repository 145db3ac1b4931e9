/**
 * The Google Cloud DNS provider (ExternalDNS `--provider=google`). A sync
 * costs the managed-zone pages plus, per zone, its rrset pages; a sync with
 * changes costs one change per zone and batch (additions and deletions in one
 * atomic change, a record with its TXT), and nothing is written when nothing
 * changed. A change Cloud DNS refuses with 409/412 (the zone moved under us)
 * is answered by re-reading the zone and retrying once; one refused for its
 * content (400) is bisected to name the bad record, the good ones landing.
 */
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { MATCH_ALL } from '../../endpoint/domain-filter.ts';
import { cloneEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { isEmpty } from '../../plan/calculate.ts';
import type { Changes } from '../../plan/plan.ts';
import type { Clock } from '../../util/clock.ts';
import { sendBisecting } from '../kit/bisect.ts';
import { pool } from '../kit/pool.ts';
import type { Provider } from '../provider.ts';
import { landedCounter, type ApplyProgress } from '../progress.ts';
import type { ProviderStats } from '../stats.ts';
import { ChangeRefused, type GoogleApi, type GoogleZone } from './api.ts';
import { applyToRecords, describeGroup, packBatches, planZones, staleReasons, toChange, zoneFor, type ZoneRecords, type ZoneWork } from './changes.ts';
import { GoogleErrors } from './errors.ts';
import { canonicalEndpoint, GOOGLE_CAPABILITIES, rrsetKey, rrsetToEndpoint } from './mapping.ts';

export interface GoogleProviderOptions {
  domainFilter: DomainFilter;
  /** --zone-id-filter: zone names or numeric ids. */
  zoneIdFilter: readonly string[];
  /** --google-zone-visibility: '', 'public' or 'private'. */
  zoneVisibility: string;
  /** --google-batch-change-size (0: one change per zone). */
  batchChangeSize: number;
  /** --google-batch-change-interval in ms. */
  batchChangeIntervalMs: number;
  /** Zones read at the same time (default 4). */
  concurrency?: number;
}

export interface GoogleProviderDeps {
  api: GoogleApi;
  logger: Logger;
  clock: Clock;
}

interface GoogleState {
  options: GoogleProviderOptions;
  deps: GoogleProviderDeps;
  zones: GoogleZone[] | undefined;
  /** Each managed zone's record sets as last read (for exact deletes). */
  records: Map<string, ZoneRecords>;
  lastWrite: number;
}

export function createGoogleProvider(options: GoogleProviderOptions, deps: GoogleProviderDeps): Provider & ProviderStats {
  const state: GoogleState = { options, deps, zones: undefined, records: new Map(), lastWrite: Number.NEGATIVE_INFINITY };
  return {
    async records(signal) {
      const zones = await listZones(state, signal);
      const read = await pool(zones, options.concurrency ?? 4, (z) => readZone(state, z, signal));
      return read.flatMap((records) => [...records.values()].map(rrsetToEndpoint).filter((e): e is Endpoint => e !== undefined).map(cloneEndpoint));
    },
    adjustEndpoints: (endpoints) => Promise.resolve(endpoints.map(canonicalEndpoint)),
    applyChanges: (changes, signal, progress) => applyGoogleChanges(state, changes, signal, progress),
    domainFilter: () => (state.zones === undefined ? MATCH_ALL : zonesFilter(state.zones)),
    capabilities: GOOGLE_CAPABILITIES,
    stats: () => deps.api.counter.snapshot(),
  };
}

async function listZones(state: GoogleState, signal: AbortSignal): Promise<GoogleZone[]> {
  const { options, deps } = state;
  const all = await deps.api.zones(signal);
  const zones = all.filter((z) => {
    const raw = z as GoogleZone & { peeringConfig?: unknown; id?: unknown };
    if (raw.peeringConfig !== undefined) return false;
    if (options.zoneVisibility !== '' && z.visibility !== options.zoneVisibility) return false;
    if (options.zoneIdFilter.length > 0 && !options.zoneIdFilter.some((f) => f === z.name || f === String(raw.id))) return false;
    return options.domainFilter.match(z.dnsName.replace(/\.$/, ''));
  });
  if (zones.length === 0) deps.logger.warn('No Cloud DNS zone of the project matches the domain filters', { zones: all.length });
  const names = new Set(zones.map((z) => z.name));
  for (const name of [...state.records.keys()]) if (!names.has(name)) state.records.delete(name);
  state.zones = zones;
  return zones;
}

async function readZone(state: GoogleState, zone: GoogleZone, signal: AbortSignal): Promise<ZoneRecords> {
  const rrsets = await state.deps.api.rrsets(zone.name, signal);
  const records: ZoneRecords = new Map(rrsets.map((r) => [rrsetKey(r.name, r.type), r]));
  state.records.set(zone.name, records);
  return records;
}

async function applyGoogleChanges(state: GoogleState, changes: Changes, signal: AbortSignal, progress?: ApplyProgress): Promise<void> {
  if (isEmpty(changes)) return;
  const zones = state.zones ?? await listZones(state, signal);
  const { work, outside } = planZones(changes, zones);
  for (const ep of outside) state.deps.logger.warn('No managed zone holds this record; skipped', { dnsName: ep.dnsName, recordType: ep.recordType });
  await refuseStale(state, work, signal);
  const rejected: string[] = [];
  const landed = landedCounter(changes, progress);
  for (const zw of work) {
    const records = state.records.get(zw.zone.name) ?? await readZone(state, zw.zone, signal);
    for (const batch of packBatches(zw.groups, state.options.batchChangeSize)) {
      rejected.push(...await sendBatch(state, { zone: zw.zone, groups: batch }, records, signal));
      // Done with (a rejected group makes the whole call fail below).
      landed.endpoints(batch.flatMap((g) => [...g.adds, ...g.dels]));
    }
  }
  if (rejected.length > 0) {
    throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_CHANGE_REJECTED, `Cloud DNS rejected ${rejected.length} change(s); the others were applied: ${rejected.join('; ')}`);
  }
}

/** Nothing is written when a zone does not hold what the plan expects (re-read once: the cached copy may be old). */
async function refuseStale(state: GoogleState, work: readonly ZoneWork[], signal: AbortSignal): Promise<void> {
  const stale: string[] = [];
  for (const zw of work) {
    const cached = state.records.get(zw.zone.name);
    let reasons = cached === undefined ? undefined : staleReasons(zw.groups, cached);
    if (reasons === undefined || reasons.length > 0) reasons = staleReasons(zw.groups, await readZone(state, zw.zone, signal));
    stale.push(...reasons.map((r) => `${r} (zone ${zw.zone.name})`));
  }
  if (stale.length > 0) {
    throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_STALE_PLAN, `nothing was written to Cloud DNS: ${stale.join('; ')}. The zones are read again next run`);
  }
}

/** One batch; a 409/412 re-reads the zone and retries once, a content refusal is bisected. Returns what was rejected. */
async function sendBatch(state: GoogleState, zw: ZoneWork, records: ZoneRecords, signal: AbortSignal): Promise<string[]> {
  const { logger } = state.deps;
  const size = state.options.batchChangeSize;
  for (const g of zw.groups) {
    if (size > 0 && g.adds.length + g.dels.length > size) logger.warn('A record and its TXT exceed --google-batch-change-size; sent as one change', { name: g.name, changes: g.adds.length + g.dels.length });
  }
  const result = await sendBisecting(zw.groups, (groups) => sendOnce(state, { zone: zw.zone, groups: [...groups] }, records, signal));
  return result.rejected.map((r) => `${describeGroup(r.group)} in zone ${zw.zone.name}: ${r.error}`);
}

async function sendOnce(state: GoogleState, zw: ZoneWork, records: ZoneRecords, signal: AbortSignal): Promise<string | undefined> {
  try {
    await paced(state, zw, records, signal);
    return undefined;
  } catch (err) {
    if (!(err instanceof ChangeRefused)) throw err;
    if (err.status !== 409 && err.status !== 412) return err.message;
    state.deps.logger.info('Cloud DNS refused the change because the zone changed meanwhile; re-reading it and retrying once', { zone: zw.zone.name, status: err.status });
  }
  const fresh = await readZone(state, zw.zone, signal);
  const reasons = staleReasons(zw.groups, fresh);
  if (reasons.length > 0) {
    throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_STALE_PLAN, `nothing more was written to zone ${zw.zone.name}: ${reasons.join('; ')}. The zone is read again next run`);
  }
  for (const [k, v] of fresh) records.set(k, v);
  for (const k of [...records.keys()]) if (!fresh.has(k)) records.delete(k);
  try {
    await paced(state, zw, records, signal);
    return undefined;
  } catch (err) {
    if (!(err instanceof ChangeRefused)) throw err;
    if (err.status === 409 || err.status === 412) {
      throw new ExtdnsError(GoogleErrors.EXTDNS_GOOGLE_STALE_PLAN, `zone ${zw.zone.name} changed again while extdns retried (${err.message}); read again next run`);
    }
    return err.message;
  }
}

/** One changes.create, paced by --google-batch-change-interval; the zone's copy follows the write. */
async function paced(state: GoogleState, zw: ZoneWork, records: ZoneRecords, signal: AbortSignal): Promise<void> {
  const { clock, api } = state.deps;
  const wait = state.lastWrite + state.options.batchChangeIntervalMs - clock.now();
  if (Number.isFinite(state.lastWrite) && wait > 0) await clock.sleep(wait, signal);
  const change = toChange(zw.groups, records);
  try {
    await api.change(zw.zone.name, change, signal);
  } finally {
    state.lastWrite = clock.now();
  }
  applyToRecords(records, change);
}

function zonesFilter(zones: readonly GoogleZone[]): DomainFilter {
  const names = [...new Set(zones.map((z) => z.dnsName.replace(/\.$/, '')))].sort();
  return {
    match: (name) => zoneFor(name, zones) !== undefined,
    isConfigured: () => true,
    toWire: () => ({ include: names }),
  };
}

