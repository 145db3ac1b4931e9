/**
 * `extdns webhook` under hostile or broken input (issue 12 item 5): keys
 * decoded as Go decodes them, unknown record types refused, stale updates and
 * deletes refused (409), permanent refusals 400 and never 500, and huge
 * change sets worked through without overflowing the stack.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { ExtdnsError } from '../../errors/errors.ts';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { createInMemoryProvider, type InMemoryProvider } from '../inmemory/inmemory.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import type { Provider } from '../provider.ts';
import { WebhookErrors } from './errors.ts';
import { WEBHOOK_MEDIA_TYPE } from './media-type.ts';
import { startWebhookServer, type WebhookServer } from './server.ts';

const signal = new AbortController().signal;
let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(provider: Provider): Promise<(body: string) => Promise<{ status: number; text: string }>> {
  server = await startWebhookServer(
    { address: '127.0.0.1:0', maxBodySize: 0, readTimeoutMs: 0, readHeaderTimeoutMs: 60_000, idleTimeoutMs: 30_000 },
    { provider, logger: captureLogger().logger },
  );
  const base = `http://127.0.0.1:${server.port}`;
  return async (body) => {
    const res = await request(`${base}/records`, { method: 'POST', headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body, headersTimeout: 0, bodyTimeout: 0 });
    return { status: res.statusCode, text: await res.body.text() };
  };
}

function zone(): InMemoryProvider {
  return createInMemoryProvider({ zones: ['example.com'] });
}

async function held(provider: Provider): Promise<string[]> {
  return (await provider.records(signal)).map((e) => `${e.dnsName} ${e.recordType} ${e.targets.join(',')}`).sort();
}

test('keys are matched as Go matches them: any case, and ſ / the Kelvin sign folding into s / k', async () => {
  const provider = zone();
  const post = await serve(provider);
  assert.equal((await post('{"Create":[{"dnsName":"a.example.com","targets":["192.0.2.1"],"recordType":"A"}]}')).status, 204);
  assert.equal((await post('{"CREATE":[{"DNSNAME":"b.example.com","Targets":["192.0.2.2"],"RECORDTYPE":"A","RecordTTL":60}]}')).status, 204);
  assert.equal((await post('{"create":[{"dn\u017fName":"c.example.com","targets":["192.0.2.3"],"recordType":"A","labels":{"\u212a":"v"}}]}')).status, 204);
  assert.deepEqual(await held(provider), ['a.example.com A 192.0.2.1', 'b.example.com A 192.0.2.2', 'c.example.com A 192.0.2.3']);
  const c = (await provider.records(signal)).find((e) => e.dnsName === 'c.example.com');
  assert.deepEqual(c?.labels, { '\u212a': 'v' }, 'label keys are map keys: kept exactly, not folded');
  // A dotless ı is not i under simple folding: the key names no field and the endpoint has no type.
  const dotless = await post('{"create":[{"dnsName":"d.example.com","targets":["192.0.2.4"],"recordTypeı":"A"}]}');
  assert.equal(dotless.status, 400);
  assert.match(dotless.text, /no record type/);
});

test('a body with keys but none known is 400 naming the keys; {} and null are empty change sets', async () => {
  const provider = zone();
  const post = await serve(provider);
  const res = await post('{"creates":[{"dnsName":"a.example.com","targets":["192.0.2.1"],"recordType":"A"}]}');
  assert.equal(res.status, 400);
  assert.match(res.text, /none of the keys create, updateOld, updateNew, delete \(it has "creates"\)/);
  assert.equal((await post('{}')).status, 204);
  assert.equal((await post('null')).status, 204);
  assert.deepEqual(await held(provider), []);
});

test('two keys naming one field are refused rather than one hiding the other', async () => {
  const provider = zone();
  const post = await serve(provider);
  const res = await post('{"create":[{"dnsName":"a.example.com","targets":["192.0.2.1"],"recordType":"A"}],"Create":[]}');
  assert.equal(res.status, 400);
  assert.match(res.text, /both "create" and "Create"/);
  assert.deepEqual(await held(provider), []);
});

test('a record type that is no DNS type is 400 and nothing of the change set is applied', async () => {
  const provider = zone();
  const post = await serve(provider);
  const good = { dnsName: 'ok.example.com', targets: ['192.0.2.1'], recordType: 'A' };
  for (const [type, why] of [['BOGUS', /"BOGUS" of x\.example\.com is not a DNS record type/], ['a', /upper case: A/], ['OPT', /not a DNS record type/], ['TYPE70000', /not a DNS record type/]] as const) {
    const res = await post(JSON.stringify({ create: [good, { dnsName: 'x.example.com', targets: ['v'], recordType: type }] }));
    assert.equal(res.status, 400, type);
    assert.match(res.text, why);
  }
  assert.deepEqual(await held(provider), []);
  assert.equal((await post(JSON.stringify({ create: [{ dnsName: 'g.example.com', targets: ['\\# 0'], recordType: 'TYPE65534' }] }))).status, 204, 'RFC 3597 types pass');
});

test('an update planned from a stale record is 409 and the concurrent edit survives', async () => {
  const provider = zone();
  await provider.applyChanges({ create: [newEndpoint({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1'] })], updateOld: [], updateNew: [], delete: [] }, signal);
  const post = await serve(provider);
  // Someone else moves www to .9 after our client read .1.
  await provider.applyChanges({
    create: [], delete: [],
    updateOld: [newEndpoint({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1'] })],
    updateNew: [newEndpoint({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.9'] })],
  }, signal);
  const stale = {
    updateOld: [{ dnsName: 'www.example.com', targets: ['192.0.2.1'], recordType: 'A' }],
    updateNew: [{ dnsName: 'www.example.com', targets: ['192.0.2.2'], recordType: 'A' }],
  };
  const res = await post(JSON.stringify(stale));
  assert.equal(res.status, 409);
  assert.match(res.text, /updateOld\[0\] www\.example\.com A \[192\.0\.2\.1\]: the provider now holds \[192\.0\.2\.9\]/);
  assert.deepEqual(await held(provider), ['www.example.com A 192.0.2.9']);
  // The same update planned from what is held now applies (targets compared as the planner compares them).
  const fresh = { ...stale, updateOld: [{ dnsName: 'WWW.example.com.', targets: ['192.0.2.9'], recordType: 'A' }] };
  assert.equal((await post(JSON.stringify(fresh))).status, 204);
  assert.deepEqual(await held(provider), ['www.example.com A 192.0.2.2']);
});

test('ownership TXT records in updateOld are rebuilt by the registry, so only their data record is compared', async () => {
  const provider = zone();
  await provider.applyChanges({ create: [
    newEndpoint({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1'] }),
    newEndpoint({ dnsName: 'a-www.example.com', recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=old"'] }),
  ], updateOld: [], updateNew: [], delete: [] }, signal);
  const post = await serve(provider);
  const txt = (owner: string): object => ({ dnsName: 'a-www.example.com', targets: [`"heritage=external-dns,external-dns/owner=${owner}"`], recordType: 'TXT', labels: { ownedRecord: 'www.example.com' } });
  const res = await post(JSON.stringify({
    updateOld: [{ dnsName: 'www.example.com', targets: ['192.0.2.1'], recordType: 'A' }, txt('new')],
    updateNew: [{ dnsName: 'www.example.com', targets: ['192.0.2.2'], recordType: 'A' }, txt('new')],
  }));
  // The in-memory provider itself insists on exact TXT targets; the server's check let the change set through to it.
  assert.notEqual(res.status, 409, res.text);
});

test('a permanent provider refusal is 400, a transient failure 500', async () => {
  const provider = zone();
  await provider.applyChanges({ create: [newEndpoint({ dnsName: 'dup.example.com', recordType: 'A', targets: ['192.0.2.1'] })], updateOld: [], updateNew: [], delete: [] }, signal);
  let post = await serve(provider);
  const again = await post(JSON.stringify({ create: [{ dnsName: 'dup.example.com', targets: ['192.0.2.1'], recordType: 'A' }] }));
  assert.equal(again.status, 400);
  assert.match(again.text, /EXTDNS_INMEMORY_RECORD_EXISTS/);
  await server?.close();
  const flaky: Provider = {
    ...zone(),
    applyChanges: () => Promise.reject(new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_SERVER_ERROR, 'upstream busy')),
  };
  post = await serve(flaky);
  const busy = await post(JSON.stringify({ create: [{ dnsName: 'a.example.com', targets: ['192.0.2.1'], recordType: 'A' }] }));
  assert.equal(busy.status, 500);
  assert.match(busy.text, /upstream busy/);
});

test('a permanent refusal of /adjustendpoints is 400 too', async () => {
  const refusing: Provider = {
    ...zone(),
    adjustEndpoints: () => Promise.reject(new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_REQUEST_REJECTED, 'cannot hold these')),
  };
  await serve(refusing);
  const res = await request(`http://127.0.0.1:${server?.port ?? 0}/adjustendpoints`, {
    method: 'POST', headers: { 'Content-Type': WEBHOOK_MEDIA_TYPE }, body: '[{"dnsName":"a.example.com","recordType":"A","targets":["192.0.2.1"]}]',
  });
  assert.equal(res.statusCode, 400);
  assert.match(await res.body.text(), /cannot hold these/);
});

test('200,000 creates in one POST apply without overflowing the stack', async () => {
  const provider = zone();
  const post = await serve(provider);
  const create = Array.from({ length: 200_000 }, (_, i) => ({ dnsName: `h${i}.example.com`, targets: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], recordType: 'A' }));
  const res = await post(JSON.stringify({ create }));
  assert.equal(res.status, 204, res.text.slice(0, 300));
  assert.equal((await provider.records(signal)).length, 200_000);
});
