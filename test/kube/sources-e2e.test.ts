/**
 * The Kubernetes sources end to end through the real CLI, for the fault only
 * the test API server makes on demand: an API that answers 503 when --once
 * starts. The --events loop, --once and `extdns plan` against a working API
 * run on the real kube-apiserver with the deployed ServiceAccount's token:
 * test/kube-real/sources.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubeFixture, type KubeFixture } from '../support/kube-api/setup.ts';
import type { ZoneDir } from '../support/zonefile.ts';
import { dnsEndpoint, lbService, pump, recordLine, startExtdns, zoneAndFlags, zoneText, ZONE } from './extdns-run.ts';

const SOURCES = ['--source=service', '--source=ingress', '--source=crd'];
const DNS_ENDPOINT_VERSION = 'externaldns.k8s.io/v1alpha1';

let fx: KubeFixture;
const cleanups: (() => Promise<unknown>)[] = [];
before(async () => {
  fx = await kubeFixture();
});
after(async () => {
  for (const c of cleanups) await c();
  await fx.close();
});

/** Deletes what a test created, so the next test starts from an empty API. */
function clearApi(): void {
  fx.api.delete('v1', 'Service', 'default', 'web');
  fx.api.delete('networking.k8s.io/v1', 'Ingress', 'default', 'shop');
  fx.api.delete(DNS_ENDPOINT_VERSION, 'DNSEndpoint', 'default', 'extra');
}

async function setup(): Promise<{ zones: ZoneDir; flags: string[] }> {
  const z = await zoneAndFlags(fx);
  cleanups.push(z.zones.cleanup);
  return z;
}

test('--once waits for the caches (the API is unavailable at start), then syncs what the API holds and exits 0', async () => {
  const { zones, flags } = await setup();
  fx.api.create(lbService('web', '192.0.2.10'));
  fx.api.create(dnsEndpoint('extra', `extra.${ZONE}`, ['192.0.2.30']));
  await fx.api.setDown('unavailable');
  let exited = false;
  const run = startExtdns([...flags, ...SOURCES, '--once']);
  void run.done.then(() => { exited = true; });
  try {
    // Several retries against a 503: the run neither exits nor writes.
    await pump(run, () => fx.api.requests.filter((r) => r.path.endsWith('/services')).length >= 3, 'three tries to list services');
    assert.equal(exited, false, run.log.text());
    assert.doesNotMatch(await zoneText(zones), /^web\s/m);
    await fx.api.setDown(false);
    await pump(run, () => exited, 'the run to exit');
    assert.equal(await run.done, 0, run.log.text());
    const text = await zoneText(zones);
    assert.match(text, recordLine('web', 'A', '192.0.2.10'));
    assert.match(text, recordLine('extra', 'A', '192.0.2.30'));
  } finally {
    await fx.api.setDown(false);
    await run.stop();
    clearApi();
  }
});
