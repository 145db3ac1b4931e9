/** Shared set-up for the Google tests: one PKI, the Cloud DNS test server and metadata server, providers on the real auth library. */
import { Agent } from 'undici';
import { createDomainFilter, MATCH_ALL, type DomainFilter } from '../../src/endpoint/domain-filter.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { createGoogleApi, type GoogleApi } from '../../src/provider/google/api.ts';
import { googleCredentials } from '../../src/provider/google/auth.ts';
import { createGoogleProvider, type GoogleProviderOptions } from '../../src/provider/google/provider.ts';
import type { ProviderStats } from '../../src/provider/stats.ts';
import type { Clock } from '../../src/util/clock.ts';
import { InstantClock } from '../aws/harness.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { metadataIssuer, startGoogleDnsServer, startMetadataServer, type GoogleDnsServer, type GoogleZoneSpec, type MetadataServer } from '../support/google-dns-server.ts';
import type { Pki } from '../support/pki.ts';

export const PROJECT = 'extdns-test';

export interface GoogleFixture {
  dns: GoogleDnsServer;
  metadata: MetadataServer;
  close(): Promise<void>;
}

/** The DNS test server and a metadata server whose tokens it accepts; GCE_METADATA_HOST points at the latter (gcp-metadata reads it). */
export async function startGoogle(pki: Pki, zones: GoogleZoneSpec[], pageSize?: number): Promise<GoogleFixture> {
  const dns = await startGoogleDnsServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, project: PROJECT, zones, ...(pageSize === undefined ? {} : { pageSize }) });
  const metadata = await startMetadataServer({ project: PROJECT, issue: metadataIssuer(dns) });
  process.env.GCE_METADATA_HOST = metadata.host;
  return { dns, metadata, close: async () => { await dns.close(); await metadata.close(); } };
}

export function zoneSpecs(names: readonly string[]): GoogleZoneSpec[] {
  return names.map((n) => ({ name: n.replace(/\./g, '-'), dnsName: `${n}.` }));
}

export function zonesFilter(zones: readonly string[]): DomainFilter {
  return createDomainFilter({ include: zones });
}

/** The API client on the real auth library (metadata-server credentials), trusting the test CA. */
export async function makeApi(fixture: GoogleFixture, pki: Pki, clock: Clock = new InstantClock()): Promise<GoogleApi> {
  const dispatcher = new Agent({ connect: { ca: pki.rootA.cert } });
  const credentials = await googleCredentials({ dispatcher, projectId: PROJECT });
  return createGoogleApi({ base: fixture.dns.apiBase, project: PROJECT, token: () => credentials.token(), dispatcher, logger: captureLogger().logger, clock });
}

export async function makeProvider(fixture: GoogleFixture, pki: Pki, options: Partial<GoogleProviderOptions> = {}, clock: Clock = new InstantClock()): Promise<Provider & ProviderStats> {
  return createGoogleProvider({
    domainFilter: MATCH_ALL, zoneIdFilter: [], zoneVisibility: '', batchChangeSize: 1000, batchChangeIntervalMs: 1000, ...options,
  }, { api: await makeApi(fixture, pki, clock), logger: captureLogger().logger, clock });
}

export { sync } from '../aws/harness.ts';
