import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { createDomainFilter } from '../../endpoint/domain-filter.ts';
import { createInMemoryProvider, type InMemoryProvider } from '../inmemory/inmemory.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { startWebhookServer, type WebhookServer } from './server.ts';
import { WEBHOOK_MEDIA_TYPE } from './media-type.ts';

const signal = new AbortController().signal;
let provider: InMemoryProvider;
let server: WebhookServer;
let base = '';

async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}):
Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const res = await request(`${base}${path}`, { method: method as 'GET', headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

const post = (path: string, body: string, type = WEBHOOK_MEDIA_TYPE): ReturnType<typeof call> =>
  call('POST', path, { headers: { 'Content-Type': type }, body });

before(async () => {
  provider = createInMemoryProvider({ zones: ['example.com'] });
  server = await startWebhookServer(
    { address: '127.0.0.1:0', maxBodySize: 4096, readTimeoutMs: 5000, readHeaderTimeoutMs: 5000, idleTimeoutMs: 30000 },
    { provider, domainFilter: createDomainFilter({ include: ['example.com'], exclude: ['internal.example.com'] }), logger: captureLogger().logger },
  );
  base = `http://127.0.0.1:${server.port}`;
});
after(async () => {
  await server.close();
});

describe('webhook server', () => {
  test('negotiation answers the exact media type, Vary and the domain filter, on any unknown path as Go does', async () => {
    for (const path of ['/', '/anything']) {
      const res = await call('GET', path, { headers: { Accept: WEBHOOK_MEDIA_TYPE } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], WEBHOOK_MEDIA_TYPE);
      assert.equal(res.headers.vary, 'Content-Type');
      assert.equal(res.text, '{"include":["example.com"],"exclude":["internal.example.com"]}\n');
    }
  });

  test('an Accept of another protocol version is 406; no Accept is fine', async () => {
    const res = await call('GET', '/', { headers: { Accept: 'application/external.dns.webhook+json;version=2' } });
    assert.equal(res.status, 406);
    assert.match(res.text, /version=2.*speaks application\/external\.dns\.webhook\+json;version=1/);
    assert.equal((await call('GET', '/')).status, 200);
  });

  test('POST /records applies a change set and answers 204 with no body; GET /records reads it back', async () => {
    const body = JSON.stringify({ create: [{ dnsName: 'www.example.com', targets: ['192.0.2.1'], recordType: 'A', recordTTL: 300 }] });
    const res = await post('/records', body);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const read = await call('GET', '/records', { headers: { Accept: WEBHOOK_MEDIA_TYPE } });
    assert.equal(read.status, 200);
    assert.equal(read.headers['content-type'], WEBHOOK_MEDIA_TYPE);
    assert.deepEqual(JSON.parse(read.text), [{ dnsName: 'www.example.com', targets: ['192.0.2.1'], recordType: 'A', recordTTL: 300 }]);
    await post('/records', JSON.stringify({ delete: JSON.parse(read.text) as unknown[] }));
    assert.deepEqual(await provider.records(signal), []);
  });

  test('a body that is not JSON is 400 naming the problem; nothing applied', async () => {
    const res = await post('/records', '{"create": [');
    assert.equal(res.status, 400);
    assert.match(res.text, /not JSON/);
    assert.deepEqual(await provider.records(signal), []);
  });

  test('a field of the wrong type is 400 naming its path', async () => {
    const res = await post('/records', '{"create":[{"dnsName":"a.example.com","recordType":"A","targets":["192.0.2.1"],"recordTTL":"300"}]}');
    assert.equal(res.status, 400);
    assert.match(res.text, /create\[0\]\.recordTTL must be an integer/);
  });

  test('an invalid name or record type anywhere refuses the whole change set', async () => {
    const good = { dnsName: 'ok.example.com', targets: ['192.0.2.1'], recordType: 'A' };
    const cases: [unknown, RegExp][] = [
      [{ dnsName: 'bad..example.com', targets: ['192.0.2.1'], recordType: 'A' }, /create\[1\].*empty label/],
      [{ dnsName: `${'x'.repeat(64)}.example.com`, targets: ['192.0.2.1'], recordType: 'A' }, /create\[1\].*at most 63/],
      [{ dnsName: 'lower.example.com', targets: ['192.0.2.1'], recordType: 'a' }, /record type "a".*upper case: A/],
      [{ dnsName: 'odd.example.com', targets: ['x'], recordType: 'NOT A TYPE' }, /not a DNS record type/],
      [{ dnsName: 'ip.example.com', targets: ['not-an-ip'], recordType: 'A' }, /not an IP address/],
    ];
    for (const [bad, message] of cases) {
      const res = await post('/records', JSON.stringify({ create: [good, bad] }));
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.match(res.text, /nothing applied/);
      assert.match(res.text, message);
    }
    assert.deepEqual(await provider.records(signal), []);
  });

  test('a webhook media type of another version is 415; application/json and no Content-Type are accepted', async () => {
    const body = JSON.stringify({});
    assert.equal((await post('/records', body, 'application/external.dns.webhook+json;version=2')).status, 415);
    assert.equal((await post('/records', body, 'text/plain')).status, 415);
    assert.equal((await post('/records', body, 'application/json')).status, 204);
    assert.equal((await call('POST', '/records', { body })).status, 204);
  });

  test('a body over the limit is 413 and nothing is applied', async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ dnsName: `n${i}.example.com`, targets: ['192.0.2.1'], recordType: 'A' }));
    const res = await post('/records', JSON.stringify({ create: many }));
    assert.equal(res.status, 413);
    assert.match(res.text, /larger than 4096 bytes/);
    assert.deepEqual(await provider.records(signal), []);
  });

  test('a delete of a record the provider does not hold is 409 with its name', async () => {
    const res = await post('/records', JSON.stringify({ delete: [{ dnsName: 'missing.example.com', targets: ['192.0.2.1'], recordType: 'A' }] }));
    assert.equal(res.status, 409);
    assert.match(res.text, /missing\.example\.com/);
  });

  test('adjustendpoints answers the provider\'s adjusted endpoints; `null` is an empty list', async () => {
    const res = await post('/adjustendpoints', JSON.stringify([{ dnsName: 'a.example.com', targets: ['192.0.2.1'], recordType: 'A', labels: null }]));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], WEBHOOK_MEDIA_TYPE);
    assert.deepEqual(JSON.parse(res.text), [{ dnsName: 'a.example.com', targets: ['192.0.2.1'], recordType: 'A' }]);
    const empty = await post('/adjustendpoints', 'null');
    assert.equal(empty.text, '[]\n');
  });

  test('a wrong method is 405 with Allow', async () => {
    const put = await call('PUT', '/records', { body: '{}' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'GET, POST');
    const get = await call('GET', '/adjustendpoints');
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    assert.equal((await call('DELETE', '/')).status, 405);
  });
});

test('the server refuses an address that is not [host]:port, and one in use', async () => {
  const deps = { provider: createInMemoryProvider({ zones: ['example.com'] }), logger: captureLogger().logger };
  const opts = { maxBodySize: 0, readTimeoutMs: 0, readHeaderTimeoutMs: 1000, idleTimeoutMs: 1000 };
  await assert.rejects(startWebhookServer({ ...opts, address: 'localhost' }, deps), /not \[host\]:port/);
  await assert.rejects(startWebhookServer({ ...opts, address: `127.0.0.1:${server.port}` }, deps), /in use/);
});
