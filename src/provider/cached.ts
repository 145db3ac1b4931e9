/**
 * `--provider-cache-time` (ExternalDNS's cached provider): the record list
 * read from the provider is reused until it is that old. Changes the provider
 * accepted are written through into the cached list (ExternalDNS drops the
 * cache instead), so a no-op sync right after a write lists nothing; a failed
 * apply, which may have been partly applied, drops it.
 * Cuts provider reads when syncs are frequent (--events) and zones are large.
 */
import { cloneEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import type { Changes } from '../plan/plan.ts';
import type { Logger } from '../log/logger.ts';
import { hasChanges } from '../plan/calculate.ts';
import type { Clock } from '../util/clock.ts';
import type { Provider } from './provider.ts';
import type { ProviderStatsSnapshot } from './stats.ts';

/** Calls counted for external_dns_provider_cache_records_calls / _apply_changes_calls. */
export interface ProviderCacheCalls {
  readonly recordsFromCache: number;
  readonly recordsFromProvider: number;
  readonly applyChanges: number;
}

export interface CachedProvider extends Provider {
  cacheCalls(): ProviderCacheCalls;
  /** The wrapped provider's API stats, when it has them. */
  stats?: () => ProviderStatsSnapshot;
}

export function withRecordsCache(provider: Provider & { stats?: () => ProviderStatsSnapshot }, options: { refreshMs: number },
  deps: { clock: Clock; logger: Logger }): CachedProvider {
  let cache: { records: Endpoint[]; readAt: number } | undefined;
  const calls = { recordsFromCache: 0, recordsFromProvider: 0, applyChanges: 0 };
  const cached: CachedProvider = {
    async records(signal) {
      const now = deps.clock.now();
      if (cache !== undefined && now - cache.readAt <= options.refreshMs) {
        calls.recordsFromCache++;
        deps.logger.debug('Records from the provider cache', { ageMs: now - cache.readAt });
        return cache.records;
      }
      const records = await provider.records(signal);
      cache = { records, readAt: now };
      calls.recordsFromProvider++;
      return records;
    },
    async applyChanges(changes, signal, progress) {
      if (!hasChanges(changes)) {
        deps.logger.debug('No changes: the provider cache is kept');
        return;
      }
      calls.applyChanges++;
      try {
        await provider.applyChanges(changes, signal, progress);
      } catch (err) {
        cache = undefined;
        throw err;
      }
      if (cache !== undefined) cache = { records: writeThrough(cache.records, changes), readAt: cache.readAt };
    },
    adjustEndpoints: (endpoints) => provider.adjustEndpoints(endpoints),
    domainFilter: () => provider.domainFilter(),
    capabilities: provider.capabilities,
    cacheCalls: () => ({ ...calls }),
  };
  const stats = provider.stats?.bind(provider);
  if (stats !== undefined) cached.stats = stats;
  return cached;
}

/** The cached list after changes the provider accepted: removed ones dropped, new ones (copies) added. */
function writeThrough(records: readonly Endpoint[], changes: Changes): Endpoint[] {
  const key = (e: Endpoint): string => `${e.dnsName.toLowerCase()}\u0000${e.recordType}\u0000${e.setIdentifier}`;
  const byKey = new Map(records.map((r) => [key(r), r]));
  for (const e of [...changes.delete, ...changes.updateOld]) byKey.delete(key(e));
  for (const e of [...changes.create, ...changes.updateNew]) byKey.set(key(e), cloneEndpoint(e));
  return [...byKey.values()];
}

/** The cache counts of a provider wrapped by withRecordsCache, if it is. */
export function providerCacheOf(provider: object): { cacheCalls(): ProviderCacheCalls } | undefined {
  const candidate = provider as Partial<CachedProvider>;
  return typeof candidate.cacheCalls === 'function' ? (provider as CachedProvider) : undefined;
}
