/**
 * The Cloudflare provider against the provider conformance suite, on the real
 * SDK talking to the Cloudflare test server over HTTPS. Each test gets two
 * fresh zones and a provider whose domain filter sees only them.
 */
import { runProviderConformance, type ConformanceTarget } from '../conformance/provider-suite.ts';
import { CLOUDFLARE_CAPABILITIES, type CloudflareProviderOptions } from '../../src/provider/cloudflare/provider.ts';
import { makeProvider, useServer, zonesFilter } from './harness.ts';

const fixture = useServer();
let serial = 0;

function setUp(options: Partial<CloudflareProviderOptions>): Promise<ConformanceTarget> {
  serial++;
  const zones = [`conf${serial}.example.com`, `conf${serial}.example.org`];
  for (const z of zones) fixture.server.addZone(z);
  const { provider } = makeProvider(fixture.server, fixture.pki, { domainFilter: zonesFilter(zones), ...options });
  const types = CLOUDFLARE_CAPABILITIES.recordTypes;
  if (types === 'any') throw new Error('Cloudflare lists its record types');
  return Promise.resolve({ provider, zones, supportedTypes: types, cleanup: () => Promise.resolve() });
}

runProviderConformance('cloudflare provider (Cloudflare test server over HTTPS)', () => setUp({}));

// The same contract with every optional feature on: custom hostnames, Regional Services, a record comment.
runProviderConformance('cloudflare provider with custom hostnames, regional hostnames and a record comment', () => setUp({
  customHostnames: { minTlsVersion: '1.2', certificateAuthority: 'none' }, regionKey: 'eu', recordComment: 'managed by extdns',
}));
