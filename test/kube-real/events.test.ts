/**
 * Kubernetes Events end to end against a real kube-apiserver: the pipeline as
 * the CLI builds it (service source, in-memory provider, TXT registry,
 * --events-emit) syncs once with only the deployed ServiceAccount's token
 * (deploy/overlays/ha plus deploy/components/events), and the events.k8s.io/v1
 * Events it made, accepted by the real validation, are read back as admin.
 * Each test has its own namespace. Without the events component the real
 * RBAC refuses them: the sync still succeeds, every event is tried (the API
 * server's audit log counts the refused requests) and the refusal is logged once.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../src/kube/client.ts';
import { EVENTS } from '../../src/kube/event-sink.ts';
import { syncOnceWithEvents, type EventObject, type SyncOutcome } from '../support/events-sync.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, deployExtdns, EXTDNS_NAMESPACE } from '../support/real-kube/deployed.ts';
import { unlimitedClient } from '../support/real-kube/forwarding-client.ts';
import { loadBalancer } from '../support/real-kube/objects.ts';

const skip = realKubeUnavailable();
const clock = new FakeClock();

let kube: RealKube;
let admin: KubeClient;
/** Kubeconfigs: the deployed ServiceAccount (with the events component), and one bound only to the base ClusterRole. */
let withEvents: string;
let withoutEvents: string;
/** kube-apiserver's audit log of every request on events (the refused ones too: auditing runs before authorization). */
let auditDir: string | undefined;
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
  resources: [{group: "events.k8s.io", resources: ["events"]}, {group: "", resources: ["events"]}]
- level: None
`;

before(async () => {
  if (skip !== undefined) return;
  auditDir = await mkdtemp(join(tmpdir(), 'extdns-audit-'));
  await writeFile(join(auditDir, 'policy.yaml'), AUDIT_POLICY);
  kube = await startRealKube({ apiServerArgs: [`--audit-policy-file=${join(auditDir, 'policy.yaml')}`, `--audit-log-path=${join(auditDir, 'audit.log')}`] });
  withEvents = (await deployExtdns(kube, { events: true })).kubeconfig;
  await kube.kubectl(['create', 'serviceaccount', 'no-events', '-n', EXTDNS_NAMESPACE]);
  await kube.kubectl(['create', 'clusterrolebinding', 'no-events', '--clusterrole=extdns', `--serviceaccount=${EXTDNS_NAMESPACE}:no-events`]);
  withoutEvents = await kube.tokenKubeconfig(await kube.serviceAccountToken(EXTDNS_NAMESPACE, 'no-events'), 'no-events');
  admin = await unlimitedClient(kube.adminKubeconfig, clock);
});
after(async () => {
  await admin?.close();
  await kube?.close();
  if (auditDir !== undefined) await rm(auditDir, { recursive: true, force: true });
});

interface AuditEvent {
  readonly verb: string;
  readonly objectRef?: { readonly resource?: string; readonly namespace?: string };
  readonly responseStatus?: { readonly code?: number };
}

/** The event creations in `ns` the API server refused with 403, from its audit log. */
async function refusedEventCreates(ns: string): Promise<number> {
  const lines = (await readFile(join(auditDir ?? '', 'audit.log'), 'utf8')).split('\n').filter((l) => l !== '');
  return lines.map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => e.verb === 'create' && e.objectRef?.resource === 'events' && e.objectRef.namespace === ns && e.responseStatus?.code === 403).length;
}


/** A namespace with LoadBalancer Services `name → hostname annotation`, their status written as a controller would. */
async function namespaceWith(ns: string, services: Record<string, string>): Promise<void> {
  await kube.kubectl(['create', 'namespace', ns]);
  for (const [name, host] of Object.entries(services)) {
    const { object, status } = loadBalancer(name, host, '192.0.2.10');
    await createWithStatus(kube, { ...object, metadata: { ...object.metadata, namespace: ns } }, status);
  }
}

/** One sync through the pipeline the CLI builds, with the deployed ServiceAccount's token (or `kubeconfig`). */
function syncOnce(args: readonly string[], kubeconfig = withEvents): Promise<SyncOutcome> {
  return syncOnceWithEvents(kubeconfig, clock, args);
}

async function eventsIn(ns: string): Promise<EventObject[]> {
  return (await admin.list<EventObject>(EVENTS, { namespace: ns })).items;
}

async function uidOf(ns: string, name: string): Promise<string | undefined> {
  return (await admin.get({ group: '', version: 'v1', resource: 'services', namespaced: true }, ns, name)).metadata.uid;
}

/** No event was refused or failed: the server took every one it was sent. */
function assertNoEventWarning(logs: SyncOutcome['logs']): void {
  assert.deepEqual(logs.entries.filter((e) => e.level === 'warning' && /Kubernetes event/i.test(e.msg)), [], logs.text());
}

test('--events-emit=RecordReady: a successful sync makes one Normal event per record on the Service', { skip }, async () => {
  await namespaceWith('ev-ready', { web: 'web.example.org', api: 'api.example.org' });
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-ready']);
  assert.ok(run.ok, String(run.error));
  assertNoEventWarning(run.logs);
  const events = await eventsIn('ev-ready');
  assert.equal(events.length, 2, JSON.stringify(events));
  const web = events.find((e) => e.regarding?.['name'] === 'web');
  assert.ok(web);
  assert.equal(web.apiVersion, 'events.k8s.io/v1');
  // With the Service's UID, which `kubectl describe service web` selects its events by.
  const uid = await uidOf('ev-ready', 'web');
  assert.ok(uid);
  assert.deepEqual(web.regarding, { kind: 'Service', apiVersion: 'v1', namespace: 'ev-ready', name: 'web', uid });
  assert.equal(web.reason, 'RecordReady');
  assert.equal(web.action, 'Created');
  assert.equal(web.type, 'Normal');
  assert.equal(web.reportingController, 'external-dns');
  assert.equal(web.reportingInstance, 'external-dns/source/service');
  assert.equal(web.note, '(external-dns) record:web.example.org,owner:events-test,type:A,ttl:0,targets:192.0.2.10');
  assert.match(web.metadata.name, /^web\.[0-9a-f]+$/);
  // The real server keeps eventTime in microseconds.
  assert.equal(web.eventTime, new Date(clock.now()).toISOString().replace(/Z$/, '000Z'));
  // A minute later (a new process: the in-memory provider starts empty) the records are created again: two more events.
  await clock.advance(60_000);
  const again = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-ready']);
  assert.ok(again.ok);
  assert.equal((await eventsIn('ev-ready')).length, 4);
});

test('one object with several records changed in one sync gets one event per record', { skip }, async () => {
  await namespaceWith('ev-many', { web: 'a.example.org,b.example.org,c.example.org' });
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-many']);
  assert.ok(run.ok, String(run.error));
  const events = await eventsIn('ev-many');
  assert.deepEqual(events.map((e) => /record:([^,]+)/.exec(e.note ?? '')?.[1]).sort(), ['a.example.org', 'b.example.org', 'c.example.org']);
  assert.equal(new Set(events.map((e) => e.metadata.name)).size, 3);
  assert.ok(events.every((e) => e.regarding?.['name'] === 'web'));
});

test('only the reasons asked for are emitted', { skip }, async () => {
  await namespaceWith('ev-filter', { web: 'web.example.org' });
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordDeleted', '--namespace=ev-filter']);
  assert.ok(run.ok);
  assert.match(run.logs.text(), /Applied changes/);
  assert.deepEqual(await eventsIn('ev-filter'), []);
});

test('a change the provider refuses makes a RecordError Warning event', { skip }, async () => {
  // No zone holds the name: the in-memory provider refuses the batch.
  await namespaceWith('ev-error', { web: 'web.elsewhere.test' });
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--events-emit=RecordError', '--namespace=ev-error']);
  // The refused change is split off and reported (docs/safety.md rule 6); the sync itself goes on.
  assert.ok(run.ok, String(run.error));
  assertNoEventWarning(run.logs);
  assert.match(run.logs.text(), /the provider refused web\.elsewhere\.test A \(from service\/ev-error\/web\)/);
  const events = await eventsIn('ev-error');
  assert.equal(events.length, 1, JSON.stringify(events));
  const [e] = events;
  assert.equal(e?.reason, 'RecordError');
  assert.equal(e?.type, 'Warning');
  assert.equal(e?.action, 'Created');
  assert.match(e?.note ?? '', /^\(external-dns\) record:web\.elsewhere\.test,owner:events-test,type:A,/);
  assert.deepEqual(e?.regarding, { kind: 'Service', apiVersion: 'v1', namespace: 'ev-error', name: 'web', uid: await uidOf('ev-error', 'web') });
});

test('--dry-run emits no events: not even one is tried (a role without the events rule would have logged the refusal)', { skip }, async () => {
  await namespaceWith('ev-dry', { web: 'web.example.org' });
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--events-emit=RecordError', '--dry-run', '--namespace=ev-dry'],
    withoutEvents);
  assert.ok(run.ok, String(run.error));
  assert.match(run.logs.text(), /Dry run, would apply/);
  assertNoEventWarning(run.logs);
  assert.deepEqual(await eventsIn('ev-dry'), []);
  assert.equal(await refusedEventCreates('ev-dry'), 0, 'none was tried');
});

test('without RBAC to create events the sync still succeeds: every event is tried, the refusal is logged once as a warning', { skip }, async () => {
  await namespaceWith('ev-rbac', { web: 'web.example.org', api: 'api.example.org' });
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-rbac'], withoutEvents);
  assert.ok(run.ok, String(run.error));
  assert.match(run.logs.text(), /Applied changes/);
  assert.equal(await refusedEventCreates('ev-rbac'), 2, 'both events were tried and refused by the real RBAC');
  assert.deepEqual(await eventsIn('ev-rbac'), []);
  const warnings = run.logs.entries.filter((e) => e.level === 'warning' && /Kubernetes event/i.test(e.msg));
  assert.equal(warnings.length, 1, run.logs.text());
  assert.match(JSON.stringify(warnings[0]), /forbidden|403|RBAC/i);
});
