/**
 * What a provider may report about its API use: calls, failures and
 * throttles per operation, read by /metrics at every scrape (nothing is
 * pushed). A provider that has them adds `stats()` (see ProviderStats).
 */

export interface ProviderCallStats {
  /**
   * The API operation, in the provider's own words (`listZones`, `patchZone`,
   * `ChangeResourceRecordSets`…). The webhook provider uses `records`,
   * `applychanges` and `adjustendpoints`: those also feed ExternalDNS's
   * external_dns_webhook_provider_* gauges.
   */
  readonly operation: string;
  /** Requests sent since start (retries included). */
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

/** Counts a provider's API calls per operation. */
export class CallCounter {
  readonly #counts = new Map<string, { calls: number; errors: number }>();
  #throttles = 0;

  /** `operations` are listed (at zero) before their first call, so dashboards see them at once. */
  constructor(operations: readonly string[] = []) {
    for (const op of operations) this.#counts.set(op, { calls: 0, errors: 0 });
  }

  /** Runs one request, counting it and, when it throws, its failure. */
  async count<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const c = this.#entry(operation);
    c.calls++;
    try {
      return await fn();
    } catch (err) {
      c.errors++;
      throw err;
    }
  }

  /** Counts one request that was made without count() (e.g. an error status the caller still reads). */
  record(operation: string, failed: boolean): void {
    const c = this.#entry(operation);
    c.calls++;
    if (failed) c.errors++;
  }

  throttled(): void {
    this.#throttles++;
  }

  snapshot(): ProviderStatsSnapshot {
    return { calls: [...this.#counts].map(([operation, c]) => ({ operation, ...c })), throttles: this.#throttles };
  }

  #entry(operation: string): { calls: number; errors: number } {
    let c = this.#counts.get(operation);
    if (c === undefined) {
      c = { calls: 0, errors: 0 };
      this.#counts.set(operation, c);
    }
    return c;
  }
}

/** Adds up several snapshots (a provider with one API client per account). */
export function mergeSnapshots(all: readonly ProviderStatsSnapshot[]): ProviderStatsSnapshot {
  const calls = new Map<string, { calls: number; errors: number }>();
  let throttles = 0;
  for (const s of all) {
    throttles += s.throttles;
    for (const c of s.calls) {
      const sum = calls.get(c.operation) ?? { calls: 0, errors: 0 };
      calls.set(c.operation, { calls: sum.calls + c.calls, errors: sum.errors + c.errors });
    }
  }
  return { calls: [...calls].map(([operation, c]) => ({ operation, ...c })), throttles };
}
