/**
 * The Cloudflare test server checked with the official SDK itself, before any
 * extdns code talks to it: the v4 envelope, pagination as the SDK reads it,
 * the batch endpoint (atomic), error codes as the SDK's error classes, 429.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Cloudflare from 'cloudflare';
import { Agent, fetch as undiciFetch } from 'undici';
import { TOKEN, useServer } from './harness.ts';

const fixture = useServer();

function sdk(token = TOKEN): Cloudflare {
  const dispatcher = new Agent({ connect: { ca: fixture.pki.rootA.cert } });
  const fetch = ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof globalThis.fetch;
  return new Cloudflare({ apiToken: token, baseURL: fixture.server.baseUrl, maxRetries: 0, fetch });
}

test('the SDK lists zones and pages through records; the batch endpoint applies posts, patches and deletes', async () => {
  const zoneId = fixture.server.addZone('sdk.example.com');
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
  const first = fixture.server.records(zoneId)[0];
  assert.ok(first !== undefined);
  await client.dns.records.batch({ zone_id: zoneId, deletes: [{ id: first.id }], patches: [{ id: fixture.server.records(zoneId)[1]?.id ?? '', name: 'h1.sdk.example.com', type: 'A', content: '192.0.2.99', ttl: 300 }] });
  const after = fixture.server.records(zoneId);
  assert.equal(after.length, 6);
  assert.ok(after.some((r) => r.content === '192.0.2.99' && r.ttl === 300));
});

test('a batch with one bad record is rejected whole with Cloudflare\'s error code, as a BadRequestError', async () => {
  const zoneId = fixture.server.addZone('atomic.example.com');
  const client = sdk();
  await assert.rejects(client.dns.records.batch({ zone_id: zoneId, posts: [
    { name: 'ok.atomic.example.com', type: 'A', content: '192.0.2.1', ttl: 1 },
    { name: 'bad.atomic.example.com', type: 'A', content: 'not-an-ip', ttl: 1 },
  ] }), (err: unknown) => err instanceof Cloudflare.BadRequestError && err.errors.some((e) => e.code === 9005));
  assert.deepEqual(fixture.server.records(zoneId), []);
  await assert.rejects(client.dns.records.batch({ zone_id: zoneId, deletes: [{ id: 'f'.repeat(32) }] }),
    (err: unknown) => err instanceof Cloudflare.BadRequestError && err.errors.some((e) => e.code === 81044));
});

test('a wrong token is a PermissionDeniedError; a 429 is a RateLimitError carrying Retry-After', async () => {
  await assert.rejects(sdk('wrong').zones.list(), (err: unknown) => err instanceof Cloudflare.PermissionDeniedError);
  fixture.server.throttleNext(1, 7);
  await assert.rejects(sdk().zones.list(), (err: unknown) => err instanceof Cloudflare.RateLimitError && err.headers.get('retry-after') === '7');
});

test('MX keeps its priority and SRV its data through the batch endpoint; SRV content is Cloudflare\'s "weight port target"; comment and tags read back', async () => {
  const zoneId = fixture.server.addZone('typed.example.com');
  const client = sdk();
  await client.dns.records.batch({ zone_id: zoneId, posts: [
    { name: 'typed.example.com', type: 'MX', content: 'mail.typed.example.com', priority: 10, ttl: 1, comment: 'c', tags: ['team:dns'] },
    { name: '_sip._tcp.typed.example.com', type: 'SRV', data: { priority: 1, weight: 5, port: 5060, target: 'sip.typed.example.com' }, ttl: 1 },
  ] });
  const seen = [];
  for await (const r of client.dns.records.list({ zone_id: zoneId })) seen.push(r);
  const mx = seen.find((r) => r.type === 'MX');
  assert.equal(mx?.type === 'MX' ? mx.priority : undefined, 10);
  assert.equal(mx?.comment, 'c');
  assert.deepEqual(mx?.tags, ['team:dns']);
  const srv = seen.find((r) => r.type === 'SRV');
  assert.equal(srv?.content, '5 5060 sip.typed.example.com');
  assert.deepEqual(srv?.type === 'SRV' ? srv.data : undefined, { priority: 1, weight: 5, port: 5060, target: 'sip.typed.example.com' });
  await assert.rejects(client.dns.records.batch({ zone_id: zoneId, posts: [{ name: 'm2.typed.example.com', type: 'MX', content: 'x.typed.example.com', ttl: 1 }] }),
    (err: unknown) => err instanceof Cloudflare.BadRequestError && err.errors.some((e) => e.code === 9100));
});

test('custom hostnames: created (201) with the SSL settings asked for, listed page by page, duplicates a ConflictError (1406), example.* refused (1411), deleted', async () => {
  const zoneId = fixture.server.addZone('saas.example.com');
  const client = sdk();
  const created = await client.customHostnames.create({ zone_id: zoneId, hostname: 'shop.customer.net', custom_origin_server: 'origin.saas.example.com',
    ssl: { type: 'dv', method: 'http', bundle_method: 'ubiquitous', settings: { min_tls_version: '1.2' }, certificate_authority: 'google' } });
  assert.equal(created.hostname, 'shop.customer.net');
  assert.equal(created.custom_origin_server, 'origin.saas.example.com');
  for (let i = 0; i < 4; i++) await client.customHostnames.create({ zone_id: zoneId, hostname: `h${i}.customer.net`, custom_origin_server: 'origin.saas.example.com' });
  const names: string[] = [];
  const listed = fixture.server.count('GET', /\/custom_hostnames$/);
  for await (const c of client.customHostnames.list({ zone_id: zoneId, per_page: 2 })) names.push(c.hostname);
  assert.equal(names.length, 5);
  // Pages of 2, 2 and 1, then the empty page the SDK's iterator asks for after the last.
  assert.equal(fixture.server.count('GET', /\/custom_hostnames$/) - listed, 4);
  await assert.rejects(client.customHostnames.create({ zone_id: zoneId, hostname: 'shop.customer.net' }),
    (err: unknown) => err instanceof Cloudflare.ConflictError && err.errors.some((e) => e.code === 1406));
  await assert.rejects(client.customHostnames.create({ zone_id: zoneId, hostname: 'shop.example.org' }),
    (err: unknown) => err instanceof Cloudflare.BadRequestError && err.errors.some((e) => e.code === 1411));
  await client.customHostnames.delete(created.id, { zone_id: zoneId });
  assert.ok(!fixture.server.hostnames.customHostnames(zoneId).some((c) => c.hostname === 'shop.customer.net'));
  await assert.rejects(client.customHostnames.delete(created.id, { zone_id: zoneId }), (err: unknown) => err instanceof Cloudflare.NotFoundError);
});

test('regional hostnames: created, listed as one page, region key edited (PATCH), deleted; an unknown region key or a foreign name is a BadRequestError', async () => {
  const zoneId = fixture.server.addZone('region.example.com');
  const client = sdk();
  await client.addressing.regionalHostnames.create({ zone_id: zoneId, hostname: 'eu.region.example.com', region_key: 'eu' });
  const listed = (await client.addressing.regionalHostnames.list({ zone_id: zoneId })).result;
  assert.deepEqual(listed.map((r) => [r.hostname, r.region_key]), [['eu.region.example.com', 'eu']]);
  await client.addressing.regionalHostnames.edit('eu.region.example.com', { zone_id: zoneId, region_key: 'us' });
  assert.equal(fixture.server.hostnames.regionalHostnames(zoneId)[0]?.region_key, 'us');
  await assert.rejects(client.addressing.regionalHostnames.create({ zone_id: zoneId, hostname: 'x.region.example.com', region_key: 'mars' }),
    (err: unknown) => err instanceof Cloudflare.BadRequestError);
  await assert.rejects(client.addressing.regionalHostnames.create({ zone_id: zoneId, hostname: 'x.other.example.net', region_key: 'eu' }),
    (err: unknown) => err instanceof Cloudflare.BadRequestError);
  await client.addressing.regionalHostnames.delete('eu.region.example.com', { zone_id: zoneId });
  assert.deepEqual(fixture.server.hostnames.regionalHostnames(zoneId), []);
});
