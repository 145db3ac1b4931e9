/**
 * The provider stage's interface: a DNS service that holds records. Providers
 * are looked up by name in ./table.ts.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Changes } from '../plan/plan.ts';
import type { ProviderCapabilities } from './capabilities.ts';
import type { ApplyProgress } from './progress.ts';

export interface Provider {
  /** Every record the provider holds in the zones it manages. */
  records(signal: AbortSignal): Promise<Endpoint[]>;
  /**
   * Applies all changes, or throws an ExtdnsError saying which failed (transient ones are retried next run).
   * A provider that applies in parts may report each part through `progress` (./progress.ts); wrappers pass it on.
   */
  applyChanges(changes: Changes, signal: AbortSignal, progress?: ApplyProgress): Promise<void>;
  /** Canonicalises desired endpoints so that they compare equal to what records() returns. */
  adjustEndpoints(endpoints: Endpoint[]): Promise<Endpoint[]>;
  /** An extra filter the provider imposes (e.g. the webhook's own); MATCH_ALL when none. */
  domainFilter(): DomainFilter;
  /**
   * What it can hold; desired endpoints outside it are dropped before the plan
   * (./capabilities.ts). Every built-in provider declares it; wrappers pass it
   * on; absent means a plain DNS server's (capabilitiesOf).
   */
  readonly capabilities?: ProviderCapabilities | undefined;
}
