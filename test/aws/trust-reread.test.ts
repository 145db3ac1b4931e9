/**
 * A Route53 call that races a CA rotation: the server already presents a
 * certificate from the new CA, the mounted CA file already holds the new CA,
 * but the trust store has not reloaded yet (no watcher here, so only the
 * re-read after a TLS failure can see it). The call must land after one
 * re-read; when the files did not change, the TLS error stands.
 */
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createAwsProvider, createRoute53Client } from '../../src/provider/aws/index.ts';
import { createTrustStore, type TrustStore } from '../../src/tls/store.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { createPki, type Pki } from '../support/pki.ts';
import type { Route53Server } from '../support/route53-server.ts';
import { defaultOptions, InstantClock, startServer } from './harness.ts';

let pki: Pki;
let server: Route53Server;
let store: TrustStore;
let caFile: string;

before(async () => {
  pki = await createPki();
  server = await startServer(pki); // presents a chain under root A
  caFile = join(pki.dir, 'mounted-ca.pem');
  await copyFile(pki.rootB.certFile, caFile); // the Secret still holds the old CA
});

after(async () => {
  await store?.close();
  await server?.stop();
  await pki?.cleanup();
});

test('a TLS failure re-reads the CA files; when they changed, the call is retried once and lands', async () => {
  const { logger, text } = captureLogger();
  store = createTrustStore({ name: 'aws', mode: 'replace', caFiles: [caFile], env: {} },
    { clock: new FakeClock(Date.now()), logger, watch: false, systemCertificates: () => [] });
  const client = createRoute53Client({
    httpsAgent: store.httpsAgent(),
    overrides: { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } },
  });
  const provider = createAwsProvider(defaultOptions({ apiRetries: 0 }), {
    logger, clock: new InstantClock(), random: seededRandom(3), clients: [{ profile: '', client }], onTlsFailure: () => store.reload('tls-failure'),
  });
  server.addZone('rotated.example');
  const signal = new AbortController().signal;

  // The files did not change: the TLS error stands, with its own code.
  await assert.rejects(provider.records(signal), { code: 'EXTDNS_AWS_TLS' });
  assert.deepEqual(store.reloadCounts(), { success: 0, failure: 0 });

  // The Secret is updated (the kubelet wrote the new CA); the next call re-reads it and lands.
  await copyFile(pki.rootA.certFile, caFile);
  assert.deepEqual((await provider.records(signal)).map((e) => `${e.dnsName} ${e.recordType}`), ['rotated.example NS']);
  assert.deepEqual(store.reloadCounts(), { success: 1, failure: 0 });
  assert.match(text(), /retrying once with the new trust/);
});
