/**
 * The provider conformance suite through the webhook protocol: client →
 * `extdns webhook` server → each extdns provider (in-memory, zone files,
 * Route53 on the real AWS SDK against the Route53 test server over HTTPS,
 * and a real PowerDNS when pdns_server is installed).
 */
import { createDomainFilter } from '../../src/endpoint/domain-filter.ts';
import { after, before } from 'node:test';
import { execFileSync } from 'node:child_process';
import { createInMemoryProvider } from '../../src/provider/inmemory/inmemory.ts';
import { createPdnsProvider } from '../../src/provider/pdns/index.ts';
import { createZonefileProvider } from '../../src/provider/zonefile/zonefile.ts';
import { runProviderConformance } from '../conformance/provider-suite.ts';
import { makeProvider as makeAwsProvider, startServer as startRoute53, zonesFilter as awsZonesFilter } from '../aws/harness.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { startPdns, type PdnsServer } from '../support/pdns-server.ts';
import { createPki, type Pki } from '../support/pki.ts';
import type { Route53Server } from '../support/route53-server.ts';
import { checkedProvider, makeZoneDir } from '../support/zonefile.ts';
import { bridge } from './bridge.ts';

runProviderConformance('webhook → in-memory provider', async () => {
  const zones = ['example.com', 'example.org'];
  const b = await bridge(createInMemoryProvider({ zones }));
  return { provider: b.client, zones, cleanup: () => b.close() };
});

runProviderConformance('webhook → zonefile provider', async () => {
  const zones = ['example.com', 'example.org'];
  const dir = await makeZoneDir(zones);
  const backend = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
  const b = await bridge(checkedProvider(backend, dir.dir));
  return { provider: b.client, zones, cleanup: async () => { await b.close(); await dir.cleanup(); } };
});

{
  // Each run gets two fresh hosted zones; the provider's domain filter sees only them.
  let pki: Pki | undefined;
  let route53: Route53Server | undefined;
  let serial = 0;
  before(async () => {
    pki = await createPki();
    route53 = await startRoute53(pki);
  });
  after(async () => {
    await route53?.stop();
    await pki?.cleanup();
  });
  runProviderConformance('webhook → aws provider (Route53 test server over HTTPS)', async () => {
    if (route53 === undefined || pki === undefined) throw new Error('the Route53 test server did not start');
    serial++;
    const zones = [`wh${serial}.example.com`, `wh${serial}.example.net`];
    for (const z of zones) route53.addZone(z);
    const b = await bridge(makeAwsProvider(route53, pki, { domainFilter: awsZonesFilter(zones) }));
    return { provider: b.client, zones, cleanup: () => b.close() };
  });
}

function hasPdns(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v pdns_server'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (hasPdns()) {
  let pdns: PdnsServer | undefined;
  let serial = 0;
  before(async () => {
    pdns = await startPdns();
  });
  after(async () => {
    await pdns?.stop();
  });
  runProviderConformance('webhook → pdns provider (real PowerDNS)', async () => {
    const server = pdns;
    if (server === undefined) throw new Error('PowerDNS did not start');
    serial++;
    const zones = [`wh${serial}.example.com`, `wh${serial}.example.org`];
    for (const z of zones) await server.createZone(z);
    const backend = createPdnsProvider(
      { server: server.apiUrl, serverId: server.serverId, apiKey: server.apiKey, skipTlsVerify: false, domainFilter: createDomainFilter({ include: zones }) },
      { logger: captureLogger().logger, clock: new FakeClock() },
    );
    const b = await bridge(backend);
    return {
      provider: b.client,
      zones,
      cleanup: async () => {
        await b.close();
        for (const z of zones) await server.deleteZone(z);
      },
    };
  });
} else {
  process.stderr.write('pdns_server is not installed: the webhook → PowerDNS conformance run is skipped\n');
}
