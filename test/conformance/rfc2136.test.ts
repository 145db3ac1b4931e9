/**
 * The RFC 2136 provider against the provider conformance suite, on real
 * BIND 9 and Knot servers (TSIG hmac-sha256, AXFR on). One server per
 * implementation serves many zones; each test gets a fresh pair.
 */
import { after, before, describe } from 'node:test';
import { createRfc2136Provider } from '../../src/provider/rfc2136/provider.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { startBind, startKnot, type DnsTestServer } from '../support/dns-servers.ts';
import { runProviderConformance } from './provider-suite.ts';

const ZONE_PAIRS = 40;
const zones = Array.from({ length: ZONE_PAIRS * 2 }, (_, i) => `c${i}.example`);

for (const [label, start] of [['BIND', startBind], ['Knot', startKnot]] as const) {
  describe(`rfc2136 provider on ${label}`, () => {
    let server: DnsTestServer | undefined;
    let next = 0;
    before(async () => { server = await start({ zones }); });
    after(async () => { if (process.env['RFC2136_DEBUG'] !== undefined) console.error(server?.log()); await server?.stop(); });
    runProviderConformance(`rfc2136 provider (${label})`, () => {
      if (server === undefined) throw new Error('server not started');
      if (next + 2 > zones.length) throw new Error('raise ZONE_PAIRS: the suite needs more fresh zones');
      const pair = zones.slice(next, next + 2);
      next += 2;
      const key = server.key();
      const provider = createRfc2136Provider({
        hosts: ['127.0.0.1'], port: server.port, zones: pair, insecure: false,
        tsigKeyName: key.name, tsigSecret: key.secret, tsigSecretAlg: key.algorithm, axfr: true, minTtlMs: 0,
        batchChangeSize: 50, loadBalancingStrategy: 'disabled', useTls: false, gssTsig: false,
      }, { logger: captureLogger().logger, clock: { now: () => Date.now(), sleep: () => Promise.resolve() } });
      return Promise.resolve({ provider, zones: pair, cleanup: () => Promise.resolve() });
    });
  });
}
