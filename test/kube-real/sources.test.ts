/**
 * extdns against a real kube-apiserver with only the deployed ServiceAccount's
 * token (deploy/overlays/ha applied with kubectl, a TokenRequest token): every
 * API source (service, ingress, crd, node, pod, gateway-httproute, -grpcroute,
 * -tlsroute, -tcproute, -udproute) in the --events loop, --once and `extdns
 * plan`. Any 403 in extdns's log fails the test: the deployed RBAC must be
 * enough. DNSEndpoint status.observedGeneration goes through the real status
 * subresource; --events-emit Events pass the real events.k8s.io validation.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, deployExtdns, patchStatus, type Deployed } from '../support/real-kube/deployed.ts';
import {
  annotatedRoute, dnsEndpoint, gateway, hostnameRoute, ingress, loadBalancer, node, pod, type WithStatus,
} from '../support/real-kube/objects.ts';
import { makeZoneDir, type ZoneDir } from '../support/zonefile.ts';
import { recordLine, startExtdns, zoneEventually, zoneText, ZONE, type ExtdnsRun } from '../kube/extdns-run.ts';

const SOURCES = ['service', 'ingress', 'crd', 'node', 'pod', 'gateway-httproute', 'gateway-grpcroute', 'gateway-tlsroute',
  'gateway-tcproute', 'gateway-udproute'].map((s) => `--source=${s}`);
const skip = realKubeUnavailable();

let kube: RealKube;
let deployed: Deployed;
const zoneDirs: ZoneDir[] = [];
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  deployed = await deployExtdns(kube, { gatewayApi: true, events: true });
  const objects: WithStatus[] = [
    loadBalancer('web', `web.${ZONE}`, '192.0.2.10'),
    ingress('shop', `shop.${ZONE}`, '192.0.2.20'),
    dnsEndpoint('extra', `extra.${ZONE}`, ['192.0.2.30']),
    node(`node1.${ZONE}`, '203.0.113.1'),
    pod('pod1', `pod1.${ZONE}`, '10.244.0.5'),
    gateway('gw', '192.0.2.40'),
    hostnameRoute('HTTPRoute', 'http1', `http1.${ZONE}`, 'gw'),
    hostnameRoute('GRPCRoute', 'grpc1', `grpc1.${ZONE}`, 'gw'),
    hostnameRoute('TLSRoute', 'tls1', `tls1.${ZONE}`, 'gw'),
    annotatedRoute('TCPRoute', 'tcp1', `tcp1.${ZONE}`, 'gw'),
    annotatedRoute('UDPRoute', 'udp1', `udp1.${ZONE}`, 'gw'),
  ];
  for (const o of objects) await createWithStatus(kube, o.object, o.status);
});
after(async () => {
  for (const z of zoneDirs) await z.cleanup();
  await kube?.close();
});

const EXPECTED = [
  recordLine('web', 'A', '192.0.2.10'), recordLine('shop', 'A', '192.0.2.20'), recordLine('extra', 'A', '192.0.2.30'),
  recordLine('node1', 'A', '203.0.113.1'), recordLine('pod1', 'A', '10.244.0.5'), recordLine('http1', 'A', '192.0.2.40'),
  recordLine('grpc1', 'A', '192.0.2.40'), recordLine('tls1', 'A', '192.0.2.40'), recordLine('tcp1', 'A', '192.0.2.40'),
  recordLine('udp1', 'A', '192.0.2.40'),
];

async function flags(): Promise<{ zones: ZoneDir; flags: string[] }> {
  const zones = await makeZoneDir([ZONE]);
  zoneDirs.push(zones);
  return {
    zones,
    flags: [
      `--kubeconfig=${deployed.kubeconfig}`, '--provider=zonefile', `--zonefile-dir=${zones.dir}`, `--domain-filter=${ZONE}`,
      '--txt-owner-id=e2e', '--policy=sync', '--metrics-address=127.0.0.1:0', '--kube-api-qps=1000', '--kube-api-burst=1000', ...SOURCES,
    ],
  };
}

/** No request of the run was refused: a 403 means the deployed RBAC is short of what extdns needs. */
function assertNeverForbidden(run: ExtdnsRun): void {
  assert.doesNotMatch(run.log.text(), /\b403\b|forbidden|EXTDNS_KUBE_FORBIDDEN/i, run.log.text());
}

function observedGeneration(name: string): Promise<string> {
  return kube.kubectl(['get', 'dnsendpoint', name, '-n', 'default', '-o', 'jsonpath={.metadata.generation}/{.status.observedGeneration}']);
}

test('the --events loop with the ServiceAccount token: every source publishes, changes and deletes arrive; no 403', { skip }, async () => {
  const { zones, flags: f } = await flags();
  const run = startExtdns([...f, '--events', '--interval=1h', '--min-event-sync-interval=0s']);
  try {
    await zoneEventually(zones, (t) => EXPECTED.every((r) => r.test(t)), 'a record from every source', 20_000);
    const text = await zoneText(zones);
    assert.match(text, /external-dns\/resource=crd\/default\/extra"$/m);
    assert.match(text, /external-dns\/resource=httproute\/default\/http1"$/m);
    // status.observedGeneration is written through the status subresource (the role may patch only that).
    await waitFor(async () => (await observedGeneration('extra')) === '1/1', 'observedGeneration 1');

    // Changes made as a controller would: a new load-balancer address (status), a DNSEndpoint edit (generation 2).
    await patchStatus(kube, loadBalancer('web', `web.${ZONE}`, '192.0.2.10').object, { loadBalancer: { ingress: [{ ip: '192.0.2.11' }] } });
    await kube.kubectl(['apply', '-f', '-'], JSON.stringify(dnsEndpoint('extra', `extra.${ZONE}`, ['192.0.2.31']).object));
    await kube.kubectl(['delete', 'ingress', 'shop', '-n', 'default']);
    await zoneEventually(zones, (t) => recordLine('web', 'A', '192.0.2.11').test(t) && recordLine('extra', 'A', '192.0.2.31').test(t)
      && !/^shop\s/m.test(t) && !/^a-shop\s/m.test(t), 'the changes after the events', 20_000);
    await waitFor(async () => (await observedGeneration('extra')) === '2/2', 'observedGeneration 2');
    assert.equal(run.clock.now(), new Date(Date.UTC(2026, 10, 28, 12, 0, 0)).getTime(), 'every sync was triggered by a watch event');
  } finally {
    assert.equal(await run.stop(), 0, run.log.text());
    // Put back what the test changed, for the tests after it (whichever step it failed at).
    await kube.kubectl(['delete', 'ingress', 'shop', '-n', 'default', '--ignore-not-found']);
    await createWithStatus(kube, ingress('shop', `shop.${ZONE}`, '192.0.2.20').object, ingress('shop', `shop.${ZONE}`, '192.0.2.20').status);
    await patchStatus(kube, loadBalancer('web', `web.${ZONE}`, '192.0.2.10').object, { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } });
    await kube.kubectl(['apply', '-f', '-'], JSON.stringify(dnsEndpoint('extra', `extra.${ZONE}`, ['192.0.2.30']).object));
  }
  assertNeverForbidden(run);
});

test('extdns plan and --once with the ServiceAccount token: plan lists every record (exit 2), --once writes them, plan then says No changes', { skip }, async () => {
  const { zones, flags: f } = await flags();
  const plan = startExtdns(['plan', ...f]);
  assert.equal(await plan.done, 2, plan.log.text());
  for (const name of ['web', 'shop', 'extra', 'node1', 'pod1', 'http1', 'grpc1', 'tls1', 'tcp1', 'udp1']) {
    assert.match(plan.stdout(), new RegExp(`create\\s+${name}\\.example\\.org\\s+A\\s`), name);
  }
  assertNeverForbidden(plan);
  assert.doesNotMatch(await zoneText(zones), /^web\s/m, 'plan writes nothing');
  const once = startExtdns([...f, '--once']);
  assert.equal(await once.done, 0, once.log.text());
  assertNeverForbidden(once);
  const text = await zoneText(zones);
  for (const r of EXPECTED) assert.match(text, r);
  const again = startExtdns(['plan', ...f]);
  assert.equal(await again.done, 0, again.log.text());
  assert.match(again.stdout(), /No changes/);
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface KubeEventJson {
  reason: string;
  type: string;
  note: string;
  action: string;
  reportingController: string;
  regarding: { kind: string; name: string; namespace?: string; uid?: string };
}

test('--events-emit=RecordReady: the Events pass the real events.k8s.io validation and name the objects by UID', { skip }, async () => {
  const { flags: f } = await flags();
  const once = startExtdns([...f, '--once', '--events-emit=RecordReady', '--events-emit=RecordDeleted']);
  assert.equal(await once.done, 0, once.log.text());
  assertNeverForbidden(once);
  assert.doesNotMatch(once.log.text(), /Could not create a Kubernetes event/, 'the server refused an Event');
  const items = (JSON.parse(await kube.kubectl(['get', 'events.events.k8s.io', '-A', '-o', 'json'])) as { items: KubeEventJson[] }).items
    .filter((e) => e.reportingController === 'external-dns' || e.note.startsWith('(external-dns)'));
  const ready = items.filter((e) => e.reason === 'RecordReady');
  const about = (kind: string, name: string) => ready.find((e) => e.regarding.kind === kind && e.regarding.name === name);
  for (const [kind, name] of [['Service', 'web'], ['Ingress', 'shop'], ['DNSEndpoint', 'extra'], ['Pod', 'pod1']] as const) {
    const e = about(kind, name);
    assert.ok(e !== undefined, `a RecordReady event about ${kind} ${name}; got ${JSON.stringify(items.map((x) => [x.reason, x.regarding.kind, x.regarding.name]))}`);
    assert.equal(e.type, 'Normal');
    assert.match(e.note, new RegExp(`^\\(external-dns\\) record:${name === 'pod1' ? 'pod1' : name}\\.example\\.org,owner:e2e,type:A,`));
    assert.match(e.regarding.uid ?? '', /^[0-9a-f-]{36}$/, 'the UID lets kubectl describe find it');
  }
});

test('extdns explain through every API source names each object and the exact place of the name in it', { skip }, async () => {
  const { flags: f } = await flags();
  const origins: [string, string, string][] = [
    ['web', 'service/default/web', 'annotation external-dns.alpha.kubernetes.io/hostname'],
    ['shop', 'ingress/default/shop', 'spec.rules[0].host'],
    ['extra', 'crd/default/extra', 'spec.endpoints[0]'],
    ['node1', 'node/node1.example.org', 'metadata.name'],
    ['pod1', 'pod/default/pod1', 'annotation external-dns.alpha.kubernetes.io/internal-hostname'],
    ['http1', 'httproute/default/http1', 'spec.hostnames[0]'],
    ['grpc1', 'grpcroute/default/grpc1', 'spec.hostnames[0]'],
    ['tls1', 'tlsroute/default/tls1', 'spec.hostnames[0]'],
    ['tcp1', 'tcproute/default/tcp1', 'annotation external-dns.alpha.kubernetes.io/hostname'],
    ['udp1', 'udproute/default/udp1', 'annotation external-dns.alpha.kubernetes.io/hostname'],
  ];
  for (const [name, object, rule] of origins) {
    const run = startExtdns(['explain', `${name}.${ZONE}`, ...f, '--output=json']);
    assert.equal(await run.done, 2, run.log.text());
    const e = JSON.parse(run.stdout()) as { sources: { object: string; rule: string }[] };
    assert.deepEqual(e.sources.map((s) => [s.object, s.rule]), [[object, rule]], name);
    assertNeverForbidden(run);
  }
});
