/**
 * The Cloudflare test server checked with the official SDK itself, before any
 * extdns code talks to it: the v4 envelope, pagination as the SDK reads it,
 * the batch endpoint (atomic), error codes as the SDK's error classes, 429.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Cloudflare from 'cloudflare';
import { Agent, fetch as undiciFetch } from 'undici';
import type { CloudflareServer } from '../support/cloudflare-server.ts';
import { createPki, type Pki } from '../support/pki.ts';
import { startServer, TOKEN } from './harness.ts';

let pki: Pki;
let server: CloudflareServer;

before(async () => {
  pki = await createPki();
  server = await startServer(pki);
});
after(async () => {
  await server.stop();
  await pki.cleanup();
});

function sdk(token = TOKEN): Cloudflare {
  const dispatcher = new Agent({ connect: { ca: pki.rootA.cert } });
  const fetch = ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof globalThis.fetch;
  return new Cloudflare({ apiToken: token, baseURL: server.baseUrl, maxRetries: 0, fetch });
}

test('the SDK lists zones and pages through records; the batch endpoint applies posts, patches and deletes', async () => {
  const zoneId = server.addZone('sdk.example.com');
  const client = sdk();
  const zones: string[] = [];
  for await (const z of client.zones.list()) zones.push(z.name);
  assert.ok(zones.includes('sdk.example.com'));
  const posts = Array.from({ length: 7 }, (_, i) => ({ name: `h${i}.sdk.example.com`, type: 'A' as const, content: `192.0.2.${i + 1}`, ttl: 1 }));
  const created = await client.dns.records.batch({ zone_id: zoneId, posts });
  assert.equal(created.posts?.length, 7);
  const seen: string[] = [];
  for await (const r of client.dns.records.list({ zone_id: zoneId, per_page: 3 })) seen.push(r.name);
  assert.equal(seen.length, 7);
  const first = server.records(zoneId)[0];
  assert.ok(first !== undefined);
  await client.dns.records.batch({ zone_id: zoneId, deletes: [{ id: first.id }], patches: [{ id: server.records(zoneId)[1]?.id ?? '', name: 'h1.sdk.example.com', type: 'A', content: '192.0.2.99', ttl: 300 }] });
  const after = server.records(zoneId);
  assert.equal(after.length, 6);
  assert.ok(after.some((r) => r.content === '192.0.2.99' && r.ttl === 300));
});

test('a batch with one bad record is rejected whole with Cloudflare\'s error code, as a BadRequestError', async () => {
  const zoneId = server.addZone('atomic.example.com');
  const client = sdk();
  await assert.rejects(client.dns.records.batch({ zone_id: zoneId, posts: [
    { name: 'ok.atomic.example.com', type: 'A', content: '192.0.2.1', ttl: 1 },
    { name: 'bad.atomic.example.com', type: 'A', content: 'not-an-ip', ttl: 1 },
  ] }), (err: unknown) => err instanceof Cloudflare.BadRequestError && err.errors.some((e) => e.code === 9005));
  assert.deepEqual(server.records(zoneId), []);
  await assert.rejects(client.dns.records.batch({ zone_id: zoneId, deletes: [{ id: 'f'.repeat(32) }] }),
    (err: unknown) => err instanceof Cloudflare.BadRequestError && err.errors.some((e) => e.code === 81044));
});

test('a wrong token is a PermissionDeniedError; a 429 is a RateLimitError carrying Retry-After', async () => {
  await assert.rejects(sdk('wrong').zones.list(), (err: unknown) => err instanceof Cloudflare.PermissionDeniedError);
  server.throttleNext(1, 7);
  await assert.rejects(sdk().zones.list(), (err: unknown) => err instanceof Cloudflare.RateLimitError && err.headers.get('retry-after') === '7');
});
