import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { createInMemoryProvider } from '../../provider/inmemory/inmemory.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { createTxtRegistry, type TxtRegistryOptions } from './registry.ts';
import { createOwnershipCodec } from './codec.ts';

const signal = new AbortController().signal;
const KEY = 'passphrasewhichneedstobe32bytes!';

async function registry(o: Partial<TxtRegistryOptions> = {}, existing: Endpoint[] = []) {
  const memory = createInMemoryProvider({ zones: ['example.org'] });
  if (existing.length > 0) await memory.applyChanges({ ...emptyChanges(), create: existing }, signal);
  const r = createTxtRegistry(memory, {
    ownerId: 'prod', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'CNAME', 'TXT'], excludeRecordTypes: [], ...o,
  }, { clock: new FakeClock(), logger: captureLogger().logger });
  await r.records(signal);
  return r;
}

const txt = (dnsName: string, value: string): Endpoint => newEndpoint({ dnsName, recordType: 'TXT', targets: [value] });
const reasons = (s: { refused: { reason: string }[] }): string[] => s.refused.map((r) => r.reason);

test('a desired TXT whose value is an ownership record is refused, plain or encrypted, under any name', async () => {
  const r = await registry({ encryptAesKey: KEY });
  const encrypted = createOwnershipCodec({ encryptEnabled: true, encryptAesKey: KEY, randomBytes: (n) => Buffer.alloc(n, 1) }).write({ owner: 'prod' }).value;
  const s = r.screen([txt('anything.example.org', 'heritage=external-dns,external-dns/owner=prod'), txt('other.example.org', encrypted), txt('ok.example.org', 'v=spf1 -all')]);
  assert.deepEqual(s.admitted.map((e) => e.dnsName), ['ok.example.org']);
  assert.equal(s.refused.length, 2);
  for (const reason of reasons(s)) assert.match(reason, /ownership record/);
});

test('TXT or CNAME at an ownership name (existing, or needed by a current or desired record) is refused; other types are not', async () => {
  const r = await registry({}, [
    newEndpoint({ dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.1'] }),
    txt('old.example.org', '"heritage=external-dns,external-dns/owner=prod"'),
  ]);
  const s = r.screen([
    txt('a-web.example.org', 'hello'),
    newEndpoint({ dnsName: 'a-web.example.org', recordType: 'CNAME', targets: ['x.example.org'] }),
    txt('old.example.org', 'v=spf1'),
    newEndpoint({ dnsName: 'new.example.org', recordType: 'A', targets: ['192.0.2.2'] }),
    txt('a-new.example.org', 'hello'),
    newEndpoint({ dnsName: 'a-web.example.org', recordType: 'A', targets: ['192.0.2.3'] }),
  ]);
  assert.deepEqual(s.refused.map((x) => `${x.endpoint.dnsName} ${x.endpoint.recordType}`),
    ['a-web.example.org TXT', 'a-web.example.org CNAME', 'old.example.org TXT', 'a-new.example.org TXT']);
  assert.match(reasons(s)[3] ?? '', /ownership record of new\.example\.org A/);
  assert.deepEqual(s.admitted.map((e) => `${e.dnsName} ${e.recordType}`), ['new.example.org A', 'a-web.example.org A']);
});

test('a record whose ownership TXT name the provider cannot hold is refused (wildcard under a long prefix, label past 63 bytes)', async () => {
  const r = await registry({ prefix: `${'p'.repeat(60)}-` });
  const s = r.screen([newEndpoint({ dnsName: '*.apps.example.org', recordType: 'A', targets: ['192.0.2.1'] })]);
  assert.match(reasons(s)[0] ?? '', /ownership TXT would be named p+-a-\*\.apps\.example\.org.*DNS allows 63.*--txt-wildcard-replacement/);
});

test('labels that would rewrite the ownership TXT are refused; owner and nonce labels from a source are dropped', async () => {
  const r = await registry();
  const s = r.screen([
    newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1'], labels: { zz: 'x,external-dns/owner=other' } }),
    newEndpoint({ dnsName: 'b.example.org', recordType: 'A', targets: ['192.0.2.1'], labels: { owner: 'other', 'txt-encryption-nonce': 'AAAA', team: 'web' } }),
  ]);
  assert.match(reasons(s)[0] ?? '', /label "zz"/);
  assert.deepEqual(s.admitted.map((e) => e.labels), [{ team: 'web' }]);
});
