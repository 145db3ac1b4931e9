/**
 * What a provider may report about its API use. A provider that wants its
 * calls and throttles on /metrics adds a `stats()` method returning this;
 * the metrics read it at every scrape (nothing is pushed).
 */

export type { ProviderCallStats, ProviderStats, ProviderStatsSnapshot } from '../provider/stats.ts';
import type { ProviderStats } from '../provider/stats.ts';

/** The provider's stats() when it has one. */
export function providerStatsOf(provider: object): ProviderStats | undefined {
  const candidate = provider as Partial<ProviderStats>;
  return typeof candidate.stats === 'function' ? (provider as ProviderStats) : undefined;
}
