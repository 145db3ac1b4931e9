/**
 * Registry read + admission + plan at 1k, 10k, 100k (and 1M) desired
 * endpoints against as many current records, each with its ownership TXT,
 * beside the single-pass baseline (./plan-baseline.ts) on the same provider
 * records. Prints medians and the ratio to the baseline; issue 22's goals:
 * at most 1.5x the baseline at 100k, 1M at most 12x the 100k time with heap
 * growth under 1.5 GiB. Measured, never asserted.
 *
 * Times are the process's CPU time (user + system, GC threads included), not
 * wall time: on a shared machine wall time mostly measures the neighbours.
 */
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { calculate, hasChanges } from '../src/plan/calculate.ts';
import { admitDesired } from '../src/controller/admission.ts';
import { createInMemoryProvider } from '../src/provider/inmemory/inmemory.ts';
import { createTxtRegistry } from '../src/registry/txt/registry.ts';
import type { Provider } from '../src/provider/provider.ts';
import type { Registry } from '../src/registry/registry.ts';
import { MATCH_ALL } from '../src/endpoint/domain-filter.ts';
import { silentLogger } from '../src/log/logger.ts';
import { systemClock } from '../src/util/clock.ts';
import { singlePassChanges } from './plan-baseline.ts';
import { median } from './stats.ts';

const OWNER = 'bench';
const MANAGED = ['A', 'AAAA', 'CNAME'];
const WIDTH = 14;

export interface PlanRow {
  size: number; baselineMs: number; readMs: number; admitMs: number; planMs: number;
  heapMiB: number; changes: number; baselineChanges: number;
}

function desiredEndpoints(n: number): Endpoint[] {
  const out: Endpoint[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    out.push(newEndpoint({ dnsName: `svc-${i}.apps.example.org`, recordType: 'A', targets: [ip],
      labels: { resource: `service/default/svc-${i}` } }));
  }
  return out;
}

/** A provider already holding the desired records and their ownership TXT (as a converged sync leaves it). */
async function converged(desired: Endpoint[]): Promise<{ provider: Provider; registry: Registry }> {
  const provider = createInMemoryProvider({ zones: ['example.org'] });
  const registry = createTxtRegistry(provider, {
    ownerId: OWNER, prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: MANAGED, excludeRecordTypes: [],
  }, { clock: systemClock, logger: silentLogger });
  const signal = new AbortController().signal;
  for (let i = 0; i < desired.length; i += 50_000) {
    await registry.applyChanges({ create: desired.slice(i, i + 50_000), updateOld: [], updateNew: [], delete: [] }, signal);
  }
  return { provider, registry };
}

/** CPU milliseconds used by the process so far. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timeBaseline(provider: Provider, desired: Endpoint[]): Promise<{ ms: number; changes: number }> {
  const t0 = cpuMs();
  const changes = singlePassChanges(await provider.records(new AbortController().signal), desired, OWNER);
  return { ms: cpuMs() - t0, changes };
}

/** One sync's registry read, admission and plan; heap growth is what the three keep live at the end. */
async function timeSync(registry: Registry, desired: Endpoint[]): Promise<{ read: number; admit: number; plan: number; heap: number; changes: number }> {
  const before = process.memoryUsage().heapUsed;
  const t0 = cpuMs();
  const current = await registry.records(new AbortController().signal);
  const t1 = cpuMs();
  const screened = admitDesired(desired, registry, { domainFilters: [MATCH_ALL], managedRecordTypes: MANAGED, excludeRecordTypes: [] });
  const t2 = cpuMs();
  const result = calculate({ current, desired: screened.admitted, policy: 'sync', domainFilters: [MATCH_ALL],
    managedRecordTypes: MANAGED, excludeRecordTypes: [], ownerId: OWNER, oldOwnerId: '' });
  const t3 = cpuMs();
  const heap = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  const c = result.changes;
  const changes = hasChanges(c) ? c.create.length + c.updateNew.length + c.delete.length : 0;
  return { read: t1 - t0, admit: t2 - t1, plan: t3 - t2, heap, changes };
}

export async function measurePlan(size: number, runs: number): Promise<PlanRow> {
  const desired = desiredEndpoints(size);
  const { provider, registry } = await converged(desired);
  const base: number[] = [];
  const reads: number[] = [];
  const admits: number[] = [];
  const plans: number[] = [];
  const heaps: number[] = [];
  let changes = 0;
  let baselineChanges = 0;
  for (let run = 0; run < runs; run++) {
    gc();
    const b = await timeBaseline(provider, desired);
    base.push(b.ms);
    baselineChanges = b.changes;
    gc();
    const s = await timeSync(registry, desired);
    reads.push(s.read);
    admits.push(s.admit);
    plans.push(s.plan);
    heaps.push(s.heap);
    changes = s.changes;
  }
  return { size, baselineMs: median(base), readMs: median(reads), admitMs: median(admits), planMs: median(plans),
    heapMiB: median(heaps), changes, baselineChanges };
}

const total = (r: PlanRow): number => r.readMs + r.admitMs + r.planMs;

export function planLines(rows: readonly PlanRow[], runs: number): string[] {
  const pad = (s: string): string => s.padStart(WIDTH);
  const lines = [
    `registry read + admission + plan vs the single-pass baseline (Node ${process.version}, CPU ms, median of ${runs} runs; goal at 100k: total <= 1.5x baseline; 1M <= 12x the 100k time, heap growth < 1.5 GiB)`,
    ['desired', 'current+TXT', 'baseline ms', 'read ms', 'admit ms', 'plan ms', 'total ms', 'x baseline', 'heap MiB', 'changes'].map(pad).join(''),
  ];
  for (const r of rows) {
    lines.push([String(r.size), String(r.size * 2), r.baselineMs.toFixed(1), r.readMs.toFixed(1), r.admitMs.toFixed(1),
      r.planMs.toFixed(1), total(r).toFixed(1), `${(total(r) / r.baselineMs).toFixed(2)}x`, r.heapMiB.toFixed(1),
      `${r.changes}/${r.baselineChanges}`].map(pad).join(''));
  }
  const at100k = rows.find((r) => r.size === 100_000);
  const at1m = rows.find((r) => r.size === 1_000_000);
  if (at100k !== undefined && at1m !== undefined) {
    lines.push(`scaling: 1M vs 100k -> ${(total(at1m) / total(at100k)).toFixed(1)}x total time (goal <= 12x); heap growth at 1M ${at1m.heapMiB.toFixed(0)} MiB (goal < 1536)`);
  }
  return lines;
}
