/**
 * The Route53 provider against the provider conformance suite, on the real
 * AWS SDK talking to the Route53 test server over HTTPS. Each test gets two
 * fresh hosted zones and a provider whose domain filter sees only them.
 */
import { runProviderConformance } from '../conformance/provider-suite.ts';
import { usePkiServer } from '../support/server-fixture.ts';
import { makeProvider, startServer, zonesFilter } from './harness.ts';

const fixture = usePkiServer('Route53', startServer);
let serial = 0;

runProviderConformance('aws provider (Route53 test server over HTTPS)', () => {
  const { server, pki } = fixture;
  serial++;
  const zones = [`conf${serial}.example.com`, `conf${serial}.example.org`];
  for (const z of zones) server.addZone(z);
  const provider = makeProvider(server, pki, { domainFilter: zonesFilter(zones) });
  return Promise.resolve({ provider, zones, cleanup: () => Promise.resolve() });
});
