/**
 * The Google Cloud DNS provider against the provider conformance suite, on
 * the real auth library (metadata-server credentials) and the Cloud DNS test
 * server over HTTPS with a page size of 7, so every zone read is paged.
 */
import { after, before } from 'node:test';
import { runProviderConformance } from '../conformance/provider-suite.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { makeProvider, startGoogle, zoneSpecs, zonesFilter, type GoogleFixture } from './harness.ts';

let pki: Pki | undefined;
let fixture: GoogleFixture | undefined;
const ZONE_COUNT = 40;

before(async () => {
  pki = await createPki();
  const names = Array.from({ length: ZONE_COUNT }, (_, i) => [`conf${i}.example.com`, `conf${i}.example.org`]).flat();
  fixture = await startGoogle(pki, zoneSpecs(names), 7);
});
after(async () => {
  await fixture?.close();
  await pki?.cleanup();
});

let serial = 0;
runProviderConformance('google provider (Cloud DNS test server over HTTPS)', async () => {
  if (fixture === undefined || pki === undefined) throw new Error('the Cloud DNS test server did not start');
  if (serial >= ZONE_COUNT) throw new Error('the conformance suite ran more tests than the fixture has zones');
  const zones = [`conf${serial}.example.com`, `conf${serial}.example.org`];
  serial++;
  const provider = await makeProvider(fixture, pki, { domainFilter: zonesFilter(zones) });
  return { provider, zones, cleanup: () => Promise.resolve() };
});
