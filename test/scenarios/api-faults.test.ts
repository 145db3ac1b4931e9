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
import { createInformerHub, type InformerHub } from '../../src/kube/informer-hub.ts';
import type { Logger } from '../../src/log/logger.ts';
import { createApiSource } from '../../src/source/api.ts';
import type { NamedSource } from '../../src/source/wrappers/multi.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import type { KubeObj } from '../support/kube-api/store.ts';
import { eventually, kubeFixture, type KubeFixture } from '../support/kube-api/setup.ts';
import { apiSkipReason, REFUSED_BY_THE_REAL_SERVER } from './api-scenarios.ts';
import { loadScenarioFiles, runScenario, sourceNamesOf, type Scenario, type ScenarioOptions } from './harness.ts';

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
    await runScenario(s, (options, logger) => buildSources(s, options, logger, stop.signal));
  } finally {
    stop.abort();
    undo();
  }
}

/** One hub and one API-backed source per --source name; resolves once the caches hold their first lists. */
async function buildSources(s: Scenario, options: ScenarioOptions, logger: Logger, signal: AbortSignal): Promise<readonly NamedSource[]> {
  const hub: InformerHub = createInformerHub({ client, clock, random: seededRandom(5), logger: logger.child({ stage: 'kube' }) });
  const named = sourceNamesOf(s.sources).map((name) => ({
    name,
    source: createApiSource({
      name,
      translate: options.translate,
      namespace: options.source.namespace ?? '',
      labelFilter: options.source.labelFilter ?? '',
      annotationFilter: options.source.annotationFilter ?? '',
      resolveLoadBalancerHostname: false,
    }, { hub, client, logger }),
  }));
  hub.start(signal);
  await eventually(() => hub.synced(), `the caches of "${s.title}" to sync (${hub.notSynced().join(', ')})`, 5000);
  return named;
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
