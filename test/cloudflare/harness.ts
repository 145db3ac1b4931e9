/** Shared set-up for the Cloudflare tests: one PKI, the test server over HTTPS, providers on the real SDK. */
import { Agent } from 'undici';
import { createDomainFilter } from '../../src/endpoint/domain-filter.ts';
import { createCloudflareProvider, type CloudflareProviderOptions } from '../../src/provider/cloudflare/provider.ts';
import { createSdkApi } from '../../src/provider/cloudflare/sdk.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { CallCounter, type ProviderStats } from '../../src/provider/stats.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { startCloudflareServer, type CloudflareServer } from '../support/cloudflare-server.ts';

import { InstantClock } from '../support/provider-sync.ts';

export { InstantClock, sync, zonesFilter } from '../support/provider-sync.ts';
import type { Pki } from '../support/pki.ts';
import { usePkiServer } from '../support/server-fixture.ts';

export const TOKEN = 'cf-test-token-7f3a';

export async function startServer(pki: Pki): Promise<CloudflareServer> {
  return startCloudflareServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, token: TOKEN });
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

export interface ServerFixture {
  readonly pki: Pki;
  readonly server: CloudflareServer;
  /** A new zone `<prefix><n>.example.com` on the server. */
  freshZone(prefix: string, options?: { paid?: boolean }): { zone: string; zoneId: string };
}

/** One PKI and test server for a test file: started before its tests, stopped after them. */
export function useServer(): ServerFixture {
  const fixture = usePkiServer('Cloudflare', startServer);
  let serial = 0;
  return {
    get pki() {
      return fixture.pki;
    },
    get server() {
      return fixture.server;
    },
    freshZone(prefix, options = {}) {
      const zone = `${prefix}${++serial}.example.com`;
      return { zone, zoneId: fixture.server.addZone(zone, options) };
    },
  };
}
