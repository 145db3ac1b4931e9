/**
 * The webhook protocol at the byte level, against what ExternalDNS v0.22's Go
 * code puts on the wire: the requests its client sends (net/http headers,
 * Go's JSON with omitted keys, and `null` arrays as other implementations
 * write them) to extdns's server, and the answers its server gives
 * (no Vary header, empty error bodies, `null` lists) to extdns's client.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type AddressInfo } from 'node:net';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { newEndpoint } from '../../src/endpoint/endpoint.ts';
import { emptyChanges } from '../../src/plan/plan.ts';
import { createInMemoryProvider } from '../../src/provider/inmemory/inmemory.ts';
import { createWebhookProvider } from '../../src/provider/webhook/client.ts';
import { WEBHOOK_MEDIA_TYPE } from '../../src/provider/webhook/media-type.ts';
import { startWebhookServer, type WebhookServer } from '../../src/provider/webhook/server.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { rawExchange as raw } from '../support/raw-http.ts';

/** A request as Go's net/http client writes it (Connection: close so the socket ends after the answer). */
function goRequest(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: localhost:8888', 'User-Agent: Go-http-client/1.1'];
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push('Accept-Encoding: gzip', 'Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

describe('extdns webhook answers the Go client', () => {
  let server: WebhookServer;
  const provider = createInMemoryProvider({ zones: ['example.com'] });
  before(async () => {
    server = await startWebhookServer({ address: '127.0.0.1:0', maxBodySize: 33554432, readTimeoutMs: 5000, readHeaderTimeoutMs: 5000, idleTimeoutMs: 30000 },
      { provider, logger: captureLogger().logger });
  });
  after(() => server.close());

  test('negotiation: 200, the exact media type, Vary: Content-Type, `{}` for no filter', async () => {
    const res = await raw(server.port, goRequest('GET', '/', { Accept: WEBHOOK_MEDIA_TYPE }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), WEBHOOK_MEDIA_TYPE);
    assert.equal(res.headers.get('vary'), 'Content-Type');
    assert.equal(res.body, '{}\n');
  });

  test('POST /records with omitted keys and null arrays: 204, no body; then GET /records returns it in Go\'s form', async () => {
    const body = '{"create":[{"dnsName":"www.example.com","targets":["192.0.2.1"],"recordType":"A","labels":null,"providerSpecific":null},' +
      '{"dnsName":"txt.example.com","targets":["\\"heritage=external-dns,external-dns/owner=default\\""],"recordType":"TXT","recordTTL":300,"labels":{"ownedRecord":"www.example.com"}}],' +
      '"updateOld":null,"updateNew":null,"delete":null}\n';
    const res = await raw(server.port, goRequest('POST', '/records', { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body));
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
    const read = await raw(server.port, goRequest('GET', '/records', { Accept: WEBHOOK_MEDIA_TYPE }));
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('content-type'), WEBHOOK_MEDIA_TYPE);
    const got = (JSON.parse(read.body) as { dnsName: string }[]).sort((a, b) => a.dnsName.localeCompare(b.dnsName));
    assert.deepEqual(got, [
      { dnsName: 'txt.example.com', targets: ['"heritage=external-dns,external-dns/owner=default"'], recordType: 'TXT', recordTTL: 300, labels: { ownedRecord: 'www.example.com' } },
      { dnsName: 'www.example.com', targets: ['192.0.2.1'], recordType: 'A' },
    ]);
  });

  test('POST /adjustendpoints: 200 with the media type and an endpoint array', async () => {
    const res = await raw(server.port, goRequest('POST', '/adjustendpoints', { 'Content-Type': WEBHOOK_MEDIA_TYPE, Accept: WEBHOOK_MEDIA_TYPE },
      '[{"dnsName":"a.example.com","targets":["192.0.2.9"],"recordType":"A"}]\n'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), WEBHOOK_MEDIA_TYPE);
    assert.deepEqual(JSON.parse(res.body), [{ dnsName: 'a.example.com', targets: ['192.0.2.9'], recordType: 'A' }]);
  });

  test('an older Go client\'s POST /records without Content-Type is accepted', async () => {
    const res = await raw(server.port, goRequest('POST', '/records', {}, '{}\n'));
    assert.equal(res.status, 204);
  });

  test('bad input: not JSON 400, bad name 400, other version 415; nothing applied', async () => {
    const before = await provider.records(new AbortController().signal);
    const notJson = await raw(server.port, goRequest('POST', '/records', { 'Content-Type': WEBHOOK_MEDIA_TYPE }, 'create=www'));
    assert.equal(notJson.status, 400);
    assert.match(notJson.body, /not JSON/);
    const badName = await raw(server.port, goRequest('POST', '/records', { 'Content-Type': WEBHOOK_MEDIA_TYPE },
      '{"create":[{"dnsName":"ok.example.com","targets":["192.0.2.1"],"recordType":"A"},{"dnsName":"-..example.com","targets":["192.0.2.2"],"recordType":"A"}]}'));
    assert.equal(badName.status, 400);
    assert.match(badName.body, /create\[1\]/);
    const v2 = await raw(server.port, goRequest('POST', '/records', { 'Content-Type': 'application/external.dns.webhook+json;version=2' }, '{}'));
    assert.equal(v2.status, 415);
    assert.deepEqual(await provider.records(new AbortController().signal), before);
  });
});

describe('extdns\'s client takes the Go server\'s answers', () => {
  /** Answers by path with raw bytes, as Go's webhook server writes them. */
  let answers: Record<string, string> = {};
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer((socket) => {
      socket.once('data', (c: Buffer) => {
        const path = c.toString().split(' ')[1] ?? '/';
        socket.end(answers[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }));
  const date = 'Date: Sat, 28 Nov 2026 12:00:00 GMT';
  const json = (status: string, body: string): string =>
    `HTTP/1.1 ${status}\r\nContent-Type: ${WEBHOOK_MEDIA_TYPE}\r\n${date}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  const empty = (status: string): string => `HTTP/1.1 ${status}\r\n${date}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;
  const client = (): ReturnType<typeof createWebhookProvider> => createWebhookProvider(
    { url: `http://127.0.0.1:${port}`, readTimeoutMs: 5000, writeTimeoutMs: 10000, maxBodySize: 33554432 },
    { logger: captureLogger().logger, clock: new FakeClock() });
  const signal = new AbortController().signal;

  test('negotiation without Vary (Go v0.22 sends none), a regex filter, `null` records, 204 and adjust', async () => {
    answers = {
      '/': json('200 OK', '{"regexInclude":"^(.*)\\\\.example\\\\.com$"}\n'),
      '/records': json('200 OK', 'null\n'),
      '/adjustendpoints': json('200 OK', '[{"dnsName":"a.example.com","targets":["192.0.2.1"],"recordType":"A"}]\n'),
    };
    const p = await client();
    assert.equal(p.domainFilter().match('a.example.com'), true);
    assert.equal(p.domainFilter().match('a.example.org'), false);
    assert.deepEqual(await p.records(signal), []);
    assert.deepEqual(await p.adjustEndpoints([newEndpoint({ dnsName: 'a.example.com', recordType: 'A', targets: ['192.0.2.1'] })]),
      [newEndpoint({ dnsName: 'a.example.com', recordType: 'A', targets: ['192.0.2.1'] })]);
    answers['/records'] = empty('204 No Content');
    await p.applyChanges(emptyChanges(), signal);
  });

  test('Go\'s empty 500 is a soft (transient) error; its empty 400 is fatal; both name the URL', async () => {
    answers = { '/': json('200 OK', '{}\n'), '/records': empty('500 Internal Server Error') };
    const p = await client();
    for (const [answer, transient] of [[empty('500 Internal Server Error'), true], [empty('400 Bad Request'), false]] as const) {
      answers['/records'] = answer;
      for (const call of [() => p.records(signal), () => p.applyChanges(emptyChanges(), signal)]) {
        await assert.rejects(call(), (err) => {
          assert.ok(ExtdnsError.is(err));
          assert.equal(err.transient, transient);
          assert.ok(err.message.includes(`http://127.0.0.1:${port}/records`), err.message);
          return true;
        });
      }
    }
  });
});
