/**
 * The noop registry: no ownership at all. Everything passes straight to the
 * provider and ownerId() is "", which tells the planner to skip ownership
 * checks, so a sync may delete any record in scope, including ones extdns
 * never created.
 */
import type { Provider } from '../../provider/provider.ts';
import type { Registry } from '../registry.ts';

export function createNoopRegistry(provider: Provider): Registry {
  return {
    ownerId: () => '',
    records: (signal) => provider.records(signal),
    applyChanges: (changes, signal, progress) => provider.applyChanges(changes, signal, progress),
    adjustEndpoints: (endpoints) => provider.adjustEndpoints(endpoints),
    domainFilter: () => provider.domainFilter(),
    capabilities: provider.capabilities,
    // No ownership records to protect.
    screen: (desired) => ({ admitted: [...desired], refused: [] }),
  };
}
