/**
 * The Route53 provider against the provider conformance suite, on the real
 * AWS SDK talking to the Route53 test server over HTTPS. Each test gets two
 * fresh hosted zones and a provider whose domain filter sees only them.
 */
import { after, before } from 'node:test';
import { runProviderConformance } from '../conformance/provider-suite.ts';
import { createPki, type Pki } from '../support/pki.ts';
import type { Route53Server } from '../support/route53-server.ts';
import { makeProvider, startServer, zonesFilter } from './harness.ts';

let pki: Pki | undefined;
let server: Route53Server | undefined;
let serial = 0;

before(async () => {
  pki = await createPki();
  server = await startServer(pki);
});
after(async () => {
  await server?.stop();
  await pki?.cleanup();
});

runProviderConformance('aws provider (Route53 test server over HTTPS)', () => {
  if (server === undefined || pki === undefined) throw new Error('the Route53 test server did not start');
  serial++;
  const zones = [`conf${serial}.example.com`, `conf${serial}.example.org`];
  for (const z of zones) server.addZone(z);
  const provider = makeProvider(server, pki, { domainFilter: zonesFilter(zones) });
  return Promise.resolve({ provider, zones, cleanup: () => Promise.resolve() });
});
