/** Shared set-up for the Cloudflare tests: one PKI, the test server over HTTPS, providers on the real SDK. */
import { Agent } from 'undici';
import type { DomainFilter } from '../../src/endpoint/domain-filter.ts';
import { createDomainFilter } from '../../src/endpoint/domain-filter.ts';
import { newEndpoint, type EndpointInit } from '../../src/endpoint/endpoint.ts';
import { calculate } from '../../src/plan/calculate.ts';
import { createCloudflareProvider, type CloudflareProviderOptions } from '../../src/provider/cloudflare/provider.ts';
import { createSdkApi } from '../../src/provider/cloudflare/sdk.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { CallCounter, type ProviderStats } from '../../src/provider/stats.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import type { Clock } from '../../src/util/clock.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { startCloudflareServer, type CloudflareServer } from '../support/cloudflare-server.ts';
import { FakeClock } from '../support/fake-clock.ts';
import type { Pki } from '../support/pki.ts';

export const TOKEN = 'cf-test-token-7f3a';

export async function startServer(pki: Pki): Promise<CloudflareServer> {
  return startCloudflareServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, token: TOKEN });
}

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

export function zonesFilter(zones: readonly string[]): DomainFilter {
  return createDomainFilter({ include: zones });
}

export interface Made {
  provider: Provider & ProviderStats;
  counter: CallCounter;
  clock: InstantClock;
}

/** Tests trust the test CA through a plain undici agent; the CLI path gets its dispatcher from src/tls (./govcloud.test.ts). */
export function makeProvider(server: CloudflareServer, pki: Pki, options: Partial<CloudflareProviderOptions> & { perPage?: number } = {}): Made {
  const clock = new InstantClock();
  const counter = new CallCounter();
  const api = createSdkApi({
    credentials: { kind: 'token', token: TOKEN }, baseUrl: server.baseUrl, recordsPerPage: options.perPage ?? 100,
    dispatcher: new Agent({ connect: { ca: pki.rootA.cert } }), clock, counter,
  });
  const provider = createCloudflareProvider({
    domainFilter: createDomainFilter({}), zoneIdFilter: [], proxiedByDefault: false, recordComment: '',
    batchChangeSize: 200, batchChangeIntervalMs: 1000, ...options,
  }, { api, counter, logger: captureLogger().logger, clock });
  return { provider, counter, clock };
}

/** One controller-style sync through the TXT registry and the real planner; returns the planned record changes. */
export async function sync(provider: Provider, desired: readonly EndpointInit[], ownerId = 'owner'): Promise<number> {
  const signal = new AbortController().signal;
  const registry = createTxtRegistry(provider, {
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
