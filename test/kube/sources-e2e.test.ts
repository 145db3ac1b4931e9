/**
 * The Kubernetes sources end to end through the real CLI (issue 5): extdns
 * runs in-process against the test API server with --source=service,
 * ingress and crd, --events, and writes a zone file. Objects created,
 * changed and deleted in the API show up in the zone after the sync each
 * event triggers (--interval is an hour on a FakeClock that is not moved, so
 * only an event can cause a sync); --once and `extdns plan` wait for the
 * caches before they read.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubeFixture, type KubeFixture } from '../support/kube-api/setup.ts';
import type { ZoneDir } from '../support/zonefile.ts';
import { dnsEndpoint, ingress, lbService, pump, recordLine, startExtdns, zoneAndFlags, zoneEventually, zoneText, ZONE } from './extdns-run.ts';

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

test('the loop with --events: creates, changes and deletes in the API reach the zone file; DNSEndpoint status is written', async () => {
  const { zones, flags } = await setup();
  const run = startExtdns([...flags, ...SOURCES, '--events', '--interval=1h', '--min-event-sync-interval=0s']);
  try {
    await run.log.waitFor(/All records are already up to date/);

    fx.api.create(lbService('web', '192.0.2.10'));
    fx.api.create(ingress('shop', `shop.${ZONE}`, '192.0.2.20'));
    const created = fx.api.create(dnsEndpoint('extra', `extra.${ZONE}`, ['192.0.2.30']));
    await zoneEventually(zones, (t) => [
      recordLine('web', 'A', '192.0.2.10'), recordLine('shop', 'A', '192.0.2.20'), recordLine('extra', 'A', '192.0.2.30'),
    ].every((r) => r.test(t)), 'the three records after the events');
    const text = await zoneText(zones);
    assert.match(text, /^a-web\s+(?:\d+\s+)?IN TXT\s+"heritage=external-dns,external-dns\/owner=e2e,external-dns\/resource=service\/default\/web"$/m);
    assert.match(text, /external-dns\/resource=ingress\/default\/shop"$/m);
    assert.match(text, /external-dns\/resource=crd\/default\/extra"$/m);

    // The DNSEndpoint's status says which generation was read.
    const generation = created.metadata.generation;
    assert.equal(typeof generation, 'number');
    await zoneEventually(zones, () => statusOf(fx, 'extra') === generation, 'status.observedGeneration');

    // A change: the Service's load balancer moves; the DNSEndpoint gets a second target (a new generation).
    fx.api.update(lbService('web', '192.0.2.11'));
    const changed = fx.api.update(dnsEndpoint('extra', `extra.${ZONE}`, ['192.0.2.30', '192.0.2.31']));
    assert.ok((changed.metadata.generation ?? 0) > (generation ?? 0));
    await zoneEventually(zones, (t) => recordLine('web', 'A', '192.0.2.11').test(t) && !recordLine('web', 'A', '192.0.2.10').test(t)
      && recordLine('extra', 'A', '192.0.2.31').test(t), 'the changed records');
    await zoneEventually(zones, () => statusOf(fx, 'extra') === changed.metadata.generation, 'the new observedGeneration');

    // A delete: the Ingress goes, its record and TXT with it; the others stay.
    fx.api.delete('networking.k8s.io/v1', 'Ingress', 'default', 'shop');
    await zoneEventually(zones, (t) => !/^shop\s/m.test(t) && !/^a-shop\s/m.test(t), 'the Ingress record to go');
    const last = await zoneText(zones);
    assert.match(last, recordLine('web', 'A', '192.0.2.11'));
    assert.match(last, recordLine('extra', 'A', '192.0.2.30'));
    assert.equal(run.clock.now(), new Date(Date.UTC(2026, 10, 28, 12, 0, 0)).getTime(), 'no time passed: every sync was triggered by an event');
  } finally {
    assert.equal(await run.stop(), 0, run.log.text());
    clearApi();
  }
});

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

test('extdns plan reads the caches and shows the changes (exit 2), then nothing once synced (exit 0)', async () => {
  const { zones, flags } = await setup();
  fx.api.create(lbService('web', '192.0.2.10'));
  fx.api.create(ingress('shop', `shop.${ZONE}`, '192.0.2.20'));
  try {
    const plan = startExtdns(['plan', ...flags, ...SOURCES]);
    assert.equal(await plan.done, 2, plan.log.text());
    assert.match(plan.stdout(), /create\s+web\.example\.org\s+A\s+192\.0\.2\.10/);
    assert.match(plan.stdout(), /create\s+shop\.example\.org\s+A\s+192\.0\.2\.20/);
    assert.doesNotMatch(await zoneText(zones), /^web\s/m, 'plan writes nothing');

    const once = startExtdns([...flags, ...SOURCES, '--once']);
    assert.equal(await once.done, 0, once.log.text());
    const again = startExtdns(['plan', ...flags, ...SOURCES]);
    assert.equal(await again.done, 0, again.log.text());
    assert.match(again.stdout(), /No changes/);
  } finally {
    clearApi();
  }
});

function statusOf(f: KubeFixture, name: string): unknown {
  const obj = f.api.get(DNS_ENDPOINT_VERSION, 'DNSEndpoint', 'default', name);
  return (obj?.status as { observedGeneration?: unknown } | undefined)?.observedGeneration;
}
