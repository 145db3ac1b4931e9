/**
 * Webhook rows of `npm run bench` (issue 12 item 5): one POST /records with
 * 40,000 and 200,000 creates into `extdns webhook`, serving the in-memory
 * provider and the zone-file provider (an empty zone in a temp directory),
 * and the longest the event loop was held meanwhile (what a /healthz probe
 * would wait). Decoding, checking and the zone-file apply yield between
 * bounded slices; what remains is JSON.parse of the body.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { request } from 'undici';
import { silentLogger } from '../src/log/logger.ts';
import { createInMemoryProvider } from '../src/provider/inmemory/inmemory.ts';
import type { Provider } from '../src/provider/provider.ts';
import { WEBHOOK_MEDIA_TYPE } from '../src/provider/webhook/media-type.ts';
import { startWebhookServer } from '../src/provider/webhook/server.ts';
import { createZonefileProvider } from '../src/provider/zonefile/zonefile.ts';
import { systemClock } from '../src/util/clock.ts';

const SIZES = [40_000, 200_000];

function body(n: number): string {
  const create = Array.from({ length: n }, (_, i) => ({ dnsName: `h${i}.example.com`, targets: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], recordType: 'A' }));
  return JSON.stringify({ create });
}

interface Served { provider: Provider; done: () => Promise<void> }

async function measure(n: number, serve: () => Promise<Served>): Promise<string> {
  const { provider, done } = await serve();
  const server = await startWebhookServer({ address: '127.0.0.1:0', maxBodySize: 0, readTimeoutMs: 0, readHeaderTimeoutMs: 60_000, idleTimeoutMs: 30_000 },
    { provider, logger: silentLogger });
  try {
    const text = body(n);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const t0 = performance.now();
    const res = await request(`http://127.0.0.1:${server.port}/records`, { method: 'POST', headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body: text, headersTimeout: 0, bodyTimeout: 0 });
    await res.body.text();
    const ms = performance.now() - t0;
    delay.disable();
    const mib = (Buffer.byteLength(text) / 2 ** 20).toFixed(1);
    return `${String(n).padStart(8)} creates (${mib} MiB): ${res.statusCode} in ${ms.toFixed(0)} ms, longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms`;
  } finally {
    await server.close();
    await done();
  }
}

function inMemory(): Promise<Served> {
  return Promise.resolve({ provider: createInMemoryProvider({ zones: ['example.com'] }), done: () => Promise.resolve() });
}

/** The zone-file provider over a fresh, empty example.com zone. */
async function zonefile(): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-bench-webhook-'));
  await writeFile(join(dir, 'example.com.zone'), '$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n');
  return {
    provider: createZonefileProvider({ dir }, { clock: systemClock, logger: silentLogger }),
    done: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function benchWebhookLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, serve] of [['in-memory', inMemory], ['zone-file', zonefile]] as const) {
    lines.push(`extdns webhook (${name} provider): one POST /records`);
    for (const n of SIZES) lines.push(await measure(n, serve));
  }
  return lines;
}

if (import.meta.filename === process.argv[1]) for (const line of await benchWebhookLines()) process.stdout.write(`${line}\n`);
