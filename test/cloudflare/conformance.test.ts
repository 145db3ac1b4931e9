/**
 * The Cloudflare provider against the provider conformance suite, on the real
 * SDK talking to the Cloudflare test server over HTTPS. Each test gets two
 * fresh zones and a provider whose domain filter sees only them.
 */
import { after, before } from 'node:test';
import { runProviderConformance } from '../conformance/provider-suite.ts';
import { CLOUDFLARE_CAPABILITIES } from '../../src/provider/cloudflare/provider.ts';
import type { CloudflareServer } from '../support/cloudflare-server.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { makeProvider, startServer, zonesFilter } from './harness.ts';

let pki: Pki | undefined;
let server: CloudflareServer | undefined;
let serial = 0;

before(async () => {
  pki = await createPki();
  server = await startServer(pki);
});
after(async () => {
  await server?.stop();
  await pki?.cleanup();
});

runProviderConformance('cloudflare provider (Cloudflare test server over HTTPS)', () => {
  if (server === undefined || pki === undefined) throw new Error('the Cloudflare test server did not start');
  serial++;
  const zones = [`conf${serial}.example.com`, `conf${serial}.example.org`];
  for (const z of zones) server.addZone(z);
  const { provider } = makeProvider(server, pki, { domainFilter: zonesFilter(zones) });
  const types = CLOUDFLARE_CAPABILITIES.recordTypes;
  if (types === 'any') throw new Error('Cloudflare lists its record types');
  return Promise.resolve({ provider, zones, supportedTypes: types, cleanup: () => Promise.resolve() });
});
