/**
 * DNSEndpoint `status.conditions` on a real kube-apiserver, written by extdns
 * running with only the deployed ServiceAccount's token (deploy/overlays/ha):
 * Ready True/Synced, False/OwnedByOther, False/Rejected and False/ProviderError,
 * each with its message and observedGeneration, through the status
 * subresource. The CRD schema in deploy/ keeps what extdns writes (a
 * structural schema prunes unknown fields) and refuses a condition outside it.
 * A sync that changes no condition writes nothing: extdns's own
 * external_dns_http_request_duration_seconds counts its requests; a restarted
 * run finds the conditions already there and writes none of them again.
 */
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { createWithStatus, deployExtdns, type Deployed, type Obj } from '../support/real-kube/deployed.ts';
import { dnsEndpoint } from '../support/real-kube/objects.ts';
import { freePort } from '../support/real-kube/process.ts';
import { makeZoneDir, type ZoneDir } from '../support/zonefile.ts';
import { startExtdns, ZONE, type ExtdnsRun } from '../kube/extdns-run.ts';

const skip = realKubeUnavailable();
let kube: RealKube;
let deployed: Deployed;
let zones: ZoneDir | undefined;
before(async () => {
  if (skip !== undefined) return;
  kube = await startRealKube();
  deployed = await deployExtdns(kube);
});
after(async () => {
  await zones?.cleanup();
  await kube?.close();
});

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

async function stored(name: string): Promise<{ generation: number; observed: number | undefined; ready: Condition | undefined; conditions: Condition[] }> {
  const obj = JSON.parse(await kube.kubectl(['get', 'dnsendpoint', name, '-n', 'default', '-o', 'json'])) as {
    metadata: { generation: number }; status?: { conditions?: Condition[]; observedGeneration?: number };
  };
  const conditions = obj.status?.conditions ?? [];
  return { generation: obj.metadata.generation, observed: obj.status?.observedGeneration, ready: conditions.find((c) => c.type === 'Ready'), conditions };
}

/** Real polling of the API server; the run's clock moves one second per round (a retry after a failed sync waits on it). */
async function until(run: ExtdnsRun, check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
    await run.clock.advance(1_000);
  }
  throw new Error(`timed out waiting for ${what}; the log holds:\n${run.log.text()}`);
}

const readyIs = (name: string, reason: string, generation?: number) => async (): Promise<boolean> => {
  const s = await stored(name);
  return s.ready?.reason === reason && (generation === undefined || s.ready.observedGeneration === generation);
};

/** extdns's own count of its requests to the API server, by method and last path segment. */
async function requests(metricsPort: number, method: string, path: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('external_dns_http_request_duration_seconds_count{')) continue;
    if (line.includes(`method="${method}"`) && line.includes(`path="${path}"`)) n += Number(line.split(' ').at(-1));
  }
  return n;
}

const apply = (object: Obj): Promise<string> => kube.kubectl(['apply', '-f', '-'], JSON.stringify(object));

/** The first sync's verdicts; returns the OwnedByOther condition (its transition time must stay). */
async function assertFirstVerdicts(): Promise<Condition | undefined> {
  const verdict = async (name: string): Promise<{ generation: number; ready: Condition }> => {
    const s = await stored(name);
    assert.ok(s.ready !== undefined, `${name} has a Ready condition`);
    return { generation: s.generation, ready: s.ready };
  };
  const synced = await verdict('synced');
  assert.deepEqual([synced.ready.status, synced.ready.reason, synced.ready.observedGeneration], ['True', 'Synced', synced.generation]);
  assert.match(synced.ready.message, /1 record set\(s\) in sync/);
  assert.match(synced.ready.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const taken = await verdict('taken');
  assert.deepEqual([taken.ready.status, taken.ready.reason, taken.ready.observedGeneration], ['False', 'OwnedByOther', taken.generation]);
  assert.match(taken.ready.message, /taken\.example\.org A is held by owner id "other-team"/);
  const rejected = await verdict('rejected');
  assert.deepEqual([rejected.ready.status, rejected.ready.reason], ['False', 'Rejected']);
  assert.match(rejected.ready.message, /rejected\.example\.org A: .*not-an-ip/);
  return taken.ready;
}

/** A sync in which no condition changes (an annotation is no spec change) neither reads nor writes a DNSEndpoint; a spec change rewrites its object alone. */
async function assertWritesOnlyChanges(run: ExtdnsRun, metricsPort: number, taken: Condition | undefined): Promise<void> {
  const names = ['synced', 'taken', 'rejected'];
  const patches = await requests(metricsPort, 'PATCH', 'status');
  const reads = await Promise.all(names.map((n) => requests(metricsPort, 'GET', n)));
  assert.equal(patches, 6, 'per object one status.observedGeneration and one Ready condition write');
  const upToDate = run.log.lines(/All records are already up to date/).length;
  await kube.kubectl(['annotate', 'dnsendpoint', 'taken', '-n', 'default', 'touched=yes']);
  await until(run, () => Promise.resolve(run.log.lines(/All records are already up to date/).length > upToDate), 'a sync with nothing to do');
  await apply(dnsEndpoint('synced', `synced.${ZONE}`, ['192.0.2.32']).object);
  await until(run, readyIs('synced', 'Synced', 2), 'Synced at generation 2');
  // Two status writes, both the changed object's: status.observedGeneration (the crd source) and its Ready condition.
  assert.equal(await requests(metricsPort, 'PATCH', 'status'), patches + 2);
  const after = await Promise.all(names.map((n) => requests(metricsPort, 'GET', n)));
  assert.ok((after[0] ?? 0) > (reads[0] ?? 0), 'the changed object is read before its condition is written');
  assert.deepEqual(after.slice(1), reads.slice(1), 'the unchanged objects are neither read nor written');
  assert.equal((await stored('taken')).ready?.lastTransitionTime, taken?.lastTransitionTime);
  for (const method of ['PUT', 'PATCH']) assert.equal(await requests(metricsPort, method, 'synced'), 0, 'never written through the object itself');
}

/** The provider refuses a change (BIND loads no CNAME beside other data): ProviderError on that object only; fixed, Synced. */
async function assertProviderError(run: ExtdnsRun): Promise<void> {
  await createWithStatus(kube, dnsEndpoint('clash', `clash.${ZONE}`, ['target.example.net'], 'CNAME').object);
  await until(run, readyIs('clash', 'ProviderError'), 'ProviderError');
  const failed = await stored('clash');
  assert.deepEqual([failed.ready?.status, failed.ready?.observedGeneration], ['False', 1]);
  assert.match(failed.ready?.message ?? '', /clash\.example\.org CNAME/);
  assert.equal((await stored('synced')).ready?.reason, 'Synced', 'the other objects keep their condition');
  await apply(dnsEndpoint('clash', `clash.${ZONE}`, ['192.0.2.40']).object);
  await until(run, readyIs('clash', 'Synced', 2), 'Synced after the fix');
  assert.equal((await stored('clash')).ready?.status, 'True');
}

/** The resourceVersion of every DNSEndpoint: it moves with each stored change, status included. */
async function versions(): Promise<string> {
  return kube.kubectl(['get', 'dnsendpoints', '-n', 'default', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}']);
}

/** A restarted run (`--once`) reads the conditions the objects already have: no write, the transition times stay. */
async function assertRestartWritesNothing(flags: readonly string[]): Promise<void> {
  const before = await versions();
  const taken = (await stored('taken')).ready;
  const again = startExtdns([...flags, '--metrics-address=127.0.0.1:0', '--once']);
  assert.equal(await again.done, 0, again.log.text());
  assert.equal(await versions(), before, 'no DNSEndpoint changed');
  assert.equal((await stored('taken')).ready?.lastTransitionTime, taken?.lastTransitionTime, 'the transition time stays');
}

test('Ready conditions on the real API server: each reason with its message and observedGeneration; no write when nothing changed', { skip }, async () => {
  zones = await makeZoneDir([ZONE]);
  // A name another owner holds, and a hand-made TXT at a name where a CNAME cannot go.
  await appendFile(zones.file(ZONE), [
    'taken IN A 192.0.2.99', 'a-taken IN TXT "heritage=external-dns,external-dns/owner=other-team,external-dns/resource=service/default/x"',
    'clash IN TXT "hand-made"', ''].join('\n'));
  for (const o of [
    dnsEndpoint('synced', `synced.${ZONE}`, ['192.0.2.30']), dnsEndpoint('taken', `taken.${ZONE}`, ['192.0.2.31']),
    dnsEndpoint('rejected', `rejected.${ZONE}`, ['not-an-ip']),
  ]) await createWithStatus(kube, o.object);
  const metricsPort = await freePort();
  const flags = [
    `--kubeconfig=${deployed.kubeconfig}`, '--provider=zonefile', `--zonefile-dir=${zones.dir}`, `--domain-filter=${ZONE}`,
    '--txt-owner-id=e2e', '--policy=sync', '--kube-api-qps=1000', '--kube-api-burst=1000', '--source=crd',
  ];
  const run = startExtdns([...flags, `--metrics-address=127.0.0.1:${metricsPort}`, '--events', '--interval=1h', '--min-event-sync-interval=0s']);
  try {
    const settled = async (n: string): Promise<boolean> => { const s = await stored(n); return s.ready !== undefined && s.observed === s.generation; };
    await until(run, async () => (await Promise.all(['synced', 'taken', 'rejected'].map(settled))).every(Boolean), 'three Ready conditions and observedGenerations');
    const taken = await assertFirstVerdicts();
    await assertWritesOnlyChanges(run, metricsPort, taken);
    await assertProviderError(run);
  } finally {
    assert.equal(await run.stop(), 0, run.log.text());
  }
  assert.doesNotMatch(run.log.text(), /\b403\b|forbidden/i, 'the deployed RBAC allows the status writes');
  await assertRestartWritesNothing(flags);
});

test('the CRD schema in deploy/ keeps a Ready condition as extdns writes it and refuses one outside it', { skip }, async () => {
  const object = dnsEndpoint('schema', `schema.${ZONE}`, ['192.0.2.50']).object;
  const condition = { type: 'Ready', status: 'False', reason: 'Rejected', message: 'refused: x', observedGeneration: 1, lastTransitionTime: '2026-11-28T12:00:00Z' };
  await createWithStatus(kube, object, { conditions: [condition] });
  assert.deepEqual((await stored('schema')).conditions, [condition], 'stored as written: no field pruned');
  const patch = (status: unknown) => kube.kubectlResult(['patch', '-f', '-', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })], JSON.stringify(object));
  const bad = await patch({ conditions: [{ ...condition, status: 'Maybe' }] });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /status\.conditions\[0\]\.status: Unsupported value: "Maybe"/);
  const badTime = await patch({ conditions: [{ ...condition, lastTransitionTime: 'yesterday' }] });
  assert.notEqual(badTime.code, 0);
  assert.match(badTime.stderr, /lastTransitionTime/);
  assert.deepEqual((await stored('schema')).conditions, [condition]);
});
