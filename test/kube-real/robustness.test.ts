/**
 * The controller against a real kube-apiserver where the input, not the
 * server, is at fault (issue 5's cases the real server can make): a 403 for
 * an RBAC rule the ServiceAccount lacks, and a Service with a bad annotation.
 * In each case the controller keeps running, says what happened in one clear
 * log line, and deletes no record by mistake: each test starts from a zone
 * that already holds records extdns owns, so a sync that wrongly saw no
 * objects would delete them. The faults only the test API server makes on
 * demand (a dropped watch, a 410 at a chosen moment, an API down at start or
 * mid-run) stay in test/kube/robustness.test.ts.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, deployExtdns, EXTDNS_NAMESPACE, type Deployed } from '../support/real-kube/deployed.ts';
import { ingress, loadBalancer } from '../support/real-kube/objects.ts';
import { makeZoneDir, type ZoneDir } from '../support/zonefile.ts';
import { pump, recordLine, startExtdns, zoneEventually, zoneText, ZONE, type ExtdnsRun } from '../kube/extdns-run.ts';

const LOOP = ['--source=service', '--source=ingress', '--events', '--interval=1m', '--min-event-sync-interval=0s'];
const SYNCED = /msg="(Applied changes|All records are already up to date)/;
const skip = realKubeUnavailable();

let kube: RealKube;
let deployed: Deployed;
/** A ServiceAccount allowed everything extdns needs but listing and watching Ingresses. */
let noIngress: string;
const zoneDirs: ZoneDir[] = [];
let running: ExtdnsRun | undefined;

before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  deployed = await deployExtdns(kube);
  await kube.kubectl(['create', 'serviceaccount', 'no-ingress', '-n', EXTDNS_NAMESPACE]);
  await kube.kubectl(['create', 'clusterrole', 'no-ingress-read', '--verb=get,list,watch', '--resource=services,pods,nodes,endpointslices.discovery.k8s.io']);
  await kube.kubectl(['create', 'clusterrole', 'no-ingress-get', '--verb=get', '--resource=ingresses.networking.k8s.io']);
  for (const role of ['no-ingress-read', 'no-ingress-get']) {
    await kube.kubectl(['create', 'clusterrolebinding', role, `--clusterrole=${role}`, `--serviceaccount=${EXTDNS_NAMESPACE}:no-ingress`]);
  }
  noIngress = await kube.tokenKubeconfig(await kube.serviceAccountToken(EXTDNS_NAMESPACE, 'no-ingress'), 'no-ingress');
  for (const o of [loadBalancer('web', `web.${ZONE}`, '192.0.2.10'), ingress('shop', `shop.${ZONE}`, '192.0.2.20')]) {
    await createWithStatus(kube, o.object, o.status);
  }
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
after(async () => {
  for (const z of zoneDirs) await z.cleanup();
  await kube?.close();
});

/** A zone already synced (by a --once run with the deployed token) from the Service `web` and the Ingress `shop`. */
async function syncedZone(): Promise<{ zones: ZoneDir; flags: string[]; synced: string }> {
  const zones = await makeZoneDir([ZONE]);
  zoneDirs.push(zones);
  const flags = ['--provider=zonefile', `--zonefile-dir=${zones.dir}`, `--domain-filter=${ZONE}`, '--txt-owner-id=e2e', '--policy=sync',
    '--metrics-address=127.0.0.1:0', '--kube-api-qps=1000', '--kube-api-burst=1000'];
  const once = startExtdns([...flags, `--kubeconfig=${deployed.kubeconfig}`, '--source=service', '--source=ingress', '--once']);
  assert.equal(await once.done, 0, once.log.text());
  const synced = await zoneText(zones);
  assert.match(synced, recordLine('web', 'A', '192.0.2.10'));
  assert.match(synced, recordLine('shop', 'A', '192.0.2.20'));
  return { zones, flags, synced };
}

/** Neither the Service's nor the Ingress's records have gone. */
async function assertKept(zones: ZoneDir): Promise<void> {
  const text = await zoneText(zones);
  for (const name of ['web', 'shop']) {
    assert.match(text, new RegExp(`^${name}\\s.*IN A`, 'm'), `${name}'s record was deleted:\n${text}`);
    assert.match(text, new RegExp(`^a-${name}\\s.*IN TXT`, 'm'), `${name}'s TXT record was deleted:\n${text}`);
  }
}

test('a real 403 for a missing RBAC rule: the log names the rule to add, and nothing is deleted', { skip }, async () => {
  const { zones, flags, synced } = await syncedZone();
  const run = startExtdns([...flags, `--kubeconfig=${noIngress}`, ...LOOP]);
  running = run;
  await pump(run, () => run.log.lines(/msg="Waiting for the Kubernetes caches"/).length > 0, 'the wait for the caches to be logged');
  const forbidden = run.log.lines(/EXTDNS_KUBE_FORBIDDEN/);
  assert.ok(forbidden.length > 0, run.log.text());
  assert.match(forbidden[0] ?? '', /cannot list resource \\"ingresses\\" in API group \\"networking\.k8s\.io\\"/);
  assert.match(forbidden[0] ?? '', /apiGroups: \[\\"networking\.k8s\.io\\"\], resources: \[\\"ingresses\\"\], verbs: \[\\"list\\"\]/);
  assert.match(run.log.lines(/msg="Waiting for the Kubernetes caches"/)[0] ?? '', /ingresses\.networking\.k8s\.io/);
  assert.equal(run.log.lines(SYNCED).length, 0);
  assert.equal(await zoneText(zones), synced);
  await assertKept(zones);
});

test('a Service with a bad annotation: one warning however many syncs, the other objects\' records still published', { skip }, async () => {
  const { zones, flags } = await syncedZone();
  const bad = loadBalancer('bad', `bad.${ZONE}`, '192.0.2.13', { 'external-dns.kubernetes.io/target': 'bad_target!' });
  await createWithStatus(kube, bad.object, bad.status);
  const run = startExtdns([...flags, `--kubeconfig=${deployed.kubeconfig}`, ...LOOP]);
  running = run;
  await run.log.waitFor(SYNCED);
  const api = loadBalancer('api', `api.${ZONE}`, '192.0.2.11');
  await createWithStatus(kube, api.object, api.status);
  await zoneEventually(zones, (t) => recordLine('api', 'A', '192.0.2.11').test(t), 'the good Service created later', 30_000);
  // Two more periodic syncs.
  const syncs = run.log.lines(SYNCED).length;
  await pump(run, () => run.log.lines(SYNCED).length >= syncs + 2, 'two more syncs');
  const warnings = run.log.lines(/neither an IP address nor a host name/);
  assert.equal(warnings.length, 1, run.log.text());
  assert.match(warnings[0] ?? '', /level=warning/);
  assert.match(warnings[0] ?? '', /service\/default\/bad/);
  const text = await zoneText(zones);
  assert.doesNotMatch(text, /^bad\s/m);
  await assertKept(zones);
  assert.deepEqual(run.log.lines(/msg="Applied changes/).filter((l) => !/deletes=0/.test(l)), []);
});
