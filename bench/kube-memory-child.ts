/**
 * The measured process of the kube memory row of `npm run bench`: extdns's
 * Kubernetes side (one client, the shared watch caches, the service, ingress
 * and pod sources, built exactly as the CLI builds them: src/cli/kube-wiring.ts
 * and src/source/table.ts), pointed at bench/kube-api-child.ts. It waits for
 * the caches, runs each source once (as the first sync does), forces GC and
 * prints one JSON line of memory figures on stdout.
 *
 *   node --expose-gc bench/kube-memory-child.ts --kubeconfig=PATH [--no-prune]
 *
 * --no-prune registers every cache first with a transform that keeps objects
 * whole (the hub takes the transform of the first caller), to show what
 * pruning saves.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { connectKubeParts } from '../src/cli/kube-wiring.ts';
import { splitCommandLine } from '../src/cli/command-line.ts';
import { parseConfig } from '../src/config/parse.ts';
import type { ApiObject } from '../src/kube/types.ts';
import { silentLogger } from '../src/log/logger.ts';
import { SUPPORTED_PROVIDERS } from '../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../src/registry/table.ts';
import { SOURCES, SUPPORTED_SOURCES } from '../src/source/table.ts';
import { lookupsFor, SOURCE_KINDS, type KubeResource, type KubeSourceName } from '../src/source/translate.ts';
import { systemClock, systemRandom } from '../src/util/clock.ts';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string', default: '' }, 'no-prune': { type: 'boolean', default: false } } });
const SOURCE_NAMES: readonly KubeSourceName[] = ['service', 'ingress', 'pod'];
const MiB = 2 ** 20;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

function usage(): { rss: number; heapUsed: number; heapTotal: number; external: number; malloced: number; peakMalloced: number } {
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  return { rss: m.rss / MiB, heapUsed: m.heapUsed / MiB, heapTotal: m.heapTotal / MiB, external: (m.external + m.arrayBuffers) / MiB,
    malloced: h.malloced_memory / MiB, peakMalloced: h.peak_malloced_memory / MiB };
}

function resources(): KubeResource[] {
  const out = new Map<string, KubeResource>();
  for (const name of SOURCE_NAMES) {
    for (const r of [SOURCE_KINDS[name], ...lookupsFor(name, { gatewayListenerSets: false })]) out.set(`${r.group}/${r.resource}`, r);
  }
  return [...out.values()];
}

const apiVersionOf = (r: KubeResource): string => (r.group === '' ? r.version : `${r.group}/${r.version}`);

gc();
const baseline = usage();

const line = splitCommandLine([...SOURCE_NAMES.map((s) => `--source=${s}`), `--kubeconfig=${values.kubeconfig}`, '--provider=inmemory', '--policy=sync']);
const config = parseConfig(line.flags, {}, { sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES });
const parts = await connectKubeParts(config, { env: {}, clock: systemClock, random: systemRandom, logger: silentLogger });
if (values['no-prune']) {
  for (const r of resources()) parts.hub.informer(r, {}, (obj: ApiObject) => ({ ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(r), kind: obj.kind ?? r.kind }));
}
const sources = SOURCE_NAMES.map((name) => {
  const descriptor = SOURCES[name];
  if (descriptor === undefined) throw new Error(`no source ${name}`);
  return descriptor.create(config, { logger: silentLogger, clock: systemClock, kube: () => ({ client: parts.client, hub: parts.hub }) });
});
const stop = new AbortController();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
parts.start(stop.signal, { elect: false });
await parts.waitForCaches(stop.signal, 120_000);
const syncedMs = performance.now() - t0;
// CPU time of this process while filling: unlike the fill time, not stretched by other load on the machine.
const fillCpu = process.cpuUsage(cpu0);
const fillCpuMs = (fillCpu.user + fillCpu.system) / 1000;
let endpoints = 0;
for (const s of sources) endpoints += (await s.endpoints(stop.signal)).length;
const cached = Object.fromEntries(resources().map((r) => [r.resource, parts.hub.informer(r, {}, (o) => o).list().length]));
gc();
const after = usage();
process.stdout.write(`${JSON.stringify({ baseline, after, maxRss: process.resourceUsage().maxRSS / 1024, syncedMs, fillCpuMs, endpoints, cached })}\n`);
stop.abort();
await parts.close();
process.exit(0);
