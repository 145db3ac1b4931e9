/**
 * The TXT registry: ownership kept in TXT records beside each record, in
 * ExternalDNS's format, so extdns and ExternalDNS can take over each other's
 * zones. A decorator over a Provider: records() labels what the provider
 * holds (./read.ts), applyChanges() adds the ownership TXTs (./write.ts).
 *
 * With --txt-cache-interval the provider's records are cached and kept up to
 * date with what this registry applies; every records() call still
 * re-derives ownership from them, so the cache never hides a TXT.
 */
import { cloneEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import type { Provider } from '../../provider/provider.ts';
import { changeCount, scaledProgress, type ApplyProgress } from '../../provider/progress.ts';
import type { Clock } from '../../util/clock.ts';
import type { Registry } from '../registry.ts';
import { createOwnershipCodec } from './codec.ts';
import { systemRandomBytes } from './crypto.ts';
import { TxtRegistryErrors } from './errors.ts';
import { createAffixNameMapper } from './mapper.ts';
import { capabilitiesOf } from '../../provider/capabilities.ts';
import { ownerIdProblem } from './owner-id.ts';
import { attachOwnership, indexApplied, indexOwnership, recordKey, txtKey, type ReadContext, type TxtIndex } from './read.ts';
import { screenDesired } from './screen.ts';
import { withOwnershipTxt } from './write.ts';

export interface TxtRegistryOptions {
  /** --txt-owner-id; must not be empty. */
  ownerId: string;
  /** --txt-prefix */
  prefix: string;
  /** --txt-suffix */
  suffix: string;
  /** --txt-wildcard-replacement */
  wildcardReplacement: string;
  /** --txt-encrypt-enabled */
  encryptEnabled: boolean;
  /** --txt-encrypt-aes-key (secret; never logged). */
  encryptAesKey: string;
  /** --txt-cache-interval in milliseconds; 0 = no cache. */
  cacheIntervalMs: number;
  /** --migrate-from-txt-owner; "" when unset. */
  oldOwnerId: string;
  /** --managed-record-types */
  managedRecordTypes: readonly string[];
  /** --exclude-record-types */
  excludeRecordTypes: readonly string[];
}

export interface TxtRegistryDeps {
  clock: Clock;
  logger: Logger;
  /** Source of encryption nonces; crypto.randomBytes when omitted. */
  randomBytes?: (n: number) => Buffer;
}

export function createTxtRegistry(provider: Provider, options: TxtRegistryOptions, deps: TxtRegistryDeps): Registry {
  if (options.ownerId === '') {
    throw new ExtdnsError(TxtRegistryErrors.EXTDNS_TXT_OWNER_ID_EMPTY, 'the TXT registry needs an owner id: set --txt-owner-id to a non-empty value');
  }
  for (const [flag, id] of [['--txt-owner-id', options.ownerId], ['--migrate-from-txt-owner', options.oldOwnerId]] as const) {
    const problem = ownerIdProblem(id);
    if (problem !== undefined) throw new ExtdnsError(TxtRegistryErrors.EXTDNS_TXT_OWNER_ID_INVALID, `${flag}=${JSON.stringify(id)} is refused: ${problem}`);
  }
  const logger = deps.logger;
  const mapper = createAffixNameMapper(options);
  const codec = createOwnershipCodec({
    encryptEnabled: options.encryptEnabled,
    encryptAesKey: options.encryptAesKey,
    randomBytes: deps.randomBytes ?? systemRandomBytes,
  });
  const legacyWarned = new Set<string>();
  const managedTypes = new Set(options.managedRecordTypes.filter((t) => !options.excludeRecordTypes.includes(t)));
  const readContext: ReadContext = {
    ownerId: options.ownerId,
    oldOwnerId: options.oldOwnerId,
    wildcardReplacement: options.wildcardReplacement.toLowerCase(),
    mapper,
    codec,
    logger,
    isManaged: (type) => managedTypes.has(type),
    onLegacyAliasTxt: (name) => {
      const legacy = mapper.toTxtName(name, 'CNAME');
      if (legacyWarned.has(legacy)) return;
      legacyWarned.add(legacy);
      logger.warn('Obsolete legacy TXT record of an A alias record can be removed', {
        legacyTxt: legacy, record: name, nowUsing: mapper.toTxtName(name, 'A'),
      });
    },
  };
  const cache = createRecordsCache(options.cacheIntervalMs, deps.clock);
  // What the last records() call read; applyChanges() and screen() of the same cycle rely on it.
  let index: TxtIndex | undefined;
  let read: { current: readonly Endpoint[]; foreignTxts: Map<string, Endpoint> } = { current: [], foreignTxts: new Map() };

  const providerRecords = async (signal: AbortSignal): Promise<readonly Endpoint[]> => {
    const cached = cache.get();
    if (cached !== undefined) {
      logger.debug('Using cached records', { count: cached.length });
      return cached;
    }
    const fresh = await provider.records(signal);
    cache.set(fresh);
    return fresh;
  };

  return {
    ownerId: () => options.ownerId,
    async records(signal: AbortSignal): Promise<Endpoint[]> {
      const found = indexOwnership(await providerRecords(signal), readContext);
      index = found.index;
      reportUnreadable(found.index.unreadable, options, logger);
      read = splitRead(found.others);
      return attachOwnership(found.others, found.index, readContext);
    },
    screen: (desired) => screenDesired(desired, { mapper, codec, capabilities: capabilitiesOf(provider), index, ...read }),
    capabilities: provider.capabilities,
    unreadableOwnership: () => index?.unreadable.length ?? 0,
    async applyChanges(changes: Changes, signal: AbortSignal, progress?: ApplyProgress): Promise<void> {
      const toApply = withOwnershipTxt(changes, { ownerId: options.ownerId, mapper, codec, index });
      try {
        // The provider counts ownership TXTs too; the caller hears of its own changes.
        await provider.applyChanges(toApply, signal, scaledProgress(progress, changeCount(changes)));
      } catch (err) {
        cache.clear();
        throw err;
      }
      cache.applied(toApply);
      // Later batches of the same sync (a split apply) see the TXTs this one wrote or removed.
      if (index !== undefined) indexApplied(index, toApply, readContext);
    },
    adjustEndpoints: (endpoints) => provider.adjustEndpoints(endpoints),
    domainFilter: () => provider.domainFilter(),
  };
}

/** The non-TXT records and the TXTs that are no ownership records, as screen() needs them. */
function splitRead(others: readonly Endpoint[]): { current: readonly Endpoint[]; foreignTxts: Map<string, Endpoint> } {
  // Usually every TXT is an ownership record: then the list is used as it is.
  if (!others.some((e) => e.recordType === 'TXT')) return { current: others, foreignTxts: new Map() };
  const current: Endpoint[] = [];
  const foreignTxts = new Map<string, Endpoint>();
  for (const e of others) {
    if (e.recordType === 'TXT') foreignTxts.set(txtKey(e.dnsName, e.setIdentifier), e);
    else current.push(e);
  }
  return { current, foreignTxts };
}

/**
 * Says loudly that ownership TXTs could not be decrypted: after a change of
 * --txt-encrypt-aes-key every owned record looks unowned, so nothing of them
 * is updated or deleted until the old key is back (or they are re-owned).
 */
function reportUnreadable(unreadable: readonly Endpoint[], options: TxtRegistryOptions, logger: Logger): void {
  if (unreadable.length === 0) return;
  const names = unreadable.slice(0, 5).map((e) => e.dnsName).join(', ');
  const why = options.encryptAesKey === ''
    ? 'they are encrypted but no --txt-encrypt-aes-key is set'
    : 'they do not decrypt with the configured --txt-encrypt-aes-key (was the key changed?)';
  logger.error(`!!! ${unreadable.length} ownership TXT records cannot be read: ${why}. The records they own are treated as ` +
    `unowned: extdns will not update or delete them. Restore the previous key to manage them again. Examples: ${names}${unreadable.length > 5 ? ', …' : ''}`,
  { unreadableOwnershipRecords: unreadable.length });
}

interface RecordsCache {
  /** The cached provider records while fresh, else undefined. */
  get(): readonly Endpoint[] | undefined;
  set(records: readonly Endpoint[]): void;
  /** Brings the cache in line with changes the provider accepted. */
  applied(changes: Changes): void;
  clear(): void;
}

function createRecordsCache(intervalMs: number, clock: Clock): RecordsCache {
  let entry: { at: number; records: Map<string, Endpoint> } | undefined;
  const key = (e: Endpoint): string => recordKey(e.dnsName, e.recordType, e.setIdentifier);
  return {
    get: () => (entry !== undefined && clock.now() - entry.at < intervalMs ? [...entry.records.values()].map(cloneEndpoint) : undefined),
    set(records) {
      if (intervalMs > 0) entry = { at: clock.now(), records: new Map(records.map((r) => [key(r), cloneEndpoint(r)])) };
    },
    applied(changes) {
      if (entry === undefined) return;
      for (const e of [...changes.delete, ...changes.updateOld]) entry.records.delete(key(e));
      for (const e of [...changes.create, ...changes.updateNew]) entry.records.set(key(e), cloneEndpoint(e));
    },
    clear() {
      entry = undefined;
    },
  };
}
