/**
 * `npm run bench`: registry read + admission + plan at 1k, 10k, 100k and 1M
 * desired endpoints beside the single-pass baseline (./plan.ts), then the
 * start-up, provider, Kubernetes, webhook and zone-file rows. Prints medians and
 * ratios; measured, never asserted. EXTDNS_BENCH_1M=0 leaves the 1M row out.
 */
import { benchPdnsLines } from './pdns.ts';
import { measurePlan, planLines, type PlanRow } from './plan.ts';

const RUNS = Number(process.env['EXTDNS_BENCH_RUNS'] ?? 7);

const rows: PlanRow[] = [];
for (const size of [1_000, 10_000, 100_000]) rows.push(await measurePlan(size, RUNS));
if (process.env['EXTDNS_BENCH_1M'] !== '0') rows.push(await measurePlan(1_000_000, 1));
for (const line of planLines(rows, RUNS)) console.log(line);

console.log('');
for (const line of await (await import('./startup.ts')).benchStartupLines()) console.log(line);

console.log('');
for (const line of await benchPdnsLines()) console.log(line);
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
