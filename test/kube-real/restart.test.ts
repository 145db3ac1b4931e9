/**
 * kube-apiserver restarted under a running extdns, with the watch cache on (as
 * in a real cluster): the restarted server's cache begins at its own start,
 * so the resumed watches are told 410 Gone and the caches list again. No
 * record is deleted while the server is away; the changes made after it
 * returns are synced.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, deployExtdns, patchStatus, type Deployed } from '../support/real-kube/deployed.ts';
import { labelled, pumpZone, startRun } from '../support/real-kube/extdns-loop.ts';
import { dnsEndpoint, loadBalancer } from '../support/real-kube/objects.ts';
import { recordLine, ZONE } from '../kube/extdns-run.ts';

const skip = realKubeUnavailable();
let kube: RealKube;
let deployed: Deployed;
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  deployed = await deployExtdns(kube);
});
after(async () => {
  await kube?.close();
});

test('kube-apiserver restarted under a running extdns: nothing is deleted while it is away, changes after it returns are synced', { skip }, async () => {
  const label = 'restart';
  const r = await startRun(kube, deployed, label, ['--source=service', '--source=crd']);
  try {
    const web = labelled(loadBalancer('web', `web.${ZONE}`, '192.0.2.10'), label);
    await createWithStatus(kube, web.object, web.status);
    await createWithStatus(kube, labelled(dnsEndpoint('keep', `keep.${ZONE}`, ['192.0.2.20']), label).object);
    await pumpZone(r, (z) => recordLine('web', 'A', '192.0.2.10').test(z) && recordLine('keep', 'A', '192.0.2.20').test(z), 'the records');
    const before = await r.zone();

    await kube.stopApiServer();
    // Six sync intervals while the API is away: the caches are stale, the syncs must not delete anything.
    for (let i = 0; i < 60; i++) {
      await r.run.clock.advance(1000);
      await new Promise((res) => setTimeout(res, 10));
    }
    assert.equal(await r.zone(), before, 'the zone is untouched while the API server is away');
    await kube.startApiServer();

    await patchStatus(kube, web.object, { loadBalancer: { ingress: [{ ip: '192.0.2.11' }] } });
    await kube.kubectl(['delete', 'dnsendpoint', 'keep', '-n', 'default']);
    await pumpZone(r, (z) => recordLine('web', 'A', '192.0.2.11').test(z) && !/^keep\s/m.test(z), 'the resync after the restart');
    assert.doesNotMatch(r.run.log.text(), /\b403\b|forbidden/i);
    assert.match(r.run.log.text(), /410 Gone\); listing again/, 'the restarted watch cache sent the resumed watches 410');
  } finally {
    await r.stop();
  }
});

