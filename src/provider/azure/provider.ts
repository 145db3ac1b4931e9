/**
 * The Azure DNS and Azure Private DNS provider (ExternalDNS `--provider=azure`,
 * `azure-private-dns`). A sync costs one zone list (cached for
 * --azure-zones-cache-duration) and one paged record-set list per zone; an
 * apply writes one PUT per changed record set (a record's ownership TXT right
 * after it) and one DELETE per removed one, each carrying the ETag read so
 * that a record set changed meanwhile is never overwritten. Nothing is
 * written when nothing changed.
 */
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { MATCH_ALL } from '../../endpoint/domain-filter.ts';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { isEmpty } from '../../plan/calculate.ts';
import type { Changes } from '../../plan/plan.ts';
import type { Clock } from '../../util/clock.ts';
import { MAX_TXT_RDATA_BYTES, type ProviderCapabilities } from '../capabilities.ts';
import { pool } from '../kit/pool.ts';
import type { Provider } from '../provider.ts';
import { landedCounter, type ApplyProgress } from '../progress.ts';
import type { CallCounter, ProviderStats } from '../stats.ts';
import type { AzureDnsApi, AzureZone } from './api.ts';
import { planWrites, type RecordSetWrite, type ZoneState } from './writes.ts';
import { canonicalEndpoint, recordSetToEndpoint, shortType, type AzureRecordSet } from './mapping.ts';
import { describeAzureFailure } from './sdk-error.ts';
import { AzureErrors } from './errors.ts';

/** Azure DNS takes one TXT string of up to 1024 characters per value; ExternalDNS writes one string. */
const AZURE_TXT_BYTES = Math.min(1024, MAX_TXT_RDATA_BYTES);

export const AZURE_DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT'] as const;
export const AZURE_PRIVATE_DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const;

export interface AzureProviderOptions {
  /** Record types read and written (ExternalDNS's SupportedRecordType). */
  recordTypes: readonly string[];
  domainFilter: DomainFilter;
  /** --zone-name-filter: zones taken even when --domain-filter does not match them. */
  zoneNameFilter: DomainFilter;
  /** --zone-id-filter: ARM resource IDs (suffix match, as ExternalDNS's ZoneIDFilter). */
  zoneIdFilter: readonly string[];
  /** --azure-zones-cache-duration in ms; 0 = list zones every sync. */
  zonesCacheDurationMs: number;
  /** Record sets written at once (default 4). */
  concurrency?: number;
}

export interface AzureProviderDeps {
  api: AzureDnsApi;
  logger: Logger;
  clock: Clock;
  counter: CallCounter;
  /** The last TLS or transport failure the HTTP client saw (the SDKs' token code rewords them). */
  transport?: { last?: Error | undefined };
}

export function createAzureProvider(options: AzureProviderOptions, deps: AzureProviderDeps): Provider & ProviderStats {
  const { api, logger, clock } = deps;
  const states = new Map<string, ZoneState>();
  let zoneCache: { zones: AzureZone[]; at: number } | undefined;
  const capabilities: ProviderCapabilities = { recordTypes: options.recordTypes, names: 'hostname', maxTxtBytes: AZURE_TXT_BYTES };

  const zones = async (signal: AbortSignal): Promise<AzureZone[]> => {
    const ttl = options.zonesCacheDurationMs;
    if (zoneCache !== undefined && ttl > 0 && clock.now() - zoneCache.at < ttl) return zoneCache.zones;
    const listed = await call(() => api.listZones(signal), `list ${api.flavour} zones`, deps.transport);
    const kept = listed.filter((z) => zoneWanted(z, options));
    zoneCache = { zones: kept, at: clock.now() };
    return kept;
  };

  const readZone = async (zone: string, signal: AbortSignal): Promise<ZoneState> => {
    const sets = await call(() => api.listRecordSets(zone, signal), `list record sets of ${zone}`, deps.transport);
    const state: ZoneState = { zone, sets: new Map() };
    for (const set of sets) {
      const type = shortType(set.type);
      if (set.name === undefined || !options.recordTypes.includes(type)) continue;
      state.sets.set(setKey(set.name, type), set);
    }
    states.set(zone, state);
    return state;
  };

  const records = async (signal: AbortSignal): Promise<Endpoint[]> => {
    const list = await zones(signal);
    const read = await pool(list, options.concurrency ?? 4, (z) => readZone(z.name, signal));
    const out: Endpoint[] = [];
    for (const state of read) {
      for (const set of state.sets.values()) {
        const ep = recordSetToEndpoint(set, state.zone, options.recordTypes);
        if (ep !== undefined && (options.zoneNameFilter.isConfigured() ? options.domainFilter.match(ep.dnsName) : true)) out.push(ep);
      }
    }
    return out;
  };

  const applyChanges = async (changes: Changes, signal: AbortSignal, progress?: ApplyProgress): Promise<void> => {
    if (isEmpty(changes)) return;
    const zoneNames = (await zones(signal)).map((z) => z.name);
    const known = async (zone: string): Promise<ZoneState> => states.get(zone) ?? readZone(zone, signal);
    const plan = await planWrites(changes, zoneNames, known);
    for (const name of plan.outOfZone) logger.info(`Ignoring changes to '${name}' because a suitable Azure DNS zone was not found.`);
    if (plan.invalid.length > 0) {
      throw new ExtdnsError(AzureErrors.EXTDNS_AZURE_REQUEST_REJECTED, `nothing was written: these records cannot be written to Azure: ${plan.invalid.join('; ')}`,
        { transient: false, kind: 'data' });
    }
    if (plan.stale.length > 0) {
      for (const zone of plan.touchedZones) states.delete(zone);
      throw new ExtdnsError(AzureErrors.EXTDNS_AZURE_STALE_PLAN,
        `nothing was written: the zone no longer matches the plan: ${plan.stale.join('; ')}`);
    }
    const failures: { write: RecordSetWrite; error: unknown }[] = [];
    // One record-set write per change (an update replaces its set in one PUT).
    const landed = landedCounter(changes, progress);
    await pool(plan.groups, options.concurrency ?? 4, async (group) => {
      for (const write of group) {
        try {
          await performWrite({ api, logger, states, transport: deps.transport }, write, signal);
          landed.add(1);
        } catch (error) {
          failures.push({ write, error });
          states.delete(write.zone);
          return; // The rest of the group (its ownership TXT) waits for the record.
        }
      }
    });
    if (failures.length > 0) throw combinedFailure(failures);
  };

  return {
    records,
    applyChanges,
    adjustEndpoints: (endpoints) => Promise.resolve(endpoints.map(canonicalEndpoint)),
    domainFilter: () => MATCH_ALL,
    capabilities,
    stats: () => deps.counter.snapshot(),
  };
}

interface WriteContext {
  api: AzureDnsApi;
  logger: Logger;
  states: Map<string, ZoneState>;
  transport: { last?: Error | undefined } | undefined;
}

/** One PUT or DELETE; the zone's record sets as last read are kept up to date (the next apply checks against them). */
async function performWrite({ api, logger, states, transport }: WriteContext, write: RecordSetWrite, signal: AbortSignal): Promise<void> {
  const what = `${write.action} ${write.type} record set '${write.relativeName}' in ${api.flavour} zone ${write.zone}`;
  const service = api.flavour === 'dns' ? 'DNS' : 'Private DNS';
  logger.info(`${write.action === 'delete' ? 'Deleting' : 'Updating'} ${write.type} record named '${write.relativeName}' for Azure ${service} zone '${write.zone}'.`);
  const state = states.get(write.zone);
  const key = setKey(write.relativeName, write.type);
  if (write.action === 'delete') {
    await call(() => api.deleteRecordSet(write, write.condition, signal), what, transport);
    state?.sets.delete(key);
    return;
  }
  const body: AzureRecordSet = write.body ?? {};
  const etag = await call(() => api.putRecordSet(write, body, write.condition, signal), what, transport);
  state?.sets.set(key, { ...body, name: write.relativeName, type: write.type, etag });
}

export function setKey(relativeName: string, type: string): string {
  return `${relativeName.toLowerCase()}\u0000${type}`;
}

/** ExternalDNS's zones(): the domain filter and zone-ID filter, or else the zone-name filter. */
function zoneWanted(zone: AzureZone, options: AzureProviderOptions): boolean {
  const idOk = options.zoneIdFilter.length === 0 || options.zoneIdFilter.some((f) => zone.id.endsWith(f));
  if (options.domainFilter.match(zone.name) && idOk) return true;
  return options.zoneNameFilter.isConfigured() && options.zoneNameFilter.match(zone.name);
}

async function call<T>(fn: () => Promise<T>, what: string, transport: { last?: Error | undefined } | undefined): Promise<T> {
  if (transport !== undefined) transport.last = undefined;
  try {
    return await fn();
  } catch (err) {
    const underneath = transport?.last;
    throw underneath instanceof ExtdnsError && !(err instanceof ExtdnsError) ? underneath : describeAzureFailure(err, what);
  }
}

function combinedFailure(failures: readonly { write: RecordSetWrite; error: unknown }[]): ExtdnsError {
  const errors = failures.map((f) => f.error).filter((e): e is ExtdnsError => e instanceof ExtdnsError);
  const first = errors[0];
  const message = failures.map((f) => (f.error instanceof Error ? f.error.message : String(f.error))).join('; ');
  if (first === undefined) return new ExtdnsError(AzureErrors.EXTDNS_AZURE_REQUEST_REJECTED, message);
  const spec = Object.values(AzureErrors).find((s) => s.code === first.code) ?? AzureErrors.EXTDNS_AZURE_REQUEST_REJECTED;
  return new ExtdnsError(spec, `${failures.length} record set write(s) failed, the others were applied: ${message}`,
    { transient: errors.every((e) => e.transient) });
}

