/**
 * Webhook row of `npm run bench` (issue 12 item 5): one POST /records with
 * 40,000 and 200,000 creates into `extdns webhook` serving the in-memory
 * provider, and the longest the event loop was held meanwhile (what a
 * /healthz probe would wait). Decoding and checking yield every 1,000
 * endpoints; what remains is JSON.parse and the provider's own apply.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { request } from 'undici';
import { silentLogger } from '../src/log/logger.ts';
import { createInMemoryProvider } from '../src/provider/inmemory/inmemory.ts';
import { WEBHOOK_MEDIA_TYPE } from '../src/provider/webhook/media-type.ts';
import { startWebhookServer } from '../src/provider/webhook/server.ts';

const SIZES = [40_000, 200_000];

function body(n: number): string {
  const create = Array.from({ length: n }, (_, i) => ({ dnsName: `h${i}.example.com`, targets: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], recordType: 'A' }));
  return JSON.stringify({ create });
}

async function measure(n: number): Promise<string> {
  const server = await startWebhookServer({ address: '127.0.0.1:0', maxBodySize: 0, readTimeoutMs: 0, readHeaderTimeoutMs: 60_000, idleTimeoutMs: 30_000 },
    { provider: createInMemoryProvider({ zones: ['example.com'] }), logger: silentLogger });
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
  }
}

export async function benchWebhookLines(): Promise<string[]> {
  const lines = ['extdns webhook (in-memory provider): one POST /records'];
  for (const n of SIZES) lines.push(await measure(n));
  return lines;
}
