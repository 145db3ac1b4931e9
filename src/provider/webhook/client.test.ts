import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { createWebhookProvider, joinUrl, negotiationDelayMs, type WebhookProvider } from './client.ts';
import { WEBHOOK_MEDIA_TYPE } from './media-type.ts';

/** A scripted webhook: each request is recorded and answered by the current handler. */
interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }
interface Reply { status: number; headers?: Record<string, string>; body?: string }
type Handler = (req: Seen) => Reply;

const negotiationOk: Reply = { status: 200, headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE, Vary: 'Content-Type' }, body: '{}\n' };
let seen: Seen[] = [];
let handler: Handler = () => negotiationOk;
let server: Server;
let url = '';
const signal = new AbortController().signal;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      const r = handler(s);
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => { server.close(() => { resolve(); }); server.closeAllConnections(); }));
beforeEach(() => {
  seen = [];
  handler = () => negotiationOk;
});

const options = (u = url): Parameters<typeof createWebhookProvider>[0] => ({ url: u, readTimeoutMs: 5000, writeTimeoutMs: 10000, maxBodySize: 1024 });

/** Runs the negotiation, moving the fake clock until it settles. */
async function connect(clock = new FakeClock(), u = url): Promise<WebhookProvider> {
  let settled = false;
  const p = createWebhookProvider(options(u), { logger: captureLogger().logger, clock });
  p.then(() => { settled = true; }, () => { settled = true; });
  while (!settled) await clock.advance(250);
  return p;
}

/** Negotiates, then answers every further request with `reply`. */
async function connectThen(reply: Handler): Promise<WebhookProvider> {
  const p = await connect();
  handler = reply;
  seen = [];
  return p;
}

function codeOf(err: unknown): { code: string; transient: boolean; message: string } {
  assert.ok(ExtdnsError.is(err), String(err));
  return { code: err.code, transient: err.transient, message: err.message };
}

describe('negotiation', () => {
  test('GET <url> with the Accept header, exactly once when the answer is right', async () => {
    await connect();
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.url, '/');
    assert.equal(seen[0]?.headers.accept, WEBHOOK_MEDIA_TYPE);
  });

  test('the domain filter returned is used: list form and regex form', async () => {
    handler = () => ({ ...negotiationOk, body: '{"include":["example.com"],"exclude":["internal.example.com"]}' });
    const list = (await connect()).domainFilter();
    assert.deepEqual([list.match('a.example.com'), list.match('a.internal.example.com'), list.match('example.org')], [true, false, false]);
    handler = () => ({ ...negotiationOk, body: '{"regexInclude":"\\\\.example\\\\.com$","regexExclude":"^tmp\\\\."}' });
    const regex = (await connect()).domainFilter();
    assert.deepEqual([regex.match('a.example.com'), regex.match('tmp.example.com'), regex.match('example.org')], [true, false, false]);
    assert.deepEqual(regex.toWire(), { regexInclude: '\\.example\\.com$', regexExclude: '^tmp\\.' });
    handler = () => negotiationOk;
    assert.equal((await connect()).domainFilter().isConfigured(), false);
  });

  test('a Content-Type other than the exact media type stops start-up', async () => {
    for (const type of ['application/json', 'application/external.dns.webhook+json; version=1', 'application/external.dns.webhook+json;version=2']) {
      handler = () => ({ ...negotiationOk, headers: { 'Content-Type': type } });
      await assert.rejects(connect(), (err) => {
        const e = codeOf(err);
        assert.equal(e.code, 'EXTDNS_WEBHOOK_NEGOTIATION');
        assert.ok(e.message.includes(type) && e.message.includes(url), e.message);
        return true;
      });
    }
  });

  test('a filter with both a list and a regex, or a body that is not JSON, stops start-up', async () => {
    handler = () => ({ ...negotiationOk, body: '{"include":["a.com"],"regexInclude":"x"}' });
    await assert.rejects(connect(), /both a domain list/);
    handler = () => ({ ...negotiationOk, body: '' });
    await assert.rejects(connect(), /not JSON/);
  });

  test('5xx is retried with backoff (500 ms, then × 1.5); the fifth failure gives up', async () => {
    const clock = new FakeClock();
    const at: number[] = [];
    handler = () => {
      at.push(clock.now());
      return { status: 503, body: 'warming up' };
    };
    await assert.rejects(connect(clock), (err) => {
      const e = codeOf(err);
      assert.equal(e.code, 'EXTDNS_WEBHOOK_NEGOTIATION');
      assert.match(e.message, /after 5 tries.*503: warming up/);
      return true;
    });
    assert.equal(seen.length, 5);
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    assert.deepEqual(gaps.map((g) => Math.round(g / 250) * 250), [500, 750, 1250, 1750]);
  });

  test('recovers when the webhook comes up during the retries', async () => {
    let n = 0;
    handler = () => (++n < 3 ? { status: 500 } : negotiationOk);
    await connect();
    assert.equal(seen.length, 3);
  });

  test('3xx/4xx is permanent: one try', async () => {
    handler = () => ({ status: 404, body: '404 page not found' });
    await assert.rejects(connect(), /answered 404: 404 page not found/);
    assert.equal(seen.length, 1);
  });

  test('a refused connection is retried, then names the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => { resolve(); }));
    await assert.rejects(connect(new FakeClock(), `http://127.0.0.1:${port}`), (err) => {
      assert.match(codeOf(err).message, new RegExp(`after 5 tries.*127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
      return true;
    });
  });

  test('the backoff jitter stays within ±50 %', () => {
    for (const r of [0, 0.5, 0.999]) {
      const d = negotiationDelayMs(2, { next: () => r });
      assert.ok(d >= 375 && d <= 1125, String(d));
    }
  });
});

describe('calls', () => {
  test('records: GET /records with Accept; `null` and missing keys read as empty', async () => {
    const p = await connectThen(() => ({ status: 200, body: '[{"dnsName":"a.example.com","targets":null,"recordType":"A","labels":null},{}]' }));
    const eps = await p.records(signal);
    assert.equal(seen[0]?.url, '/records');
    assert.equal(seen[0]?.headers.accept, WEBHOOK_MEDIA_TYPE);
    assert.deepEqual(eps[0], { dnsName: 'a.example.com', targets: [], recordType: 'A', setIdentifier: '', recordTTL: 0, labels: {}, providerSpecific: [] });
    assert.equal(eps.length, 2);
    handler = () => ({ status: 200, body: 'null' });
    assert.deepEqual(await p.records(signal), []);
  });

  test('applyChanges: POST /records with the media type and Go\'s JSON, 204 expected', async () => {
    const p = await connectThen(() => ({ status: 204 }));
    const changes = { ...emptyChanges(), create: [newEndpoint({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300, labels: { resource: 'r', owner: 'o' } })] };
    await p.applyChanges(changes, signal);
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0]?.url, '/records');
    assert.equal(seen[0]?.headers['content-type'], WEBHOOK_MEDIA_TYPE);
    assert.equal(seen[0]?.body, '{"create":[{"dnsName":"www.example.com","targets":["192.0.2.1"],"recordType":"A","recordTTL":300,"labels":{"owner":"o","resource":"r"}}]}\n');
    handler = () => ({ status: 200 });
    await assert.rejects(p.applyChanges(changes, signal), (err) => {
      const e = codeOf(err);
      assert.deepEqual([e.code, e.transient], ['EXTDNS_WEBHOOK_REQUEST_REJECTED', false]);
      assert.match(e.message, /POST http:\/\/127\.0\.0\.1:\d+\/records answered 200 instead of 204/);
      return true;
    });
  });

  test('adjustEndpoints: POST /adjustendpoints with Content-Type and Accept', async () => {
    const p = await connectThen((req) => ({ status: 200, body: req.body }));
    const eps = [newEndpoint({ dnsName: 'a.example.com', recordType: 'A', targets: ['192.0.2.1'] })];
    assert.deepEqual(await p.adjustEndpoints(eps), eps);
    assert.equal(seen[0]?.url, '/adjustendpoints');
    assert.equal(seen[0]?.headers['content-type'], WEBHOOK_MEDIA_TYPE);
    assert.equal(seen[0]?.headers.accept, WEBHOOK_MEDIA_TYPE);
    assert.equal(seen[0]?.body, '[{"dnsName":"a.example.com","targets":["192.0.2.1"],"recordType":"A"}]\n');
  });

  test('500-510 are transient with the server\'s text; other statuses are fatal', async () => {
    const p = await connectThen(() => ({ status: 500 }));
    for (const [status, transient] of [[500, true], [503, true], [510, true], [511, false], [400, false], [404, false]] as const) {
      handler = () => ({ status, body: `the reason ${status}` });
      await assert.rejects(p.records(signal), (err) => {
        const e = codeOf(err);
        assert.equal(e.transient, transient, `${status}`);
        assert.ok(e.message.includes(`answered ${status}`) && e.message.includes(`the reason ${status}`), e.message);
        return true;
      });
    }
  });

  test('a 429 with Retry-After is waited out on the clock and sent again; one records call, one throttle', async () => {
    const clock = new FakeClock();
    const p = await connect(clock);
    let throttled = 0;
    handler = () => (throttled++ === 0 ? { status: 429, headers: { 'Retry-After': '2' }, body: 'slow down' }
      : { status: 200, headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body: '[]' });
    seen = [];
    const records = p.records(signal);
    while (clock.pending === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(clock.nextDueIn, 2000, 'waits what Retry-After asks');
    await clock.advance(2000);
    assert.deepEqual(await records, []);
    assert.equal(seen.length, 2);
    assert.deepEqual(p.stats().calls.find((c) => c.operation === 'records'), { operation: 'records', calls: 1, errors: 0 });
    assert.equal(p.stats().throttles, 1);
  });

  test('a 429 asking for longer than 30 s is not waited for: the call fails, retried next run', async () => {
    const p = await connectThen(() => ({ status: 429, headers: { 'Retry-After': '120' }, body: 'quota' }));
    await assert.rejects(p.records(signal), (err) => codeOf(err).message.includes('answered 429'));
    assert.equal(seen.length, 1);
    assert.equal(p.stats().throttles, 1);
  });

  test('409 (planned from records that changed since) is transient: the next sync plans anew', async () => {
    const p = await connectThen(() => ({ status: 409, body: 'the provider now holds [192.0.2.9]' }));
    await assert.rejects(p.applyChanges({ create: [], updateOld: [], updateNew: [], delete: [] }, signal), (err) => {
      const e = codeOf(err);
      assert.equal(e.code, 'EXTDNS_WEBHOOK_CONFLICT');
      assert.equal(e.transient, true);
      assert.match(e.message, /answered 409: the provider now holds \[192\.0\.2\.9\]/);
      return true;
    });
  });

  test('unreadable answers are fatal: not JSON, wrong shape, over the size limit', async () => {
    const p = await connectThen(() => ({ status: 200, body: 'OK' }));
    await assert.rejects(p.records(signal), /not JSON/);
    handler = () => ({ status: 200, body: '{"dnsName":"a"}' });
    await assert.rejects(p.records(signal), /must be an array/);
    handler = () => ({ status: 200, body: `[${'{},'.repeat(400)}{}]` });
    await assert.rejects(p.records(signal), (err) => {
      const e = codeOf(err);
      assert.deepEqual([e.code, e.transient], ['EXTDNS_WEBHOOK_BAD_RESPONSE', false]);
      assert.match(e.message, /larger than 1024 bytes/);
      return true;
    });
  });

  test('stats count requests and errors per method, as ExternalDNS\'s webhook gauges', async () => {
    const p = await connectThen(() => ({ status: 200, body: '[]' }));
    await p.records(signal);
    handler = () => ({ status: 502 });
    await p.records(signal).catch(() => undefined);
    await p.adjustEndpoints([]).catch(() => undefined);
    assert.deepEqual(p.stats().calls, [
      { operation: 'records', calls: 2, errors: 1 },
      { operation: 'applychanges', calls: 0, errors: 0 },
      { operation: 'adjustendpoints', calls: 1, errors: 1 },
    ]);
  });
});

test('joinUrl keeps a path prefix and the query, as Go\'s JoinPath', () => {
  assert.equal(joinUrl(new URL('http://h:8888'), 'records'), 'http://h:8888/records');
  assert.equal(joinUrl(new URL('http://h:8888/prefix/'), 'records'), 'http://h:8888/prefix/records');
  assert.equal(joinUrl(new URL('https://h/p?x=1'), 'adjustendpoints'), 'https://h/p/adjustendpoints?x=1');
});

test('a URL that is not http(s) is refused before any request', async () => {
  await assert.rejects(createWebhookProvider({ ...options(), url: 'localhost:8888' }, { logger: captureLogger().logger, clock: new FakeClock() }), /must use http or https/);
});
