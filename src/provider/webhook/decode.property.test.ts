/**
 * Properties of reading webhook bodies (issue 12: property tests on every
 * parser of outside input): any JSON is either a change set or an
 * EXTDNS_ENDPOINT_WIRE error, never another failure; a change set survives
 * the wire with its keys in any letter case (Go's decoder folds them); and
 * the server answers any body with 204, 400 or 409, never 500.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { request } from 'undici';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { changesToWire } from '../../endpoint/wire.ts';
import type { Changes } from '../../plan/plan.ts';
import { createInMemoryProvider } from '../inmemory/inmemory.ts';
import { silentLogger } from '../../log/logger.ts';
import { propertyRuns } from '../../../test/support/property-runs.ts';
import { decodeChanges } from './decode.ts';
import { WEBHOOK_MEDIA_TYPE } from './media-type.ts';
import { startWebhookServer, type WebhookServer } from './server.ts';

const noPause = (): Promise<void> => Promise.resolve();

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const endpoint: fc.Arbitrary<Endpoint> = fc.record({
  dnsName: fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => `${ls.join('.')}.example.com`),
  targets: fc.array(fc.ipV4(), { maxLength: 3 }),
  recordType: fc.constantFrom('A', 'AAAA', 'CNAME', 'TXT', 'MX', 'BOGUS', 'a'),
  setIdentifier: fc.constantFrom('', 'eu', 'us'),
  recordTTL: fc.nat({ max: 86_400 }),
  labels: fc.dictionary(fc.constantFrom('owner', 'resource', 'ownedRecord', 'x'), fc.string({ maxLength: 8 })),
  providerSpecific: fc.array(fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), value: fc.string({ minLength: 1, maxLength: 8 }) }), { maxLength: 2 }),
});
const changes: fc.Arbitrary<Changes> = fc.integer({ min: 0, max: 3 }).chain((pairs) => fc.record({
  create: fc.array(endpoint, { maxLength: 3 }),
  updateOld: fc.array(endpoint, { minLength: pairs, maxLength: pairs }),
  updateNew: fc.array(endpoint, { minLength: pairs, maxLength: pairs }),
  delete: fc.array(endpoint, { maxLength: 3 }),
}));

/** Re-cases every struct key of a wire change set (label keys are map keys and stay). */
function recase(value: unknown, pick: () => boolean, inLabels = false): unknown {
  if (Array.isArray(value)) return value.map((v) => recase(v, pick));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = inLabels ? k : k.replace(/./g, (c) => (pick() ? c.toUpperCase() : c.toLowerCase()));
    out[key] = recase(v, pick, !inLabels && k === 'labels');
  }
  return out;
}

test('any JSON value decodes to a change set or fails with EXTDNS_ENDPOINT_WIRE', async () => {
  await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (json) => {
    try {
      await decodeChanges(json, noPause);
    } catch (err) {
      assert.ok(ExtdnsError.is(err), `not an ExtdnsError: ${String(err)}`);
      assert.equal(err.code, 'EXTDNS_ENDPOINT_WIRE');
    }
  }), propertyRuns(500));
});

test('a change set survives the wire with its keys in any letter case', async () => {
  await fc.assert(fc.asyncProperty(changes, fc.infiniteStream(fc.boolean()), async (c, coin) => {
    const it = coin[Symbol.iterator]();
    const wire = recase(JSON.parse(JSON.stringify(changesToWire(c))), () => it.next().value === true);
    const back = await decodeChanges(wire, noPause);
    assert.deepEqual(back, JSON.parse(JSON.stringify(c)));
  }), propertyRuns(300));
});

let server: WebhookServer;
before(async () => {
  server = await startWebhookServer({ address: '127.0.0.1:0', maxBodySize: 0, readTimeoutMs: 0, readHeaderTimeoutMs: 10_000, idleTimeoutMs: 10_000 },
    { provider: createInMemoryProvider({ zones: ['example.com'] }), logger: silentLogger });
});
after(() => server.close());

test('the server answers any body with 204, 400 or 409, never 500', async () => {
  const body = fc.oneof(
    changes.map((c) => JSON.stringify(changesToWire(c))),
    fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.stringify(j)),
    fc.string({ maxLength: 40 }),
  );
  await fc.assert(fc.asyncProperty(body, async (text) => {
    const res = await request(`http://127.0.0.1:${server.port}/records`, { method: 'POST', headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body: text });
    const answer = await res.body.text();
    assert.ok([204, 400, 409].includes(res.statusCode), `${res.statusCode} for ${text.slice(0, 200)}: ${answer}`);
  }), propertyRuns(150));
});
