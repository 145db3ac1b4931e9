/**
 * The Cloud DNS test server, checked with the official SDK first
 * (@google-cloud/dns, with Application Default Credentials from the metadata
 * server): paged zone and record lists, an atomic change, Google's 409 for an
 * existing record set, a delete. What extdns relies on is then what Google's
 * own client gets from the server.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { createPki, type Pki } from '../support/pki.ts';
import { startGoogle, zoneSpecs, type GoogleFixture } from './harness.ts';

const run = promisify(execFile);
let pki: Pki;
let fixture: GoogleFixture;

before(async () => {
  pki = await createPki();
  fixture = await startGoogle(pki, zoneSpecs(['a.example', 'b.example', 'c.example', 'sdk.example']), 2);
});
after(async () => {
  await fixture.close();
  await pki.cleanup();
});

test('the official @google-cloud/dns SDK lists, changes and pages against the test server', async () => {
  const script = fileURLToPath(new URL('./sdk-client.ts', import.meta.url));
  const apiEndpoint = fixture.dns.url.replace('https://', '');
  const { stdout } = await run(process.execPath, ['--disable-warning=ExperimentalWarning', script, apiEndpoint, 'sdk-example'], {
    env: { PATH: process.env.PATH, HOME: '/nonexistent', NODE_EXTRA_CA_CERTS: pki.rootA.certFile, GCE_METADATA_HOST: fixture.metadata.host, NO_PROXY: '*' },
  });
  const seen = JSON.parse(stdout) as { project: string; zones: string[]; afterAdd: string[]; conflict: string; afterDelete: string[] };
  assert.equal(seen.project, 'extdns-test');
  assert.deepEqual(seen.zones, ['a-example', 'b-example', 'c-example', 'sdk-example'], 'all zones over two pages');
  assert.ok(seen.afterAdd.includes('sdk.sdk.example. A 60 192.0.2.7,192.0.2.8'), seen.afterAdd.join('; '));
  assert.equal(seen.afterAdd.length, 3, 'SOA, NS and the new A over two pages');
  assert.match(seen.conflict, /^409 .*already exists/);
  assert.deepEqual(seen.afterDelete.sort(), ['sdk.example. NS', 'sdk.example. SOA']);
  const zoneLists = fixture.dns.log.filter((l) => l.operation === 'managedZones');
  assert.equal(zoneLists.length, 2, 'the SDK followed nextPageToken once');
  assert.ok(fixture.metadata.log.some((p) => p.includes('/service-accounts/default/token')), 'the token came from the metadata server');
});
