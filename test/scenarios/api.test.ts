/**
 * Runs every scenario in test/scenarios/*.yaml (format: harness.ts) through the
 * API-backed sources against a real kube-apiserver: extdns's deployment
 * (deploy/overlays/ha, the Gateway API CRDs) is applied as a user would, the
 * scenario's objects are created as admin (made valid for the real server by
 * test/support/real-kube/valid-objects.ts, statuses through the status
 * subresource), and a fresh set of watch caches reads them with only the
 * deployed ServiceAccount's token; any 403 fails the scenario (the cluster's
 * own Services are hidden from it: scenario-client.ts). The result is
 * compared with the same expected endpoints and warnings the manifest source
 * must give.
 *
 * One cluster serves the whole file; each scenario's objects are deleted (and
 * Namespaces it labelled put back) before the next one starts, so cluster-
 * scoped Nodes and Namespaces never leak between scenarios.
 *
 * Scenarios whose objects the real server refuses (REFUSED_BY_THE_REAL_SERVER)
 * are checked here to be refused, and run through the test API server in
 * api-faults.test.ts: they are how a source meets input that a looser or
 * older server (or a CRD without its schema) lets through.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../support/fake-clock.ts';
import { realKubeUnavailable, startRealKube, type RealKube } from '../support/real-kube/cluster.ts';
import { deployExtdns } from '../support/real-kube/deployed.ts';
import { clientPool } from '../support/real-kube/forwarding-client.ts';
import { scenarioClient, type RecordingClient } from '../support/real-kube/scenario-client.ts';
import { ScenarioObjects } from '../support/real-kube/scenario-objects.ts';
import { loadScenarioFiles, runScenario, type Scenario } from './harness.ts';
import { apiSkipReason, buildApiSources, REFUSED_BY_THE_REAL_SERVER } from './api-scenarios.ts';

const unavailable = realKubeUnavailable();
const clock = new FakeClock();

let kube: RealKube;
let objects: ScenarioObjects;
let serviceAccount: RecordingClient;
const clients = clientPool(clock);
before(async () => {
  if (unavailable !== undefined) return;
  kube = await startRealKube();
  const deployed = await deployExtdns(kube, { gatewayApi: true });
  objects = new ScenarioObjects(kube, await clients.open(kube.adminKubeconfig));
  serviceAccount = scenarioClient(await clients.open(deployed.kubeconfig));
});
after(async () => {
  await clients.closeAll();
  await kube?.close();
});


for (const { file, scenarios } of await loadScenarioFiles(import.meta.dirname)) {
  describe(file, () => {
    for (const scenario of scenarios) {
      const skip = unavailable ?? apiSkipReason(scenario);
      const refused = REFUSED_BY_THE_REAL_SERVER.get(scenario.title);
      if (refused === undefined) test(scenario.title, { skip }, () => runAgainstApi(scenario));
      else test(`${scenario.title}: the real server refuses it (${refused.why})`, { skip }, () => assertRefused(scenario, refused.error));
    }
  });
}

async function runAgainstApi(s: Scenario): Promise<void> {
  const putBack = await objects.create(s.objects ?? []);
  const stop = new AbortController();
  const refusedBefore = serviceAccount.forbidden.length;
  try {
    await runScenario(s, (options, logger) => buildApiSources({ client: serviceAccount.client, clock, logger, signal: stop.signal }, s, options));
    assert.deepEqual(serviceAccount.forbidden.slice(refusedBefore), [], 'the deployed ServiceAccount was refused a request');
  } finally {
    stop.abort();
    await putBack();
  }
}

async function assertRefused(s: Scenario, error: RegExp): Promise<void> {
  await assert.rejects(async () => {
    const putBack = await objects.create(s.objects ?? []);
    await putBack();
  }, error);
}
