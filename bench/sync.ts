/**
 * The sync every provider row of `npm run bench` times: the TXT registry
 * (owner bench) over the provider, the planner, and the apply when there are
 * changes, as the controller runs them.
 */
import type { Endpoint } from '../src/endpoint/endpoint.ts';
import { silentLogger } from '../src/log/logger.ts';
import { calculate } from '../src/plan/calculate.ts';
import type { Provider } from '../src/provider/provider.ts';
import type { Registry } from '../src/registry/registry.ts';
import { createTxtRegistry } from '../src/registry/txt/registry.ts';
import { systemClock } from '../src/util/clock.ts';

/** The TXT registry of the bench rows (owner bench), over `provider`, with the given --txt-cache-interval. */
export function benchRegistry(provider: Provider, cacheIntervalMs = 0): Registry {
  return createTxtRegistry(provider, { ownerId: 'bench', prefix: '', suffix: '', wildcardReplacement: '',
    encryptEnabled: false, encryptAesKey: '', cacheIntervalMs, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    excludeRecordTypes: [] }, { clock: systemClock, logger: silentLogger });
}

/** One sync of the current `want` through the current registry and the planner, as the controller does it. */
export function benchSyncWith(registry: () => Registry, want: () => readonly Endpoint[]): () => Promise<void> {
  const signal = new AbortController().signal;
  return async () => {
    const r = registry();
    const current = await r.records(signal);
    const { changes } = calculate({ current, desired: await r.adjustEndpoints([...want()]), policy: 'sync', domainFilters: [r.domainFilter()],
      managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [], ownerId: 'bench', oldOwnerId: '' });
    if (changes.create.length + changes.updateNew.length + changes.delete.length > 0) await r.applyChanges(changes, signal);
  };
}

/** One sync of `want` through a fresh bench registry over `provider`. */
export function benchSync(provider: Provider, want: readonly Endpoint[]): () => Promise<void> {
  const registry = benchRegistry(provider);
  return benchSyncWith(() => registry, () => want);
}
