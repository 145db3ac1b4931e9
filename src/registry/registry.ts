/**
 * The registry stage's interface: ownership as a decorator over a Provider.
 * Implementations are looked up by name in ./table.ts.
 */
import type { Provider } from '../provider/provider.ts';

export interface Registry extends Provider {
  /** The owner id written into ownership records; "" for the noop registry (no ownership checks). */
  ownerId(): string;
}
