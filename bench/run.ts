/**
 * `npm run bench`: plan cost at 1k, 10k and 100k desired endpoints against as
 * many current records, each with its TXT ownership record. Prints a table of
 * medians; the goal for 100k (Go ExternalDNS parity) is at
 * most 250 ms and 150 MiB of heap growth. Measured, never asserted.
 */
import { performance } from 'node:perf_hooks';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { calculate, hasChanges } from '../src/plan/calculate.ts';
import { admitDesired } from '../src/controller/admission.ts';
import { createInMemoryProvider } from '../src/provider/inmemory/inmemory.ts';
import { createTxtRegistry } from '../src/registry/txt/registry.ts';
import { MATCH_ALL } from '../src/endpoint/domain-filter.ts';
import { silentLogger } from '../src/log/logger.ts';
import { systemClock } from '../src/util/clock.ts';
import { benchPdns } from './pdns.ts';

const OWNER = 'bench';
const SIZES = [1_000, 10_000, 100_000];
const RUNS = Number(process.env['EXTDNS_BENCH_RUNS'] ?? 7);

interface Row { size: number; readMs: number; admitMs: number; planMs: number; heapMiB: number; changes: number }

const WIDTH = 18;

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
async function convergedRegistry(desired: Endpoint[]): Promise<ReturnType<typeof createTxtRegistry>> {
  const provider = createInMemoryProvider({ zones: ['example.org'] });
  const registry = createTxtRegistry(provider, {
    ownerId: OWNER, prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [],
  }, { clock: systemClock, logger: silentLogger });
  const signal = new AbortController().signal;
  for (let i = 0; i < desired.length; i += 5_000) {
    await registry.applyChanges({ create: desired.slice(i, i + 5_000), updateOld: [], updateNew: [], delete: [] }, signal);
  }
  return registry;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(size: number): Promise<Row> {
  const desired = desiredEndpoints(size);
  const registry = await convergedRegistry(desired);
  const signal = new AbortController().signal;
  const reads: number[] = [];
  const plans: number[] = [];
  const admits: number[] = [];
  const heaps: number[] = [];
  let changes = 0;
  for (let run = 0; run < RUNS; run++) {
    gc();
    const t0 = performance.now();
    const current = await registry.records(signal);
    const t1 = performance.now();
    // Admission (src/controller/admission.ts): capability checks and the registry's screen, before the plan.
    const a0 = performance.now();
    admitDesired(desired, registry, { domainFilters: [MATCH_ALL], managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [] });
    admits.push(performance.now() - a0);
    gc();
    const before = process.memoryUsage().heapUsed;
    const p0 = performance.now();
    const result = calculate({ current, desired, policy: 'sync', domainFilters: [MATCH_ALL],
      managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [], ownerId: OWNER, oldOwnerId: '' });
    const t2 = performance.now();
    heaps.push((process.memoryUsage().heapUsed - before) / 2 ** 20);
    reads.push(t1 - t0);
    plans.push(t2 - p0);
    changes = hasChanges(result.changes) ? result.changes.create.length + result.changes.updateNew.length + result.changes.delete.length : 0;
  }
  return { size, readMs: median(reads), admitMs: median(admits), planMs: median(plans), heapMiB: median(heaps), changes };
}

const rows: Row[] = [];
for (const size of SIZES) rows.push(await measure(size));

const pad = (s: string, n: number): string => s.padStart(n);
console.log(`plan benchmark (Node ${process.version}, median of ${RUNS} runs; goal at 100k: plan <= 250 ms, plan heap growth <= 150 MiB; the registry read, i.e. joining records with their TXT, is shown apart)`);
console.log(['desired', 'current+TXT', 'registry read ms', 'admit ms', 'plan ms', 'plan heap MiB', 'changes', 'ms per 1k'].map((h) => pad(h, WIDTH)).join(''));
for (const r of rows) {
  console.log([String(r.size), String(r.size * 2), r.readMs.toFixed(1), r.admitMs.toFixed(1), r.planMs.toFixed(1), r.heapMiB.toFixed(1),
    String(r.changes), (r.planMs / (r.size / 1000)).toFixed(2)].map((c) => pad(c, WIDTH)).join(''));
}
const first = rows[0];
const last = rows[rows.length - 1];
if (first && last) {
  console.log(`scaling: ${(last.size / first.size).toFixed(0)}x input -> ${(last.planMs / first.planMs).toFixed(1)}x plan time`);
}

console.log('');
console.log('PowerDNS (real pdns_server behind nginx; requests counted in the access log)');
console.log(['run', 'ms', 'API requests', 'writes (PATCH)'].map((h, i) => (i === 0 ? h.padEnd(48) : pad(h, WIDTH))).join(''));
for (const r of await benchPdns()) {
  console.log([r.label.padEnd(48), pad(r.ms.toFixed(0), WIDTH), pad(String(r.requests), WIDTH), pad(String(r.writes), WIDTH)].join(''));
}
console.log('');
for (const line of await (await import('./route53.ts')).benchRoute53Lines()) console.log(line);
console.log('');
for (const line of await (await import('./azure.ts')).benchAzureLines()) console.log(line);
console.log('');
for (const line of await (await import('./kube.ts')).benchKubeLines()) console.log(line);
console.log('');
for (const line of await (await import('./webhook.ts')).benchWebhookLines()) console.log(line);
for (const line of await (await import('./zonefile.ts')).benchZonefileLines()) console.log(line);
