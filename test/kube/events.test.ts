/**
 * Kubernetes Events end to end: the pipeline as the CLI builds it (service
 * source on the test API server, in-memory provider, TXT registry,
 * --events-emit) syncs once, and the events.k8s.io/v1 Events it made are read
 * back through the API.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPipeline } from '../../src/cli/build.ts';
import { parseConfig } from '../../src/config/parse.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { EVENTS } from '../../src/kube/event-sink.ts';
import type { ApiObject } from '../../src/kube/types.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
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

interface EventObject extends ApiObject {
  reason?: string;
  action?: string;
  note?: string;
  type?: string;
  reportingController?: string;
  reportingInstance?: string;
  eventTime?: string;
  regarding?: Record<string, unknown>;
}

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

/** One sync through the pipeline the CLI builds; resolves after the events were sent. */
async function syncOnce(args: readonly string[], token = 'admin-token'): Promise<{ ok: boolean; error: unknown; logs: ReturnType<typeof captureLogger> }> {
  const kubeconfig = await fx.api.kubeconfig(token, fx.dir, `events-${token}`);
  const config = parseConfig(['--source=service', '--provider=inmemory', '--policy=sync', '--txt-owner-id=events-test', `--kubeconfig=${kubeconfig}`,
    // The client's rate limiter runs on the fake clock, which a sync does not move.
    '--kube-api-qps=1000', '--kube-api-burst=1000', ...args], {}, {
    sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES,
  });
  const logs = captureLogger();
  const pipeline = await buildPipeline(config, { logger: logs.logger, clock, random: seededRandom(4), env: {} });
  const stop = new AbortController();
  let error: unknown;
  try {
    await pipeline.start(stop.signal, { loop: false, cacheTimeoutMs: 5_000 });
    await pipeline.controller.runOnce(stop.signal);
  } catch (err) {
    error = err;
  } finally {
    stop.abort();
    // close() waits for the events queued by the sync.
    await pipeline.close();
  }
  return { ok: error === undefined, error, logs };
}

async function eventsIn(ns: string): Promise<EventObject[]> {
  return (await admin.list<EventObject>(EVENTS, { namespace: ns })).items;
}

test('--events-emit=RecordReady: a successful sync makes one Normal event per record on the Service', async () => {
  namespace('ev-ready');
  fx.api.create(lbService('web', 'web.example.org', 'ev-ready'));
  fx.api.create(lbService('api', 'api.example.org', 'ev-ready'));
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-ready']);
  assert.ok(run.ok, String(run.error));
  const events = await eventsIn('ev-ready');
  assert.equal(events.length, 2, JSON.stringify(events));
  const web = events.find((e) => e.regarding?.['name'] === 'web');
  assert.ok(web);
  assert.equal(web.apiVersion, 'events.k8s.io/v1');
  // With the Service's UID, which `kubectl describe service web` selects its events by.
  const uid = fx.api.get('v1', 'Service', 'ev-ready', 'web')?.metadata.uid;
  assert.ok(uid);
  assert.deepEqual(web.regarding, { kind: 'Service', apiVersion: 'v1', namespace: 'ev-ready', name: 'web', uid });
  assert.equal(web.reason, 'RecordReady');
  assert.equal(web.action, 'Created');
  assert.equal(web.type, 'Normal');
  assert.equal(web.reportingController, 'external-dns');
  assert.equal(web.reportingInstance, 'external-dns/source/service');
  assert.equal(web.note, '(external-dns) record:web.example.org,owner:events-test,type:A,ttl:0,targets:192.0.2.10');
  assert.match(web.metadata.name, /^web\.[0-9a-f]+$/);
  assert.equal(web.eventTime, new Date(clock.now()).toISOString().replace(/Z$/, '000Z'));
  // A minute later (a new process: the in-memory provider starts empty) the records are created again: two more events.
  await clock.advance(60_000);
  const again = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-ready']);
  assert.ok(again.ok);
  assert.equal((await eventsIn('ev-ready')).length, 4);
});

test('one object with several records changed in one sync gets one event per record', async () => {
  namespace('ev-many');
  const svc = lbService('web', 'a.example.org,b.example.org,c.example.org', 'ev-many');
  fx.api.create(svc);
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--namespace=ev-many']);
  assert.ok(run.ok, String(run.error));
  const events = await eventsIn('ev-many');
  assert.deepEqual(events.map((e) => /record:([^,]+)/.exec(e.note ?? '')?.[1]).sort(), ['a.example.org', 'b.example.org', 'c.example.org']);
  assert.equal(new Set(events.map((e) => e.metadata.name)).size, 3);
  assert.ok(events.every((e) => e.regarding?.['name'] === 'web'));
});

test('only the reasons asked for are emitted', async () => {
  namespace('ev-filter');
  fx.api.create(lbService('web', 'web.example.org', 'ev-filter'));
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordDeleted', '--namespace=ev-filter']);
  assert.ok(run.ok);
  assert.deepEqual(await eventsIn('ev-filter'), []);
});

test('a change the provider refuses makes a RecordError Warning event', async () => {
  namespace('ev-error');
  // No zone holds the name: the in-memory provider refuses the batch.
  fx.api.create(lbService('web', 'web.elsewhere.test', 'ev-error'));
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--events-emit=RecordError', '--namespace=ev-error']);
  // The refused change is split off and reported (docs/safety.md rule 6); the sync itself goes on.
  assert.ok(run.ok, String(run.error));
  assert.match(run.logs.text(), /the provider refused web\.elsewhere\.test A \(from service\/ev-error\/web\)/);
  const events = await eventsIn('ev-error');
  assert.equal(events.length, 1, JSON.stringify(events));
  const [e] = events;
  assert.equal(e?.reason, 'RecordError');
  assert.equal(e?.type, 'Warning');
  assert.equal(e?.action, 'Created');
  assert.match(e?.note ?? '', /^\(external-dns\) record:web\.elsewhere\.test,owner:events-test,type:A,/);
  assert.deepEqual(e?.regarding, { kind: 'Service', apiVersion: 'v1', namespace: 'ev-error', name: 'web', uid: fx.api.get('v1', 'Service', 'ev-error', 'web')?.metadata.uid });
});

test('--dry-run emits no events', async () => {
  namespace('ev-dry');
  fx.api.create(lbService('web', 'web.example.org', 'ev-dry'));
  const run = await syncOnce(['--inmemory-zone=example.org', '--events-emit=RecordReady', '--events-emit=RecordError', '--dry-run', '--namespace=ev-dry']);
  assert.ok(run.ok);
  assert.match(run.logs.text(), /Dry run, would apply/);
  assert.deepEqual(await eventsIn('ev-dry'), []);
  assert.ok(!fx.api.requests.some((r) => r.method === 'POST' && r.path.includes('/namespaces/ev-dry/events')), 'no event was even attempted');
});

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
