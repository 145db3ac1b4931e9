/**
 * `npm run bench`: registry read + admission + plan at 1k, 10k, 100k and 1M
 * desired endpoints beside the single-pass baseline (./plan.ts), then the
 * start-up, provider, Kubernetes, webhook and zone-file rows. Prints medians and
 * ratios; measured, never asserted. EXTDNS_BENCH_1M=0 leaves the 1M row out.
 */
import { benchPdns } from './pdns.ts';
import { measurePlan, planLines, type PlanRow } from './plan.ts';

const RUNS = Number(process.env['EXTDNS_BENCH_RUNS'] ?? 7);
const WIDTH = 18;
const pad = (s: string, n: number): string => s.padStart(n);

const rows: PlanRow[] = [];
for (const size of [1_000, 10_000, 100_000]) rows.push(await measurePlan(size, RUNS));
if (process.env['EXTDNS_BENCH_1M'] !== '0') rows.push(await measurePlan(1_000_000, 1));
for (const line of planLines(rows, RUNS)) console.log(line);

console.log('');
for (const line of await (await import('./startup.ts')).benchStartupLines()) console.log(line);

console.log('');
console.log('PowerDNS (real pdns_server behind nginx; requests counted in the access log)');
console.log(['run', 'ms', 'API requests', 'writes (PATCH)'].map((h, i) => (i === 0 ? h.padEnd(48) : pad(h, WIDTH))).join(''));
const pdnsRows = await benchPdns();
for (const r of pdnsRows) {
  console.log([r.label.padEnd(48), pad(r.ms.toFixed(0), WIDTH), pad(String(r.requests), WIDTH), pad(String(r.writes), WIDTH)].join(''));
}
const [pdnsFirst, , pdnsBare] = pdnsRows;
if (pdnsFirst !== undefined && pdnsBare !== undefined) {
  console.log(`first sync vs the bare PATCH: ${(pdnsFirst.ms / pdnsBare.ms).toFixed(2)}x (goal <= 1.5x; wall time, one run each)`);
}
console.log('');
for (const line of await (await import('./rfc2136.ts')).benchRfc2136Lines()) console.log(line);
console.log('');
for (const line of await (await import('./route53.ts')).benchRoute53Lines()) console.log(line);
console.log('');
for (const line of await (await import('./cloudflare.ts')).benchCloudflareLines()) console.log(line);
console.log('');
for (const line of await (await import('./google.ts')).benchGoogleLines()) console.log(line);
console.log('');
for (const line of await (await import('./azure.ts')).benchAzureLines()) console.log(line);
console.log('');
for (const line of await (await import('./kube.ts')).benchKubeLines()) console.log(line);
console.log('');
for (const line of await (await import('./webhook.ts')).benchWebhookLines()) console.log(line);
for (const line of await (await import('./zonefile.ts')).benchZonefileLines()) console.log(line);
console.log('');
for (const line of await (await import('./coredns.ts')).benchCorednsLines()) console.log(line);
