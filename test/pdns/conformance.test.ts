/**
 * The PowerDNS provider against the provider conformance suite, on a real
 * pdns_server. One server for the file; each test gets two fresh zones and a
 * provider whose domain filter sees only them.
 */
import { createDomainFilter } from '../../src/endpoint/domain-filter.ts';
import { after, before } from 'node:test';
import { createPdnsProvider } from '../../src/provider/pdns/index.ts';
import { runProviderConformance } from '../conformance/provider-suite.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';

let pdns: PdnsServer | undefined;
let serial = 0;

before(async () => {
  pdns = await startPdns();
});
after(async () => {
  await pdns?.stop();
});

runProviderConformance('pdns provider (real PowerDNS 4.7)', async () => {
  const server = pdns;
  if (server === undefined) throw new Error('PowerDNS did not start');
  serial++;
  const zones = [`conf${serial}.example.com`, `conf${serial}.example.org`];
  for (const z of zones) await server.createZone(z);
  const provider = createPdnsProvider(
    { server: server.apiUrl, serverId: server.serverId, apiKey: server.apiKey, skipTlsVerify: false, domainFilter: createDomainFilter({ include: zones }) },
    { logger: captureLogger().logger, clock: new FakeClock() },
  );
  return {
    provider,
    zones,
    cleanup: async () => {
      for (const z of zones) await server.deleteZone(z);
    },
  };
});
