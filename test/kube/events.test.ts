/**
 * Kubernetes Events through the test API server, for what only its request
 * log shows: a role without the events rule has every event of the sync
 * tried (and refused), yet logged once. Everything else about --events-emit
 * (the Events' fields, one per record, reasons, RecordError, --dry-run, the
 * refusal by the real RBAC) runs against the real kube-apiserver with the
 * deployed ServiceAccount's token: test/kube-real/events.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../src/kube/client.ts';
import { EVENTS } from '../../src/kube/event-sink.ts';
import type { ApiObject } from '../../src/kube/types.ts';
import { syncOnceWithEvents, type EventObject, type SyncOutcome } from '../support/events-sync.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { ALLOW_ALL } from '../support/kube-api-server.ts';
import { kubeFixture, service, type KubeFixture } from '../support/kube-api/setup.ts';

let fx: KubeFixture;
let admin: KubeClient;
const clock = new FakeClock();

/** May read everything but create no events (the RBAC of a v0.22 chart without the events rule). */
const READ_ONLY = [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }];

before(async () => {
  fx = await kubeFixture({
    users: [
      { name: 'admin', tokens: ['admin-token'], rules: ALLOW_ALL },
      { name: 'system:serviceaccount:external-dns:reader', tokens: ['reader-token'], rules: READ_ONLY },
    ],
  });
  admin = await fx.client({ clock });
});
after(() => fx.close());


/** A LoadBalancer Service with a hostname annotation, in namespace `ns`. */
function lbService(name: string, hostname: string, ns: string): ApiObject {
  return service(name, {
    metadata: { name, namespace: ns, annotations: { 'external-dns.alpha.kubernetes.io/hostname': hostname } },
    spec: { type: 'LoadBalancer' },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
  }, ns);
}

function namespace(name: string): void {
  fx.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** One sync through the pipeline the CLI builds, as the user of `token`. */
async function syncOnce(args: readonly string[], token = 'admin-token'): Promise<SyncOutcome> {
  return syncOnceWithEvents(await fx.api.kubeconfig(token, fx.dir, `events-${token}`), clock, args);
}

async function eventsIn(ns: string): Promise<EventObject[]> {
  return (await admin.list<EventObject>(EVENTS, { namespace: ns })).items;
}

test('without RBAC to create events the sync still succeeds; the refusal is logged once as a warning', async () => {
  namespace('ev-rbac');
  fx.api.create(lbService('web', 'web.example.org', 'ev-rbac'));
  fx.api.create(lbService('api', 'api.example.org', 'ev-rbac'));
  const before = fx.api.requests.length;
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-rbac'], 'reader-token');
  assert.ok(run.ok, String(run.error));
  assert.match(run.logs.text(), /Applied changes/);
  const posts = fx.api.requests.slice(before).filter((r) => r.method === 'POST' && r.path.includes('/events'));
  assert.equal(posts.length, 2, 'both events were tried');
  assert.deepEqual(await eventsIn('ev-rbac'), []);
  const warnings = run.logs.entries.filter((e) => e.level === 'warning' && /Kubernetes event/i.test(e.msg));
  assert.equal(warnings.length, 1, run.logs.text());
  assert.match(JSON.stringify(warnings[0]), /forbidden|403|RBAC/i);
});
