/**
 * The registry stage's interface: ownership as a decorator over a Provider.
 * Implementations are looked up by name in ./table.ts.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Provider } from '../provider/provider.ts';

/** A desired endpoint dropped before the plan, and why. */
export interface Refusal {
  endpoint: Endpoint;
  reason: string;
}

export interface Screened {
  admitted: Endpoint[];
  refused: Refusal[];
}

export interface Registry extends Provider {
  /** The owner id written into ownership records; "" for the noop registry (no ownership checks). */
  ownerId(): string;
  /**
   * Drops desired endpoints that would write the registry's own records or
   * whose ownership record the provider could not hold (ownership cannot be
   * forged through a source). Called after records() of the same sync.
   */
  screen(desired: readonly Endpoint[]): Screened;
  /** Ownership records the last records() found but could not read (e.g. encrypted with another key); absent = none possible. */
  unreadableOwnership?(): number;
}
