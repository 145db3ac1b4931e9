/**
 * extdns's webhook server against ExternalDNS v0.22.0's `--webhook-server`
 * (provider inmemory, zone example.org): webhook-server.exchanges.json holds
 * each raw request a Go client sends and what Go answered; the same bytes go
 * to extdns's server, in the same order, and must get the same status,
 * media type and body (records compared as sets: Go lists a map).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createInMemoryProvider } from '../../src/provider/inmemory/inmemory.ts';
import { startWebhookServer, type WebhookServer } from '../../src/provider/webhook/server.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { rawExchange } from '../support/raw-http.ts';

interface Exchange {
  name: string;
  request: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const exchanges = JSON.parse(readFileSync(new URL('./go-v0.22/webhook-server.exchanges.json', import.meta.url), 'utf8')) as Exchange[];

/**
 * Deliberate differences (docs/compat.md, row "webhook server: bad requests"): Go answers a wrong method with
 * 400, extdns with 405; Go's error answers are empty, extdns's say what was wrong (so only the status is compared).
 */
const DIFFERENT: Readonly<Record<string, number>> = { 'records-wrong-method': 405 };

/** A JSON list of records as a sorted list of their JSON texts; anything else as it is. */
function comparable(body: string): unknown {
  try {
    const v = JSON.parse(body) as unknown;
    return Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort() : v;
  } catch {
    return body;
  }
}

let server: WebhookServer;
before(async () => {
  server = await startWebhookServer({ address: '127.0.0.1:0', maxBodySize: 33554432, readTimeoutMs: 5000, readHeaderTimeoutMs: 5000, idleTimeoutMs: 30000 },
    { provider: createInMemoryProvider({ zones: ['example.org'] }), logger: captureLogger().logger });
});
after(() => server.close());

test('the golden exchanges cover negotiation, records, apply, adjust and bad input', () => {
  assert.deepEqual(exchanges.map((e) => e.name).slice(0, 7),
    ['negotiate', 'records-empty', 'apply-create', 'records-after-create', 'apply-update', 'records-after-update', 'adjust']);
});

for (const go of exchanges) {
  test(`webhook server, ${go.name}: Go answered ${go.status}`, async () => {
    const ours = await rawExchange(server.port, go.request);
    const expected = DIFFERENT[go.name];
    if (expected !== undefined) {
      assert.equal(ours.status, expected);
      return;
    }
    assert.equal(ours.status, go.status);
    if (go.status >= 400) return;
    assert.equal(ours.headers.get('content-type'), go.headers['content-type']);
    assert.deepEqual(comparable(ours.body), comparable(go.body));
  });
}
