/**
 * The scenarios of test/scenarios/*.yaml that the real kube-apiserver refuses
 * (REFUSED_BY_THE_REAL_SERVER in api-scenarios.ts: objects its schema or
 * validation turns away), through the test API server, which stores them as
 * given: how the API-backed sources meet input that a looser server or a CRD
 * without its schema lets through. Every other scenario runs against the real
 * server in api.test.ts.
 *
 * One server serves every scenario; each scenario's objects are deleted
 * before the next one starts.
 */
import { after, before, describe, test } from 'node:test';
import type { KubeClient } from '../../src/kube/client.ts';
import { FakeClock } from '../support/fake-clock.ts';
import type { KubeObj } from '../support/kube-api/store.ts';
import { kubeFixture, type KubeFixture } from '../support/kube-api/setup.ts';
import { apiSkipReason, buildApiSources, REFUSED_BY_THE_REAL_SERVER } from './api-scenarios.ts';
import { loadScenarioFiles, runScenario, type Scenario } from './harness.ts';

/** ListenerSets are not in the server's default table (they are an experimental Gateway API kind). */
const LISTENER_SETS = { group: 'gateway.networking.k8s.io', version: 'v1', resource: 'listenersets', kind: 'ListenerSet', namespaced: true, status: true, crd: true };

let fx: KubeFixture;
let client: KubeClient;
const clock = new FakeClock();
before(async () => {
  fx = await kubeFixture({ resources: [LISTENER_SETS] });
  client = await fx.client({ clock });
});
after(() => fx.close());

for (const { file, scenarios } of await loadScenarioFiles(import.meta.dirname)) {
  const refused = scenarios.filter((s) => REFUSED_BY_THE_REAL_SERVER.has(s.title));
  if (refused.length === 0) continue;
  describe(file, () => {
    for (const scenario of refused) {
      const skip = apiSkipReason(scenario);
      test(scenario.title, skip === undefined ? {} : { skip }, () => runAgainstApi(scenario));
    }
  });
}

async function runAgainstApi(s: Scenario): Promise<void> {
  const undo = createObjects(s.objects ?? []);
  const stop = new AbortController();
  try {
    await runScenario(s, (options, logger) => buildApiSources({ client: client, clock, logger, signal: stop.signal }, s, options));
  } finally {
    stop.abort();
    undo();
  }
}


/** Creates the objects through the server's hooks; returns a function that puts the server back as it was. */
function createObjects(objects: readonly unknown[]): () => void {
  const undo: (() => void)[] = [];
  for (const raw of objects) {
    const obj = structuredClone(raw) as KubeObj;
    const apiVersion = String(obj.apiVersion);
    const kind = String(obj.kind);
    const namespace = isClusterScoped(kind) ? undefined : (obj.metadata.namespace ?? 'default');
    const previous = fx.api.get(apiVersion, kind, namespace, obj.metadata.name);
    fx.api.apply(obj);
    undo.push(previous === undefined
      ? () => { fx.api.delete(apiVersion, kind, namespace, obj.metadata.name); }
      : () => { fx.api.update(previous); });
  }
  return () => {
    for (const u of undo.reverse()) u();
  };
}

function isClusterScoped(kind: string): boolean {
  return kind === 'Node' || kind === 'Namespace';
}
