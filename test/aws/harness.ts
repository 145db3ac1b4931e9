/** Shared set-up for the Route53 tests: one PKI, a test server over HTTPS, and providers on the real SDK. */
import { Route53Client } from '@aws-sdk/client-route-53';
import { Agent } from 'node:https';
import type { DomainFilter } from '../../src/endpoint/domain-filter.ts';
import { MATCH_ALL } from '../../src/endpoint/domain-filter.ts';
import { createDomainFilter } from '../../src/endpoint/domain-filter.ts';
import { createAwsProvider, type AwsProvider, type AwsProviderOptions } from '../../src/provider/aws/index.ts';
import type { Clock } from '../../src/util/clock.ts';
import { newEndpoint, type EndpointInit } from '../../src/endpoint/endpoint.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { calculate } from '../../src/plan/calculate.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import type { Pki } from '../support/pki.ts';
import { startRoute53Server, type Route53Server } from '../support/route53-server.ts';

export async function startServer(pki: Pki): Promise<Route53Server> {
  return startRoute53Server({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
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

export function testClient(server: Route53Server, pki: Pki, region = 'us-east-1'): Route53Client {
  // Tests trust the test CA through a plain agent; the CLI path gets its agent from src/tls (test/aws/govcloud.test.ts).
  return new Route53Client({
    endpoint: server.url, region, maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: { httpsAgent: new Agent({ ca: pki.rootA.cert }) },
  });
}

/** The --domain-filter a test passes: extdns's own filter over these zones. */
export function zonesFilter(zones: readonly string[]): DomainFilter {
  return createDomainFilter({ include: zones });
}

export function defaultOptions(overrides: Partial<AwsProviderOptions> = {}): AwsProviderOptions {
  return {
    domainFilter: MATCH_ALL, zoneIdFilter: [], zoneType: '', zoneTags: [], zoneMatchParent: false,
    batchChangeSize: 1000, batchChangeSizeBytes: 32000, batchChangeSizeValues: 1000, batchChangeIntervalMs: 1000,
    evaluateTargetHealth: true, preferCname: false, zonesCacheDurationMs: 0, apiRetries: 3,
    ...overrides,
  };
}

export function makeProvider(server: Route53Server, pki: Pki, options: Partial<AwsProviderOptions> = {}, clock: Clock = new InstantClock()): AwsProvider {
  return createAwsProvider(defaultOptions(options), { logger: captureLogger().logger, clock, random: seededRandom(7), clients: [{ profile: '', client: testClient(server, pki) }] });
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
