/**
 * What a provider may report about its API use. A provider that wants its
 * calls and throttles on /metrics adds a `stats()` method returning this;
 * the metrics read it at every scrape (nothing is pushed).
 */

export interface ProviderCallStats {
  /**
   * The API operation, in the provider's own words (`listZones`, `patchZone`,
   * `ChangeResourceRecordSets`…). The webhook provider uses `records`,
   * `applychanges` and `adjustendpoints`: those also feed ExternalDNS's
   * external_dns_webhook_provider_* gauges.
   */
  readonly operation: string;
  /** Requests sent since start. */
  readonly calls: number;
  /** Requests that failed (any error, throttles included). */
  readonly errors: number;
}

export interface ProviderStatsSnapshot {
  readonly calls: readonly ProviderCallStats[];
  /** Requests the API refused for rate limiting (HTTP 429, Throttling…) since start. */
  readonly throttles: number;
}

export interface ProviderStats {
  stats(): ProviderStatsSnapshot;
}

/** The provider's stats() when it has one. */
export function providerStatsOf(provider: object): ProviderStats | undefined {
  const candidate = provider as Partial<ProviderStats>;
  return typeof candidate.stats === 'function' ? (provider as ProviderStats) : undefined;
}
