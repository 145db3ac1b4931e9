/**
 * Provider-test helpers shared by the cloud provider suites (test/aws, test/cloudflare, test/google):
 * an instant clock, the --domain-filter over a list of zones, and one controller-style sync.
 */
import { createDomainFilter, type DomainFilter } from '../../src/endpoint/domain-filter.ts';
import { newEndpoint, type EndpointInit } from '../../src/endpoint/endpoint.ts';
import { calculate } from '../../src/plan/calculate.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import type { Clock } from '../../src/util/clock.ts';
import { captureLogger } from './capture-logger.ts';
import { FakeClock } from './fake-clock.ts';

/** A clock whose sleeps return at once and move time forward; records every sleep. */
export class InstantClock implements Clock {
  now_ = Date.UTC(2026, 10, 28, 12);
  readonly sleeps: number[] = [];
  now(): number {
    return this.now_;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.now_ += ms;
    return Promise.resolve();
  }
}

/** The --domain-filter a test passes: extdns's own filter over these zones. */
export function zonesFilter(zones: readonly string[]): DomainFilter {
  return createDomainFilter({ include: zones });
}

/** One controller-style sync through the TXT registry (none when ownerId is '') and the real planner; returns the number of planned record changes (ownership TXTs not counted). */
export async function sync(provider: Provider, desired: readonly EndpointInit[], ownerId = 'owner'): Promise<number> {
  const signal = new AbortController().signal;
  const registry = ownerId === '' ? provider : createTxtRegistry(provider, {
    ownerId, prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [],
  }, { clock: new FakeClock(), logger: captureLogger().logger });
  const current = await registry.records(signal);
  const { changes } = calculate({
    current,
    desired: await registry.adjustEndpoints(desired.map((e) => newEndpoint(e))),
    policy: 'sync', domainFilters: [registry.domainFilter()], managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    excludeRecordTypes: [], ownerId, oldOwnerId: '',
  });
  const n = changes.create.length + changes.updateNew.length + changes.delete.length;
  if (n > 0) await registry.applyChanges(changes, signal);
  return n;
}
