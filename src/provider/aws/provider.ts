/**
 * The AWS Route53 provider (`--provider=aws`). A sync reads the zone list
 * (cached for --aws-zones-cache-duration), the tags of the zones when
 * --aws-zone-tags is set, and every managed zone's record sets; it writes
 * ceil(changes / batch limits) ChangeResourceRecordSets per changed zone and
 * nothing when nothing changed. A batch Route53 rejects is bisected so the
 * good changes still land and each bad record is named with Route53's reason.
 */
import type { ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { MATCH_ALL, type DomainFilter } from '../../endpoint/domain-filter.ts';
import { cloneEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import { isEmpty } from '../../plan/calculate.ts';
import { sendBisecting } from '../kit/bisect.ts';
import { ListCache, ZoneCache } from '../kit/cache.ts';
import { systemRandom, type Clock, type Random } from '../../util/clock.ts';
import { DNS_SERVER_CAPABILITIES, type ProviderCapabilities } from '../capabilities.ts';
import type { Provider } from '../provider.ts';
import { landedCounter, type ApplyProgress, type LandedCounter } from '../progress.ts';
import { buildZoneChanges, describeChange, packBatches, type BatchLimits, type ChangeGroup, type ZoneChanges } from './batching.ts';
import { ChangeBatchRejected, createRoute53Api, route53Stats, type Route53Api, type Route53Stats } from './client.ts';
import { mergeSnapshots } from '../stats.ts';
import { looksLikeUnknownAwsService } from './canonical-zones.ts';
import { AwsErrors } from './errors.ts';
import { adjustEndpoint, recordSetToEndpoint, SUPPORTED_TYPES } from './mapping.ts';
import { parseTagFilter, toManagedZone, zonePassesFilters, zonesDomainFilter, type ManagedZone, type ZoneFilterOptions } from './zones.ts';

export interface AwsProviderOptions extends ZoneFilterOptions {
  batchChangeSize: number;
  batchChangeSizeBytes: number;
  batchChangeSizeValues: number;
  /** --aws-batch-change-interval, ms between two change batches. */
  batchChangeIntervalMs: number;
  evaluateTargetHealth: boolean;
  preferCname: boolean;
  /** --aws-zones-cache-duration, ms; 0 reads the zone list every sync. */
  zonesCacheDurationMs: number;
  /** --aws-api-retries. */
  apiRetries: number;
  /** First backoff step of the retries (default 1 s). */
  retryBaseDelayMs?: number;
}

/** One Route53 client per --aws-profile (profile '' = the default chain); ExternalDNS manages the zones of all. */
export interface ProfiledClient {
  profile: string;
  client: Route53Client;
}

export interface AwsProviderDeps {
  logger: Logger;
  clock: Clock;
  random?: Random;
  clients: readonly ProfiledClient[];
  /** Re-reads the trust files after a TLS failure; true when they changed. */
  onTlsFailure?: (() => boolean) | undefined;
}

export interface AwsProvider extends Provider {
  /** API calls per operation, throttles and retries since start (for metrics). */
  stats(): Route53Stats;
}

interface HeldZone {
  /** The record sets as listed. */
  list: ResourceRecordSet[];
  /** `name|type|setId` → the record set as Route53 holds it (kept in step with our writes). */
  sets: Map<string, ResourceRecordSet>;
}

/** What the parts of one provider share: the per-profile APIs, the zone caches, the log. */
interface AwsState {
  options: AwsProviderOptions;
  deps: AwsProviderDeps;
  log: Logger;
  limits: BatchLimits;
  tagFilter: ReturnType<typeof parseTagFilter>;
  apis: Map<string, Route53Api>;
  apiFor: (zone: ManagedZone) => Route53Api;
  /** Zones as last read (Route53 says no version: records() always reads; an apply checks against them). */
  cache: ZoneCache<HeldZone>;
  /** The managed zones, read at most once per --aws-zones-cache-duration. */
  zoneList: ListCache<ManagedZone[]>;
  lastWrite: number;
}

export function createAwsProvider(options: AwsProviderOptions, deps: AwsProviderDeps): AwsProvider {
  const state = awsState(options, deps);
  const { log, cache } = state;
  return {
    async records(signal) {
      const managed = await listZones(state, signal);
      cache.retain(new Set(managed.map((z) => z.id)));
      const out: Endpoint[] = [];
      for (const zone of managed) {
        for (const s of await readZone(state, zone, signal)) {
          const ep = recordSetToEndpoint(s);
          if (ep !== undefined) out.push(ep);
        }
      }
      return out;
    },

    adjustEndpoints(endpoints) {
      for (const ep of endpoints) {
        if (ep.recordType === 'CNAME' && looksLikeUnknownAwsService(ep.targets[0] ?? '')) {
          log.warn('No canonical hosted zone is known for this AWS hostname (a region newer than extdns?); it stays a CNAME', { dnsName: ep.dnsName, target: ep.targets[0] });
        }
      }
      return Promise.resolve(endpoints.flatMap((ep) => adjustEndpoint(cloneEndpoint(ep), { preferCname: options.preferCname, evaluateTargetHealth: options.evaluateTargetHealth })));
    },

    applyChanges: (changes, signal, progress) => applyAwsChanges(state, changes, signal, progress),

    domainFilter(): DomainFilter {
      const zones = state.zoneList.last();
      return zones === undefined ? MATCH_ALL : zonesDomainFilter(zones);
    },

    capabilities: ROUTE53_CAPABILITIES,
    stats: () => mergeStats([...state.apis.values()].map((a) => a.stats())),
  };
}

function awsState(options: AwsProviderOptions, deps: AwsProviderDeps): AwsState {
  const limits: BatchLimits = { changes: options.batchChangeSize, chars: options.batchChangeSizeBytes, values: options.batchChangeSizeValues };
  if (limits.changes < 1 || limits.chars < 1 || limits.values < 1) {
    throw new ExtdnsError(AwsErrors.EXTDNS_AWS_CONFIG, 'the --aws-batch-change-size, --aws-batch-change-size-bytes and --aws-batch-change-size-values limits must be at least 1');
  }
  const tagFilter = parseTagFilter(options.zoneTags);
  // deps.logger carries provider=aws already (src/cli/provider-wiring.ts adds the tag, once).
  const log = deps.logger;
  if (deps.clients.length === 0) throw new Error('internal: the aws provider needs at least one Route53 client');
  const apis = new Map<string, Route53Api>(deps.clients.map(({ profile, client }) => [profile, createRoute53Api(
    { retries: Math.max(0, options.apiRetries), ...(options.retryBaseDelayMs === undefined ? {} : { baseDelayMs: options.retryBaseDelayMs }) },
    { client, clock: deps.clock, random: deps.random ?? systemRandom, logger: profile === '' ? log : log.child({ profile }), onTlsFailure: deps.onTlsFailure },
  )]));
  const apiFor = (zone: ManagedZone): Route53Api => apis.get(zone.profile) ?? (apis.values().next().value as Route53Api);
  return { options, deps, log, limits, tagFilter, apis, apiFor,
    cache: new ZoneCache(deps.clock, 0), zoneList: new ListCache(deps.clock, options.zonesCacheDurationMs), lastWrite: -Infinity };
}

/** The managed zones of every profile, cached for --aws-zones-cache-duration. */
function listZones(state: AwsState, signal: AbortSignal): Promise<ManagedZone[]> {
  return state.zoneList.get(() => readZoneList(state, signal));
}

async function readZoneList(state: AwsState, signal: AbortSignal): Promise<ManagedZone[]> {
  const { options, tagFilter } = state;
  const byId = new Map<string, ManagedZone>();
  for (const [profile, api] of state.apis) {
    let found = (await api.listHostedZones(signal)).map((z) => toManagedZone(z, profile)).filter((z) => zonePassesFilters(z, options));
    if (!tagFilter.isEmpty() && found.length > 0) {
      const tags = new Map((await api.listZoneTags(found.map((z) => z.id), signal)).map((t) => [t.zoneId.replace(/^\/hostedzone\//, ''), t.tags]));
      found = found.filter((z) => tagFilter.match(tags.get(z.id) ?? {}));
    }
    for (const z of found) byId.set(z.id, z);
  }
  const found = [...byId.values()];
  state.log.debug('Route53 zones', { zones: found.map((z) => `${z.name} (${z.id}${z.private ? ', private' : ''})`) });
  return found;
}

async function readZone(state: AwsState, zone: ManagedZone, signal: AbortSignal): Promise<ResourceRecordSet[]> {
  return (await readHeld(state, zone, signal)).list;
}

/** Lists the zone's record sets (always: Route53 gives no version to compare) and holds them. */
function readHeld(state: AwsState, zone: ManagedZone, signal: AbortSignal): Promise<HeldZone> {
  return state.cache.get(zone.id, undefined, async () => {
    const list = await state.apiFor(zone).listRecordSets(zone.id, signal);
    return { list, sets: new Map(list.map((s) => [setKey(s), s])) };
  });
}

/** The zone as last read, else read now. */
async function heldZone(state: AwsState, zone: ManagedZone, signal: AbortSignal): Promise<HeldZone> {
  return state.cache.peek(zone.id) ?? readHeld(state, zone, signal);
}

async function applyAwsChanges(state: AwsState, changes: Changes, signal: AbortSignal, progress?: ApplyProgress): Promise<void> {
  const { log, cache } = state;
  if (isEmpty(changes)) {
    log.info('All records are already up to date');
    return;
  }
  // The plan was made from the zones records() just read; reuse that list rather than list again.
  const managed = state.zoneList.last() ?? (await listZones(state, signal));
  const built = buildZoneChanges(changes, managed, state.options.evaluateTargetHealth);
  if (built.outOfZone.length > 0) log.warn('No managed Route53 zone holds these records; they are left alone', { records: built.outOfZone });
  await checkFresh(state, built.zones, signal);
  const out: ZoneOutcome = { rejected: [], landed: landedCounter(changes, progress) };
  const { rejected } = out;
  for (const zc of built.zones) {
    try {
      await applyZone(state, zc, signal, out);
    } catch (err) {
      cache.delete(zc.zone.id);
      throw err;
    }
  }
  if (rejected.length > 0) {
    for (const zc of built.zones) cache.delete(zc.zone.id);
    throw new ExtdnsError(AwsErrors.EXTDNS_AWS_CHANGES_REJECTED, `Route53 rejected ${rejected.length} change group(s), the other changes were applied: ${rejected.join(' | ')}`);
  }
}

/** Refuses the whole apply, before any write, when it does not fit the zones as extdns last read them (exactness). */
async function checkFresh(state: AwsState, planned: readonly ZoneChanges[], signal: AbortSignal): Promise<void> {
  const stale: string[] = [];
  for (const zc of planned) {
    const held = await heldZone(state, zc.zone, signal);
    for (const c of zc.groups.flatMap((g) => g.changes)) {
      const current = held.sets.get(setKey(c.change.ResourceRecordSet ?? { Name: undefined, Type: undefined }));
      if (c.action === 'CREATE' && current !== undefined) stale.push(`${c.endpoint.dnsName} ${c.endpoint.recordType} already exists in zone ${zc.zone.name}`);
      if (c.action === 'DELETE' && current === undefined) stale.push(`${c.endpoint.dnsName} ${c.endpoint.recordType} to delete is not in zone ${zc.zone.name}`);
      if (c.action === 'DELETE' && current !== undefined && valuesKey(current) !== valuesKey(c.change.ResourceRecordSet)) {
        stale.push(`${c.endpoint.dnsName} ${c.endpoint.recordType} to delete holds other values in zone ${zc.zone.name}`);
      }
    }
  }
  if (stale.length > 0) {
    for (const zc of planned) state.cache.delete(zc.zone.id);
    throw new ExtdnsError(AwsErrors.EXTDNS_AWS_STALE_PLAN, `nothing was written to Route53: ${stale.join('; ')}. The zones are read again next run`);
  }
}

/** One ChangeResourceRecordSets, paced by --aws-batch-change-interval; the cached zone follows the write. */
async function send(state: AwsState, zone: ManagedZone, groups: readonly ChangeGroup[], signal: AbortSignal): Promise<void> {
  const { clock } = state.deps;
  const wait = state.lastWrite + state.options.batchChangeIntervalMs - clock.now();
  if (Number.isFinite(state.lastWrite) && wait > 0) await clock.sleep(wait, signal);
  try {
    await state.apiFor(zone).changeRecordSets(zone.id, groups.flatMap((g) => g.changes.map((c) => c.change)), signal);
  } finally {
    state.lastWrite = clock.now();
  }
  const held = state.cache.peek(zone.id);
  for (const c of groups.flatMap((g) => g.changes)) {
    const rrset = c.change.ResourceRecordSet;
    if (held === undefined || rrset === undefined) continue;
    if (c.action === 'DELETE') held.sets.delete(setKey(rrset));
    else held.sets.set(setKey(rrset), rrset);
  }
}

/** Sends the zone's batches; a batch Route53 rejects (InvalidChangeBatch) is bisected (../kit/bisect.ts). */
/** What applyZone reports: the rejected change groups, and each accepted batch's changes as they land. */
interface ZoneOutcome {
  rejected: string[];
  landed: LandedCounter;
}

async function applyZone(state: AwsState, zc: ZoneChanges, signal: AbortSignal, out: ZoneOutcome): Promise<void> {
  const { limits, log } = state;
  const { rejected } = out;
  const { batches, oversized } = packBatches(zc.groups, limits);
  for (const g of oversized) {
    rejected.push(`${g.changes.map(describeChange).join(', ')} in zone ${zc.zone.name}: too large for one change batch (${g.changes.length} changes, ${g.values} values, ${g.chars} characters; limits ${limits.changes}/${limits.values}/${limits.chars})`);
  }
  for (const c of zc.groups.flatMap((g) => g.changes)) log.info(`Desired change: ${describeChange(c)}`, { zone: zc.zone.name });
  const attempt = async (groups: readonly ChangeGroup[]): Promise<string | undefined> => {
    try {
      await send(state, zc.zone, groups, signal);
      // An update sent as DELETE + CREATE counts once: its old side is no change of its own.
      out.landed.endpoints(groups.flatMap((g) => g.changes.map((c) => c.endpoint)));
      return undefined;
    } catch (err) {
      if (err instanceof ChangeBatchRejected) return err.messages.join('; ');
      throw err;
    }
  };
  let calls = 0;
  for (const batch of batches) {
    const sent = await sendBisecting(batch, attempt);
    calls += sent.calls;
    for (const r of sent.rejected) rejected.push(`${r.group.changes.map(describeChange).join(', ')} in zone ${zc.zone.name}: ${r.error}`);
  }
  log.info('Changes pushed to Route53', { zone: zc.zone.name, changes: zc.groups.reduce((n, g) => n + g.changes.length, 0), batches: batches.length, calls });
}

function mergeStats(all: Route53Stats[]): Route53Stats {
  return route53Stats(mergeSnapshots(all), all.reduce((n, s) => n + s.retries, 0));
}

function setKey(s: Pick<ResourceRecordSet, 'Name' | 'Type' | 'SetIdentifier'>): string {
  return `${(s.Name ?? '').replace(/\.$/, '').toLowerCase()}|${s.Type ?? ''}|${s.SetIdentifier ?? ''}`;
}

function valuesKey(s: ResourceRecordSet | undefined): string {
  if (s === undefined) return '';
  if (s.AliasTarget !== undefined) return `alias:${(s.AliasTarget.DNSName ?? '').replace(/\.$/, '').toLowerCase()}`;
  return (s.ResourceRecords ?? []).map((r) => r.Value ?? '').sort().join('\u0000');
}

/** Route 53 holds the types in SUPPORTED_TYPES and at most 4,000 characters in one TXT value (a Route 53 quota). */
const ROUTE53_CAPABILITIES: ProviderCapabilities = { ...DNS_SERVER_CAPABILITIES, recordTypes: [...SUPPORTED_TYPES], maxTxtBytes: 4_000 };
