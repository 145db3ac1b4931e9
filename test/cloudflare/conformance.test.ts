/**
 * The Cloudflare provider against the provider conformance suite, on the real
 * SDK talking to the Cloudflare test server over HTTPS. Each test gets two
 * fresh zones and a provider whose domain filter sees only them.
 */
import { after, before } from 'node:test';
import { runProviderConformance, type ConformanceTarget } from '../conformance/provider-suite.ts';
import { CLOUDFLARE_CAPABILITIES, type CloudflareProviderOptions } from '../../src/provider/cloudflare/provider.ts';
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

function setUp(options: Partial<CloudflareProviderOptions>): Promise<ConformanceTarget> {
  if (server === undefined || pki === undefined) throw new Error('the Cloudflare test server did not start');
  serial++;
  const zones = [`conf${serial}.example.com`, `conf${serial}.example.org`];
  for (const z of zones) server.addZone(z);
  const { provider } = makeProvider(server, pki, { domainFilter: zonesFilter(zones), ...options });
  const types = CLOUDFLARE_CAPABILITIES.recordTypes;
  if (types === 'any') throw new Error('Cloudflare lists its record types');
  return Promise.resolve({ provider, zones, supportedTypes: types, cleanup: () => Promise.resolve() });
}

runProviderConformance('cloudflare provider (Cloudflare test server over HTTPS)', () => setUp({}));

// The same contract with every optional feature on: custom hostnames, Regional Services, a record comment.
runProviderConformance('cloudflare provider with custom hostnames, regional hostnames and a record comment', () => setUp({
  customHostnames: { minTlsVersion: '1.2', certificateAuthority: 'none' }, regionKey: 'eu', recordComment: 'managed by extdns',
}));
