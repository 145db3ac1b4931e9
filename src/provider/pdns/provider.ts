/**
 * The PowerDNS provider (ExternalDNS `--provider=pdns`). A sync costs one zone
 * list, one GET per managed zone whose serial moved (or whose cached copy is
 * older than the full-resync interval), and one PATCH per zone with changes;
 * nothing is written when nothing changed.
 */
import type { ProviderStats } from '../stats.ts';
import type { Dispatcher } from 'undici';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { MATCH_ALL } from '../../endpoint/domain-filter.ts';
import { cloneEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError, type ErrorSpec } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import { isEmpty } from '../../plan/calculate.ts';
import { ZoneCache } from '../kit/cache.ts';
import { pool } from '../kit/pool.ts';
import type { Clock } from '../../util/clock.ts';
import { DNS_SERVER_CAPABILITIES } from '../capabilities.ts';
import type { Provider } from '../provider.ts';
import { landedCounter, type ApplyProgress, type LandedCounter } from '../progress.ts';
import { applyZoneGroups, type ZoneApplyResult } from './apply.ts';
import { buildZoneChangesSliced, rrsetKey, staleChangesSliced, type ChangeGroup, type ZoneChanges } from './changes.ts';
import { eachSliced, paced } from '../../util/sliced.ts';
import { createPdnsClient, type PdnsClient, type PdnsZoneSummary } from './client.ts';
import { PdnsErrors } from './errors.ts';
import { canonicalEndpoint, rrsetToEndpoint } from './mapping.ts';
import { buildZoneIndex, type ZoneIndex } from './zones.ts';

export interface PdnsProviderOptions {
  /** --pdns-server (default http://localhost:8081). */
  server: string;
  /** --pdns-server-id (default localhost). */
  serverId: string;
  /** --pdns-api-key. */
  apiKey: string;
  /** --pdns-skip-tls-verify: honoured by the dispatcher src/tls builds; noted here for the log. */
  skipTlsVerify: boolean;
  domainFilter: DomainFilter;
  /** A zone whose serial did not move is re-read anyway after this long (default 10 min). */
  fullResyncMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Zones read at the same time (default 4); writes go one zone at a time. */
  concurrency?: number;
}

export interface PdnsProviderDeps {
  logger: Logger;
  dispatcher?: Dispatcher | undefined;
  /** Re-reads the trust files after a TLS failure; true when they changed (see PdnsClientDeps). */
  onTlsFailure?: (() => boolean) | undefined;
  clock: Clock;
  /** Replaces the HTTP client (tests of the mapping); built from options when absent. */
  client?: PdnsClient;
}

const DEFAULT_FULL_RESYNC_MS = 10 * 60_000;

interface CachedZone {
  endpoints: Endpoint[];
  /** Enabled contents per `name./TYPE`, for exact deletes. */
  contents: Map<string, string[]>;
}

/** What the parts of one provider share. */
interface PdnsState {
  options: PdnsProviderOptions;
  log: Logger;
  client: PdnsClient;
  concurrency: number;
  /** Zones by id, fresh while their serials stand and the full-resync interval has not passed. */
  cache: ZoneCache<CachedZone>;
  index: ZoneIndex | undefined;
}

export function createPdnsProvider(options: PdnsProviderOptions, deps: PdnsProviderDeps): Provider & ProviderStats {
  const state = pdnsState(options, deps);
  const { log, cache } = state;
  return {
    stats: () => state.client.stats(),
    async records(signal) {
      const idx = await loadIndex(state, signal);
      cache.retain(new Set(idx.managed.map((z) => z.id)));
      const zones = await pool(idx.managed, state.concurrency, (z) => readZone(state, z, signal));
      const out: Endpoint[] = [];
      for (const z of zones) await paced(eachSliced(z.endpoints, (ep) => out.push(cloneEndpoint(ep))));
      return out;
    },

    adjustEndpoints(endpoints) {
      const isZoneApex = (name: string): boolean => state.index?.isApex(name) ?? false;
      return Promise.resolve(endpoints.map((ep) => {
        if (ep.setIdentifier !== '') {
          log.warn('PowerDNS has no routing policies; the set identifier is ignored', { dnsName: ep.dnsName, setIdentifier: ep.setIdentifier });
        }
        return { ...canonicalEndpoint(ep, { isZoneApex }), setIdentifier: '' };
      }));
    },

    applyChanges: (changes, signal, progress) => applyPdnsChanges(state, changes, signal, progress),

    domainFilter() {
      return state.index?.filter() ?? MATCH_ALL;
    },
    capabilities: DNS_SERVER_CAPABILITIES,
  };
}

function pdnsState(options: PdnsProviderOptions, deps: PdnsProviderDeps): PdnsState {
  if (options.apiKey === '') {
    throw new ExtdnsError(PdnsErrors.EXTDNS_PDNS_CONFIG, 'missing API key for PowerDNS: set --pdns-api-key (or EXTERNAL_DNS_PDNS_API_KEY)');
  }
  // deps.logger carries provider=pdns already (src/cli/provider-wiring.ts adds the tag, once).
  const log = deps.logger;
  const client = deps.client ?? createPdnsClient(
    { server: options.server, serverId: options.serverId, apiKey: options.apiKey, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) },
    { logger: deps.logger, dispatcher: deps.dispatcher, onTlsFailure: deps.onTlsFailure, clock: deps.clock },
  );
  if (/^https?:\/\/localhost(?::\d+)?\/?$/.test(options.server)) {
    log.debug('PowerDNS server is localhost; set --pdns-server if the API runs elsewhere', { server: options.server });
  }
  if (options.skipTlsVerify) log.warn('TLS verification of the PowerDNS API is off (--pdns-skip-tls-verify)');
  return {
    options, log, client,
    concurrency: Math.max(1, options.concurrency ?? 4),
    cache: new ZoneCache(deps.clock, options.fullResyncMs ?? DEFAULT_FULL_RESYNC_MS),
    index: undefined,
  };
}

async function loadIndex(state: PdnsState, signal: AbortSignal): Promise<ZoneIndex> {
  const zones = await state.client.listZones(signal);
  const index = buildZoneIndex(zones, state.options.domainFilter);
  state.index = index;
  state.log.debug('PowerDNS zones', { managed: index.managed.map((z) => z.name), total: zones.length });
  return index;
}

/** The zone from the cache while its serials stand and the full-resync interval has not passed; else read afresh. */
function readZone(state: PdnsState, zone: PdnsZoneSummary, signal: AbortSignal): Promise<CachedZone> {
  // A zone without a serial (0) cannot say it is unchanged: always read.
  const version = zone.serial > 0 ? `${zone.serial}/${zone.editedSerial}` : undefined;
  return state.cache.get(zone.id, version, () => fetchZone(state, zone, signal));
}

async function fetchZone(state: PdnsState, zone: PdnsZoneSummary, signal: AbortSignal): Promise<CachedZone> {
  const full = await state.client.getZone(zone.id, signal);
  const entry: CachedZone = { endpoints: [], contents: new Map() };
  await paced(eachSliced(full.rrsets, (rrset) => {
    const ep = rrsetToEndpoint(rrset);
    if (ep === undefined) return;
    entry.endpoints.push(ep);
    entry.contents.set(rrsetKey(rrset.name.toLowerCase(), rrset.type), rrset.records.filter((r) => !r.disabled).map((r) => r.content));
  }));
  return entry;
}

/** Keeps the cached zone in step with our own write, and makes the next records() read the zone again. */
async function recordWrite(state: PdnsState, zoneId: string, applied: readonly ChangeGroup[]): Promise<void> {
  const entry = state.cache.peek(zoneId);
  if (entry === undefined) return;
  state.cache.markStale(zoneId);
  await paced(eachSliced(applied.flatMap((g) => g.changes), (c) => {
    if (c.change.changetype === 'DELETE') entry.contents.delete(c.key);
    else entry.contents.set(c.key, (c.change.records ?? []).map((r) => r.content));
  }));
}

async function applyZone(state: PdnsState, zc: ZoneChanges, signal: AbortSignal, landed: LandedCounter): Promise<ZoneApplyResult> {
  await paced(eachSliced(zc.groups, (group) => {
    for (const c of group.changes) state.log.info(`${c.change.changetype}: ${c.description}`, { zone: zc.zone.name });
  }));
  try {
    // An RRset change may merge two of the plan's changes: the count is a floor, made whole when the call returns.
    const onLanded = (applied: readonly ChangeGroup[]): void => {
      landed.add(applied.reduce((n, g) => n + g.changes.length, 0));
    };
    const result = await applyZoneGroups({ client: state.client, zoneId: zc.zone.id, groups: zc.groups, signal, landed: onLanded });
    await recordWrite(state, zc.zone.id, result.applied);
    return result;
  } catch (err) {
    // Unknown how much landed: forget the zone so that it is read afresh.
    state.cache.delete(zc.zone.id);
    throw err;
  }
}

/** Refuses the whole batch, before any write, when it does not fit the zones as they are (docs/safety.md). */
async function checkFresh(state: PdnsState, zones: readonly ZoneChanges[], signal: AbortSignal): Promise<void> {
  const { cache } = state;
  await pool(zones.filter((zc) => !cache.has(zc.zone.id)), state.concurrency, (zc) => readZone(state, zc.zone, signal));
  const stale = await paced(staleChangesSliced(zones, (zone, key) => cache.peek(zone.id)?.contents.get(key)));
  if (stale.length === 0) return;
  throw new ExtdnsError(PdnsErrors.EXTDNS_PDNS_STALE_PLAN, `nothing was written to PowerDNS: ${stale.join('; ')}. The zone is read again next run`);
}

async function applyPdnsChanges(state: PdnsState, changes: Changes, signal: AbortSignal, progress?: ApplyProgress): Promise<void> {
  if (isEmpty(changes)) return;
  const landed = landedCounter(changes, progress);
  const { log } = state;
  const idx = state.index ?? (await loadIndex(state, signal));
  const built = await paced(buildZoneChangesSliced(changes, idx));
  if (built.outOfZone.length > 0) {
    log.warn('No managed PowerDNS zone holds these records; they are left alone', { records: built.outOfZone });
  }
  await checkFresh(state, built.zones, signal);
  // Zones are written one after another: PowerDNS on its sqlite backend answers 500 to concurrent transactions.
  const outcomes = await pool(built.zones, 1, async (zc) => {
    try {
      return { zone: zc.zone.name, result: await applyZone(state, zc, signal, landed) };
    } catch (err) {
      return { zone: zc.zone.name, error: err };
    }
  });
  const problems: Problem[] = [];
  for (const o of outcomes) {
    if (o.result !== undefined) {
      log.info('Changes pushed to PowerDNS', { zone: o.zone, groups: o.result.applied.length, patches: o.result.patches, rejected: o.result.rejected.length });
      problems.push(...o.result.rejected.map((r) => rejectedProblem(o.zone, r.group, r.error)));
    } else {
      problems.push(thrownProblem(o.zone, o.error));
    }
  }
  if (problems.length > 0) throw combine(problems);
}

interface Problem {
  spec: ErrorSpec;
  transient: boolean;
  message: string;
  cause?: unknown;
}

function rejectedProblem(zone: string, group: ChangeGroup, error: string): Problem {
  const records = group.changes.map((c) => `${c.change.changetype} ${c.description}`).join('; ');
  return {
    spec: PdnsErrors.EXTDNS_PDNS_CHANGES_REJECTED,
    transient: false,
    message: `PowerDNS rejected the changes for ${group.name} in zone ${zone} (${records}): ${error}`,
  };
}

function thrownProblem(zone: string, err: unknown): Problem {
  if (ExtdnsError.is(err)) {
    return { spec: { code: err.code as `EXTDNS_${string}`, transient: err.transient, summary: '' }, transient: err.transient, message: `zone ${zone}: ${err.message}`, cause: err };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { spec: PdnsErrors.EXTDNS_PDNS_UNREACHABLE, transient: false, message: `zone ${zone}: ${message}`, cause: err };
}

/** One error for the sync: transient only when every part is; the first non-transient part sets the code. */
function combine(problems: Problem[]): ExtdnsError {
  const [only] = problems;
  if (problems.length === 1 && only !== undefined && ExtdnsError.is(only.cause)) return only.cause;
  const transient = problems.every((p) => p.transient);
  const lead = problems.find((p) => !p.transient) ?? problems[0];
  const spec = lead?.spec ?? PdnsErrors.EXTDNS_PDNS_CHANGES_REJECTED;
  const message = problems.length === 1 ? (lead?.message ?? '') : `${problems.length} PowerDNS changes failed: ${problems.map((p) => p.message).join(' | ')}`;
  const cause = problems.length === 1 ? lead?.cause : problems.map((p) => p.cause).filter((c) => c !== undefined);
  return new ExtdnsError(spec, message, { transient, ...(cause === undefined ? {} : { cause }) });
}
