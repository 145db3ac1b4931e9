/** Shared set-up for the Route53 tests: one PKI, a test server over HTTPS, and providers on the real SDK. */
import { Route53Client } from '@aws-sdk/client-route-53';
import { Agent } from 'node:https';
import { MATCH_ALL } from '../../src/endpoint/domain-filter.ts';
import { createAwsProvider, type AwsProvider, type AwsProviderOptions } from '../../src/provider/aws/index.ts';
import type { Clock } from '../../src/util/clock.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { seededRandom } from '../support/fake-clock.ts';
import type { Pki } from '../support/pki.ts';
import { startRoute53Server, type Route53Server } from '../support/route53-server.ts';
import { InstantClock } from '../support/provider-sync.ts';

export { InstantClock, sync, zonesFilter } from '../support/provider-sync.ts';

export async function startServer(pki: Pki): Promise<Route53Server> {
  return startRoute53Server({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
}

export function testClient(server: Route53Server, pki: Pki, region = 'us-east-1'): Route53Client {
  // Tests trust the test CA through a plain agent; the CLI path gets its agent from src/tls (test/aws/govcloud.test.ts).
  return new Route53Client({
    endpoint: server.url, region, maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: { httpsAgent: new Agent({ ca: pki.rootA.cert }) },
  });
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

