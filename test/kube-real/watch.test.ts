/**
 * Watches against a real kube-apiserver and etcd. The API server runs with
 * --watch-cache=false, so watches read etcd itself and its compaction shows
 * as a real 410 Gone. extdns reaches the server through a TCP relay that the
 * test cuts, so a watch ends and resumes from its last resourceVersion.
 * - etcd compacted while extdns is cut off: the watch restart gets 410, the
 *   informer lists again and the missed changes arrive.
 * - The UTF-8 of watch events (non-ASCII TXT values in an event large enough
 *   to span many network reads) reaches the zone unchanged, and a watch read
 *   with src/kube/client.ts returns the object byte for byte.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createKubeClient } from '../../src/kube/client.ts';
import { resolveKubeConnection } from '../../src/kube/kubeconfig.ts';
import type { ApiObject } from '../../src/kube/types.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, deployExtdns, type Deployed } from '../support/real-kube/deployed.ts';
import { labelled, pumpZone, startRun } from '../support/real-kube/extdns-loop.ts';
import { dnsEndpoint } from '../support/real-kube/objects.ts';
import { recordLine, ZONE } from '../kube/extdns-run.ts';

const skip = realKubeUnavailable();
let kube: RealKube;
let deployed: Deployed;
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube({ apiServerArgs: ['--watch-cache=false'] });
  deployed = await deployExtdns(kube);
});
after(async () => {
  await kube?.close();
});

test('etcd compacted while extdns is cut off: the resumed watch gets 410 Gone, lists again and syncs what it missed', { skip }, async () => {
  const label = 'compaction';
  const r = await startRun(kube, deployed, label, ['--source=crd']);
  try {
    const first = labelled(dnsEndpoint('compact', `compact.${ZONE}`, ['192.0.2.1']), label);
    await createWithStatus(kube, first.object);
    await pumpZone(r, (z) => recordLine('compact', 'A', '192.0.2.1').test(z), 'the first record');

    r.proxy.cut();
    await kube.kubectl(['apply', '-f', '-'], JSON.stringify(labelled(dnsEndpoint('compact', `compact.${ZONE}`, ['192.0.2.2']), label).object));
    await createWithStatus(kube, labelled(dnsEndpoint('compact2', `compact2.${ZONE}`, ['192.0.2.3']), label).object);
    const revision = await kube.compactEtcd();
    assert.ok(revision > 0);
    r.proxy.heal();
    await pumpZone(r, (z) => recordLine('compact', 'A', '192.0.2.2').test(z) && recordLine('compact2', 'A', '192.0.2.3').test(z),
      'the changes made while cut off');
    assert.match(r.run.log.text(), /410 Gone\); listing again/, 'the watch restart met the compaction');
  } finally {
    await r.stop();
  }
});

/** A TXT string of a zone file (\DDD byte escapes, \X for X, UTF-8 text) decoded back to text. */
function unescapeTxt(s: string): string {
  const bytes: Buffer[] = [];
  for (const m of s.matchAll(/\\(\d{3})|\\([^\d])|([^\\]+)/gu)) {
    if (m[1] !== undefined) bytes.push(Buffer.of(Number(m[1])));
    else bytes.push(Buffer.from(m[2] ?? m[3] ?? '', 'utf8'));
  }
  return Buffer.concat(bytes).toString('utf8');
}

/** A TXT value dense with multi-byte characters (2, 3 and 4 bytes), different for each i. */
function txtValue(i: number): string {
  return `héllo ${i} wörld ünïcødé 日本語テキスト 🙂🚀 ${'é'.repeat(i % 7)}Ωμέγα`;
}

test('UTF-8 in watch events survives: 300 non-ASCII TXT values in one event reach the zone unchanged; a raw watch returns the object as created', { skip }, async () => {
  const label = 'utf8';
  const r = await startRun(kube, deployed, label, ['--source=crd', ...['A', 'AAAA', 'CNAME', 'TXT'].map((t) => `--managed-record-types=${t}`)]);
  const clock = new FakeClock();
  const connection = await resolveKubeConnection({ kubeconfig: deployed.kubeconfig, env: {}, clock });
  const client = createKubeClient({ connection, clock, qps: 1e6, burst: 1e6, requestTimeoutMs: 0 });
  const type = { group: 'externaldns.k8s.io', version: 'v1alpha1', resource: 'dnsendpoints', namespaced: true, kind: 'DNSEndpoint' } as const;
  const watched: ApiObject[] = [];
  const ac = new AbortController();
  let watching: Promise<void> = Promise.resolve();
  try {
    await pumpZone(r, () => r.run.log.lines(/All records are already up to date/).length > 0, 'the first sync');
    const list = await client.list(type, { namespace: 'default', labelSelector: `suite=${label}` });
    watching = (async () => {
      for await (const e of client.watch(type, { namespace: 'default', labelSelector: `suite=${label}`, resourceVersion: list.resourceVersion }, ac.signal)) {
        if (e.type === 'ADDED') watched.push(e.object);
      }
    })().catch(() => undefined);
    const endpoints = Array.from({ length: 300 }, (_, i) => ({ dnsName: `t${i}.${ZONE}`, recordType: 'TXT', targets: [txtValue(i)] }));
    const big = {
      apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint',
      metadata: { name: 'unicode', namespace: 'default', labels: { suite: label }, annotations: { note: 'ünïcødé '.repeat(2000) } },
      spec: { endpoints },
    };
    await kube.kubectl(['create', '-f', '-'], JSON.stringify(big));
    await pumpZone(r, (z) => /^t299\s/m.test(z), 'the TXT records');
    const zone = await r.zone();
    for (let i = 0; i < 300; i++) {
      const line = new RegExp(`^t${i}\\s+(?:\\d+\\s+)?IN TXT\\s+(.*)$`, 'm').exec(zone)?.[1];
      assert.ok(line !== undefined, `t${i} is in the zone`);
      const strings = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => unescapeTxt(m[1] ?? ''));
      assert.equal(strings.join(''), txtValue(i), `t${i}`);
    }
    await pumpZone(r, () => watched.length > 0, 'the raw watch event');
    const got = watched[0] as unknown as typeof big;
    assert.equal(got.metadata.annotations.note, big.metadata.annotations.note);
    assert.deepEqual(got.spec.endpoints.map((e) => e.targets[0]), endpoints.map((e) => e.targets[0]));
  } finally {
    ac.abort();
    await watching;
    await client.close();
    await r.stop();
  }
});
