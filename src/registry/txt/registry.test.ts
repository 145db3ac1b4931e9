/** The TXT registry over the in-memory provider, as ExternalDNS's registry tests do. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getProperty, newEndpoint, type Endpoint, type EndpointInit } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { calculate } from '../../plan/calculate.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import { createInMemoryProvider, type InMemoryProvider } from '../../provider/inmemory/inmemory.ts';
import type { Provider } from '../../provider/provider.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import type { Registry } from '../registry.ts';
import { decryptText } from './crypto.ts';
import { createTxtRegistry, type TxtRegistryOptions } from './registry.ts';

const signal = new AbortController().signal;
const OWNER = 'owner-1';
const AES_KEY = 'passphrasewhichneedstobe32bytes!';

function options(o: Partial<TxtRegistryOptions> = {}): TxtRegistryOptions {
  return {
    ownerId: OWNER, prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [], ...o,
  };
}

/** Nonces 0x01…, 0x02…, one fresh 12-byte value per call, so tests are deterministic. */
function countingBytes(): { randomBytes: (n: number) => Buffer; calls: () => number } {
  let n = 0;
  return { randomBytes: (size) => Buffer.alloc(size, ++n), calls: () => n };
}

/** A provider wrapper that records every applyChanges batch and counts records() calls. */
function spy(inner: Provider): Provider & { batches: Changes[]; reads: number } {
  const s = {
    batches: [] as Changes[],
    reads: 0,
    records: (sig: AbortSignal) => { s.reads++; return inner.records(sig); },
    applyChanges: (c: Changes, sig: AbortSignal) => { s.batches.push(structuredClone(c)); return inner.applyChanges(c, sig); },
    adjustEndpoints: (e: Endpoint[]) => inner.adjustEndpoints(e),
    domainFilter: () => inner.domainFilter(),
    capabilities: inner.capabilities,
  };
  return s;
}

interface Fixture {
  memory: InMemoryProvider;
  provider: ReturnType<typeof spy>;
  registry: Registry;
  clock: FakeClock;
  log: ReturnType<typeof captureLogger>;
  nonces: ReturnType<typeof countingBytes>;
}

async function fixture(o: Partial<TxtRegistryOptions> = {}, existing: EndpointInit[] = []): Promise<Fixture> {
  const memory = createInMemoryProvider({ zones: ['example.com', 'example.org'] });
  if (existing.length > 0) await memory.applyChanges({ ...emptyChanges(), create: existing.map((e) => newEndpoint(e)) }, signal);
  const provider = spy(memory);
  const clock = new FakeClock();
  const log = captureLogger();
  const nonces = countingBytes();
  const registry = createTxtRegistry(provider, options(o), { clock, logger: log.logger, randomBytes: nonces.randomBytes });
  return { memory, provider, registry, clock, log, nonces };
}

const rec = (dnsName: string, recordType: string, targets: string[], extra: Partial<EndpointInit> = {}): Endpoint =>
  newEndpoint({ dnsName, recordType, targets, ...extra });
const txt = (dnsName: string, value: string, extra: Partial<EndpointInit> = {}): EndpointInit =>
  ({ dnsName, recordType: 'TXT', targets: [value], ...extra });
const owned = (owner: string, resource?: string): string =>
  `"heritage=external-dns,external-dns/owner=${owner}${resource === undefined ? '' : `,external-dns/resource=${resource}`}"`;

function apply(r: Registry, c: Partial<Changes>): Promise<void> {
  return r.applyChanges({ ...emptyChanges(), ...c }, signal);
}

/** TXT records held, as `name → value`. */
async function txtValues(p: Provider): Promise<Map<string, string>> {
  return new Map((await p.records(signal)).filter((e) => e.recordType === 'TXT').map((e) => [e.dnsName, e.targets.join(' ')]));
}

async function byName(r: Registry): Promise<Map<string, Endpoint>> {
  return new Map((await r.records(signal)).map((e) => [`${e.dnsName} ${e.recordType}${e.setIdentifier === '' ? '' : ` ${e.setIdentifier}`}`, e]));
}

/** One controller cycle with the real planner. */
async function sync(r: Registry, desired: Endpoint[], o: Partial<TxtRegistryOptions> = {}): Promise<Changes> {
  const { changes } = calculate({
    current: await r.records(signal),
    desired: await r.adjustEndpoints(desired),
    policy: 'sync',
    domainFilters: [r.domainFilter()],
    managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    excludeRecordTypes: [],
    ownerId: r.ownerId(),
    oldOwnerId: o.oldOwnerId ?? '',
  });
  const count = changes.create.length + changes.updateNew.length + changes.delete.length;
  if (count > 0) await r.applyChanges(changes, signal);
  return changes;
}

const changeCount = (c: Changes): number => c.create.length + c.updateNew.length + c.delete.length;

describe('TXT registry', () => {
  describe('writes ExternalDNS\'s exact TXT names and values', () => {
    test('A, AAAA and CNAME get a-, aaaa- and cname- TXTs with owner and resource, TTL 0', async () => {
      const f = await fixture();
      const resource = { labels: { resource: 'service/default/web' } };
      await apply(f.registry, {
        create: [
          rec('www.example.com', 'A', ['192.0.2.1'], resource),
          rec('www.example.com', 'AAAA', ['2001:db8::1'], resource),
          rec('alias.example.com', 'CNAME', ['www.example.com']),
        ],
      });
      const held = await f.memory.records(signal);
      const txts = held.filter((e) => e.recordType === 'TXT').map((e) => ({ name: e.dnsName, value: e.targets, ttl: e.recordTTL, labels: e.labels }));
      assert.deepEqual(txts.sort((a, b) => a.name.localeCompare(b.name)), [
        { name: 'a-www.example.com', value: ['"heritage=external-dns,external-dns/owner=owner-1,external-dns/resource=service/default/web"'], ttl: 0, labels: { ownedRecord: 'www.example.com' } },
        { name: 'aaaa-www.example.com', value: ['"heritage=external-dns,external-dns/owner=owner-1,external-dns/resource=service/default/web"'], ttl: 0, labels: { ownedRecord: 'www.example.com' } },
        { name: 'cname-alias.example.com', value: ['"heritage=external-dns,external-dns/owner=owner-1"'], ttl: 0, labels: { ownedRecord: 'alias.example.com' } },
      ]);
      const a = held.find((e) => e.dnsName === 'www.example.com' && e.recordType === 'A');
      assert.equal(a?.labels['owner'], OWNER, 'the created record carries the owner label');
    });

    const affixes: { name: string; o: Partial<TxtRegistryOptions>; record: [string, string]; want: string }[] = [
      { name: '--txt-prefix', o: { prefix: 'txt.' }, record: ['www.example.com', 'A'], want: 'txt.a-www.example.com' },
      { name: '--txt-suffix', o: { suffix: '-own' }, record: ['www.example.com', 'CNAME'], want: 'cname-www-own.example.com' },
      { name: '%{record_type} prefix on the apex', o: { prefix: '%{record_type}-abc-.' }, record: ['example.com', 'CNAME'], want: 'cname-abc-.example.com' },
      { name: '%{record_type} suffix', o: { suffix: '-%{record_type}' }, record: ['api.example.com', 'AAAA'], want: 'api-aaaa.example.com' },
      { name: '--txt-wildcard-replacement', o: { wildcardReplacement: 'wildcard' }, record: ['*.example.com', 'A'], want: 'a-wildcard.example.com' },
      { name: 'wildcard replacement with prefix', o: { wildcardReplacement: 'any', prefix: 'own.' }, record: ['*.dev.example.com', 'CNAME'], want: 'own.cname-any.dev.example.com' },
    ];
    for (const c of affixes) {
      test(`${c.name}: ${c.record.join(' ')} → ${c.want}, read back as owned`, async () => {
        const f = await fixture(c.o);
        const [name, type] = c.record;
        const target = type === 'A' ? '192.0.2.1' : type === 'AAAA' ? '2001:db8::1' : 'lb.example.net';
        await apply(f.registry, { create: [rec(name, type, [target])] });
        assert.deepEqual([...(await txtValues(f.memory)).entries()], [[c.want, '"heritage=external-dns,external-dns/owner=owner-1"']]);
        const [only] = await f.registry.records(signal);
        assert.equal(only?.dnsName, name);
        assert.equal(only.labels['owner'], OWNER);
        assert.equal(getProperty(only, 'txt/force-update'), undefined);
      });
    }

    test('a record and its TXT reach the provider in one applyChanges call; set identifiers and routing properties carry over, alias does not', async () => {
      const f = await fixture();
      const weighted = rec('w.example.com', 'A', ['192.0.2.1'], { setIdentifier: 'eu', providerSpecific: [{ name: 'alias', value: 'false' }, { name: 'webhook/weight', value: '10' }] });
      await apply(f.registry, { create: [weighted] });
      assert.equal(f.provider.batches.length, 1);
      const [batch] = f.provider.batches;
      const t = batch?.create.find((e) => e.recordType === 'TXT');
      assert.equal(batch?.create.length, 2);
      assert.equal(t?.dnsName, 'a-w.example.com');
      assert.equal(t.setIdentifier, 'eu');
      assert.deepEqual(t.providerSpecific, [{ name: 'webhook/weight', value: '10' }]);
    });

    test('records() returns non-TXT records and foreign TXTs, never ownership TXTs', async () => {
      const f = await fixture({}, [
        { dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        txt('a-www.example.com', owned(OWNER)),
        txt('spf.example.com', '"v=spf1 -all"'),
        txt('other.example.com', '"heritage=another-tool,external-dns/owner=x"'),
        txt('empty.example.com', '"heritage=external-dns,external-dns/owner=x"', { targets: [] }),
      ]);
      const names = [...(await byName(f.registry)).keys()].sort();
      assert.deepEqual(names, ['other.example.com TXT', 'spf.example.com TXT', 'www.example.com A']);
      assert.match(f.log.text(), /TXT record has no targets/);
    });

    test('a managed TXT record is owned through its txt- ownership record', async () => {
      const f = await fixture({ managedRecordTypes: ['A', 'TXT'] }, [
        txt('spf.example.com', '"v=spf1 -all"'),
        txt('txt-spf.example.com', owned(OWNER)),
      ]);
      const spf = (await byName(f.registry)).get('spf.example.com TXT');
      assert.equal(spf?.labels['owner'], OWNER);
    });
  });

  describe('reads older formats', () => {
    test('old-format TXT (same name, no type) gives ownership, but not to AAAA, and asks for the new TXT', async () => {
      const f = await fixture({}, [
        { dnsName: 'old.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        { dnsName: 'old.example.com', recordType: 'AAAA', targets: ['2001:db8::1'] },
        txt('old.example.com', owned(OWNER, 'ingress/default/old')),
      ]);
      const records = await byName(f.registry);
      const a = records.get('old.example.com A');
      assert.deepEqual(a?.labels, { owner: OWNER, resource: 'ingress/default/old' });
      assert.equal(getProperty(a, 'txt/force-update'), 'true');
      assert.deepEqual(records.get('old.example.com AAAA')?.labels, {});
    });

    test('old-format TXT under a prefix', async () => {
      const f = await fixture({ prefix: 'txt.' }, [
        { dnsName: 'old.example.com', recordType: 'CNAME', targets: ['lb.example.net'] },
        txt('txt.old.example.com', owned(OWNER)),
      ]);
      assert.equal((await byName(f.registry)).get('old.example.com CNAME')?.labels['owner'], OWNER);
    });

    test('the new format wins over the old one', async () => {
      const f = await fixture({}, [
        { dnsName: 'both.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        txt('both.example.com', owned('old-format-owner')),
        txt('a-both.example.com', owned(OWNER)),
      ]);
      assert.equal((await byName(f.registry)).get('both.example.com A')?.labels['owner'], OWNER);
    });

    test('legacy cname- TXT of an A alias record gives ownership, with one warning; a- wins when both exist', async () => {
      const alias = [{ name: 'alias', value: 'true' }];
      const f = await fixture({}, [
        { dnsName: 'lb.example.com', recordType: 'A', targets: ['lb-1.elb.example.net'], providerSpecific: alias },
        txt('cname-lb.example.com', owned(OWNER)),
        { dnsName: 'both.example.com', recordType: 'A', targets: ['lb-2.elb.example.net'], providerSpecific: alias },
        txt('cname-both.example.com', owned('legacy-owner')),
        txt('a-both.example.com', owned(OWNER)),
        { dnsName: 'plain.example.com', recordType: 'A', targets: ['192.0.2.7'] },
        txt('cname-plain.example.com', owned(OWNER)),
      ]);
      const first = await byName(f.registry);
      await f.registry.records(signal);
      assert.equal(first.get('lb.example.com A')?.labels['owner'], OWNER);
      assert.equal(getProperty(first.get('lb.example.com A')!, 'txt/force-update'), 'true', 'the a- TXT is still to be written');
      assert.equal(first.get('both.example.com A')?.labels['owner'], OWNER);
      assert.deepEqual(first.get('plain.example.com A')?.labels, {}, 'only alias A records read cname- TXTs');
      const warnings = f.log.entries.filter((e) => e.level === 'warning');
      assert.deepEqual(warnings.map((w) => w.fields['legacyTxt']).sort(), ['cname-both.example.com', 'cname-lb.example.com']);
    });
  });

  describe('taking over a zone written by ExternalDNS', () => {
    const zone: EndpointInit[] = [
      { dnsName: 'web.example.com', recordType: 'A', targets: ['192.0.2.10', '192.0.2.11'], recordTTL: 300 },
      txt('a-web.example.com', owned('default', 'service/default/web')),
      { dnsName: 'web.example.com', recordType: 'AAAA', targets: ['2001:db8::10'], recordTTL: 300 },
      txt('aaaa-web.example.com', owned('default', 'service/default/web')),
      { dnsName: 'app.example.org', recordType: 'CNAME', targets: ['web.example.com'], recordTTL: 300 },
      txt('cname-app.example.org', owned('default', 'ingress/prod/app')),
      { dnsName: 'manual.example.com', recordType: 'A', targets: ['192.0.2.99'], recordTTL: 300 },
    ];
    const desired = (): Endpoint[] => [
      rec('web.example.com', 'A', ['192.0.2.11', '192.0.2.10'], { recordTTL: 300, labels: { resource: 'service/default/web' } }),
      rec('web.example.com', 'AAAA', ['2001:db8::10'], { recordTTL: 300, labels: { resource: 'service/default/web' } }),
      rec('app.example.org', 'CNAME', ['web.example.com'], { recordTTL: 300, labels: { resource: 'ingress/prod/app' } }),
    ];

    test('records carry the owner labels and the planner plans nothing', async () => {
      const f = await fixture({ ownerId: 'default' }, zone);
      const records = await byName(f.registry);
      assert.deepEqual(records.get('web.example.com A')?.labels, { owner: 'default', resource: 'service/default/web' });
      assert.deepEqual(records.get('app.example.org CNAME')?.labels, { owner: 'default', resource: 'ingress/prod/app' });
      assert.deepEqual(records.get('manual.example.com A')?.labels, {});
      const before = await f.memory.records(signal);
      const changes = await sync(f.registry, desired());
      assert.equal(changeCount(changes), 0, JSON.stringify(changes));
      assert.deepEqual(await f.memory.records(signal), before);
      assert.equal(f.memory.applyCount, 1, 'only the seeding call changed anything');
    });

    test('a changed desired state updates the record and leaves its TXT alone; dropping a record deletes it with its TXT', async () => {
      const f = await fixture({ ownerId: 'default' }, zone);
      const next = desired().filter((e) => e.recordType !== 'AAAA');
      next[0] = rec('web.example.com', 'A', ['192.0.2.12'], { recordTTL: 300, labels: { resource: 'service/default/web' } });
      await sync(f.registry, next);
      const txts = await txtValues(f.memory);
      assert.equal(txts.get('a-web.example.com'), owned('default', 'service/default/web'));
      assert.equal(txts.has('aaaa-web.example.com'), false);
      assert.equal((await f.memory.records(signal)).some((e) => e.recordType === 'AAAA'), false);
      assert.equal(changeCount(await sync(f.registry, next)), 0);
    });

    test('another owner id leaves every record alone', async () => {
      const f = await fixture({ ownerId: 'someone-else' }, zone);
      const before = await f.memory.records(signal);
      await sync(f.registry, [rec('web.example.com', 'A', ['192.0.2.50'], { recordTTL: 300 })]);
      assert.deepEqual(await f.memory.records(signal), before);
    });
  });

  describe('applyChanges', () => {
    test('force-update: an owned record without its new-format TXT gets it written by the planned update', async () => {
      const f = await fixture({}, [
        { dnsName: 'old.example.com', recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 },
        txt('old.example.com', owned(OWNER)),
      ]);
      const changes = await sync(f.registry, [rec('old.example.com', 'A', ['192.0.2.1'], { recordTTL: 300 })]);
      assert.equal(changes.updateNew.length, 1, 'the force-update property makes the planner update');
      const [batch] = f.provider.batches;
      assert.ok(batch !== undefined);
      assert.ok([...batch.updateOld, ...batch.updateNew, ...batch.create].every((e) => getProperty(e, 'txt/force-update') === undefined),
        'txt/force-update never reaches the provider');
      assert.deepEqual(batch.create.map((e) => e.dnsName), ['a-old.example.com']);
      assert.equal((await txtValues(f.memory)).get('a-old.example.com'), owned(OWNER));
      const again = await byName(f.registry);
      assert.equal(getProperty(again.get('old.example.com A')!, 'txt/force-update'), undefined);
      assert.equal(changeCount(await sync(f.registry, [rec('old.example.com', 'A', ['192.0.2.1'], { recordTTL: 300 })])), 0);
    });

    test('records of another owner, or of none, are never passed to the provider on delete or update', async () => {
      const f = await fixture({}, [
        { dnsName: 'mine.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        txt('a-mine.example.com', owned(OWNER)),
        { dnsName: 'theirs.example.com', recordType: 'A', targets: ['192.0.2.2'] },
        txt('a-theirs.example.com', owned('owner-2')),
        { dnsName: 'nobody.example.com', recordType: 'A', targets: ['192.0.2.3'] },
      ]);
      const current = await byName(f.registry);
      const get = (k: string): Endpoint => { const e = current.get(k); assert.ok(e); return e; };
      const theirs = get('theirs.example.com A');
      const nobody = get('nobody.example.com A');
      await apply(f.registry, {
        updateOld: [theirs, nobody],
        updateNew: [{ ...theirs, targets: ['192.0.2.20'] }, { ...nobody, targets: ['192.0.2.30'] }],
        delete: [get('mine.example.com A'), get('theirs.example.com A'), nobody],
      });
      const [batch] = f.provider.batches;
      const touched = [...(batch?.delete ?? []), ...(batch?.updateOld ?? []), ...(batch?.updateNew ?? [])].map((e) => e.dnsName).sort();
      assert.deepEqual(touched, ['a-mine.example.com', 'mine.example.com']);
      const left = (await f.memory.records(signal)).map((e) => `${e.dnsName} ${e.targets.join(',')}`).sort();
      assert.deepEqual(left, ['a-theirs.example.com "heritage=external-dns,external-dns/owner=owner-2"', 'nobody.example.com 192.0.2.3', 'theirs.example.com 192.0.2.2']);
    });

    test('a create whose TXT already exists does not create the TXT again', async () => {
      const f = await fixture({}, [txt('a-back.example.com', owned(OWNER))]);
      await f.registry.records(signal);
      await apply(f.registry, { create: [rec('back.example.com', 'A', ['192.0.2.1'])] });
      assert.deepEqual(f.provider.batches[0]?.create.map((e) => e.dnsName), ['back.example.com']);
      assert.equal((await byName(f.registry)).get('back.example.com A')?.labels['owner'], OWNER);
    });

    test('deletes and updates use the stored TXT value byte for byte (unquoted, unsorted values written by others)', async () => {
      const odd = 'heritage=external-dns,external-dns/resource=service/a/b,external-dns/owner=owner-1';
      const f = await fixture({}, [
        { dnsName: 'x.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        txt('a-x.example.com', odd),
        { dnsName: 'y.example.com', recordType: 'A', targets: ['192.0.2.2'] },
        txt('a-y.example.com', odd),
      ]);
      const current = await byName(f.registry);
      const y = current.get('y.example.com A');
      assert.ok(y !== undefined);
      await apply(f.registry, {
        delete: [current.get('x.example.com A')!],
        updateOld: [y],
        updateNew: [{ ...y, labels: { ...y.labels, resource: 'service/a/c' } }],
      });
      const txts = await txtValues(f.memory);
      assert.equal(txts.has('a-x.example.com'), false);
      assert.equal(txts.get('a-y.example.com'), '"heritage=external-dns,external-dns/owner=owner-1,external-dns/resource=service/a/c"');
    });

    test('an update that keeps the labels sends no TXT change', async () => {
      const f = await fixture({}, [
        { dnsName: 'u.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        txt('a-u.example.com', owned(OWNER)),
      ]);
      const u = (await byName(f.registry)).get('u.example.com A')!;
      await apply(f.registry, { updateOld: [u], updateNew: [{ ...u, targets: ['192.0.2.9'] }] });
      assert.deepEqual(f.provider.batches[0]?.updateNew.map((e) => e.dnsName), ['u.example.com']);
    });

    test('applyChanges before any records() call regenerates TXTs from labels, as ExternalDNS does', async () => {
      const f = await fixture({}, [
        { dnsName: 'z.example.com', recordType: 'A', targets: ['192.0.2.1'], labels: { owner: OWNER } },
        txt('a-z.example.com', owned(OWNER)),
      ]);
      await apply(f.registry, { delete: [rec('z.example.com', 'A', ['192.0.2.1'], { labels: { owner: OWNER } })] });
      assert.deepEqual(await f.memory.records(signal), []);
    });
  });

  describe('encryption', () => {
    test('round trip with an injected nonce: deterministic, readable, nonce kept on the record', async () => {
      const values: string[] = [];
      for (let run = 0; run < 2; run++) {
        const f = await fixture({ encryptEnabled: true, encryptAesKey: AES_KEY });
        await apply(f.registry, { create: [rec('secret.example.com', 'A', ['192.0.2.1'], { labels: { resource: 'service/ns/s' } })] });
        const value = (await txtValues(f.memory)).get('a-secret.example.com') ?? '';
        values.push(value);
        assert.match(value, /^"[A-Za-z0-9+/]+=*"$/);
        assert.ok(!value.includes('heritage'));
        const nonce = Buffer.alloc(12, 1).toString('base64');
        assert.deepEqual(decryptText(value.slice(1, -1), Buffer.from(AES_KEY)),
          { plain: 'heritage=external-dns,external-dns/owner=owner-1,external-dns/resource=service/ns/s', nonce });
        const held = (await f.memory.records(signal)).find((e) => e.dnsName === 'secret.example.com');
        assert.equal(held?.labels['txt-encryption-nonce'], nonce);
        const read = (await byName(f.registry)).get('secret.example.com A');
        assert.equal(read?.labels['owner'], OWNER);
        assert.equal(changeCount(await sync(f.registry, [rec('secret.example.com', 'A', ['192.0.2.1'], { labels: { resource: 'service/ns/s' } })])), 0);
      }
      assert.equal(values[0], values[1]);
    });

    test('reads and deletes a TXT that ExternalDNS encrypted (labels_test.go vector)', async () => {
      const goValue = '"+lvP8q9KHJ6BS6O81i2Q6DLNdf2JSKy8j/gbZKviTZlGYj7q+yDoYMgkQ1hPn6urtGllM5bfFMcaaHto52otQtiOYrX8990J3kQqg4s47m3bH3Ejl8RSxSSuWJM3HJtPghQzYg0/LSOsdQ0="';
      const f = await fixture({ ownerId: 'foo-owner', encryptEnabled: true, encryptAesKey: ')K_Fy|?Z.64#UuHm`}[d!GC%WJM_fs{_' }, [
        { dnsName: 'foo.example.com', recordType: 'CNAME', targets: ['lb.example.net'] },
        txt('cname-foo.example.com', goValue),
      ]);
      const foo = (await byName(f.registry)).get('foo.example.com CNAME');
      assert.ok(foo !== undefined);
      assert.deepEqual(foo.labels, { owner: 'foo-owner', resource: 'foo-resource', 'txt-encryption-nonce': '+lvP8q9KHJ6BS6O8' });
      await apply(f.registry, { delete: [foo] });
      assert.deepEqual(await f.memory.records(signal), []);
      assert.equal(f.nonces.calls(), 0, 'no fresh nonce was needed');
    });

    test('re-encrypts changed labels with the nonce kept in the record\'s label', async () => {
      const f = await fixture({ encryptEnabled: true, encryptAesKey: AES_KEY });
      await apply(f.registry, { create: [rec('n.example.com', 'A', ['192.0.2.1'], { labels: { resource: 'r1' } })] });
      const n = (await byName(f.registry)).get('n.example.com A')!;
      await apply(f.registry, { updateOld: [n], updateNew: [{ ...n, labels: { ...n.labels, resource: 'r2' } }] });
      const value = (await txtValues(f.memory)).get('a-n.example.com') ?? '';
      const read = decryptText(value.slice(1, -1), Buffer.from(AES_KEY));
      assert.equal(read?.plain, 'heritage=external-dns,external-dns/owner=owner-1,external-dns/resource=r2');
      assert.equal(read?.nonce, Buffer.alloc(12, 1).toString('base64'));
      assert.equal(f.nonces.calls(), 1);
    });

    test('with a key, plain TXTs are still read (mixed zones)', async () => {
      const f = await fixture({ encryptEnabled: true, encryptAesKey: AES_KEY }, [
        { dnsName: 'p.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        txt('a-p.example.com', owned(OWNER)),
      ]);
      assert.equal((await byName(f.registry)).get('p.example.com A')?.labels['owner'], OWNER);
    });

    test('configuration errors name the flag', () => {
      const memory = createInMemoryProvider({ zones: ['example.com'] });
      const deps = { clock: new FakeClock(), logger: captureLogger().logger };
      const code = (o: Partial<TxtRegistryOptions>): string | undefined => {
        try {
          createTxtRegistry(memory, options(o), deps);
          return undefined;
        } catch (e) {
          assert.ok(ExtdnsError.is(e) && !e.transient);
          return e.code;
        }
      };
      assert.equal(code({ ownerId: '' }), 'EXTDNS_TXT_OWNER_ID_EMPTY');
      assert.equal(code({ ownerId: 'c1,prod' }), 'EXTDNS_TXT_OWNER_ID_INVALID');
      assert.equal(code({ ownerId: 'a b' }), 'EXTDNS_TXT_OWNER_ID_INVALID');
      assert.equal(code({ oldOwnerId: 'old="x"' }), 'EXTDNS_TXT_OWNER_ID_INVALID');
      assert.equal(code({ prefix: 'a.', suffix: '-b' }), 'EXTDNS_TXT_AFFIX_CONFLICT');
      assert.equal(code({ encryptEnabled: true }), 'EXTDNS_TXT_AES_KEY_MISSING');
      assert.equal(code({ encryptAesKey: 'too-short' }), 'EXTDNS_TXT_AES_KEY_INVALID');
      assert.equal(code({ encryptEnabled: true, encryptAesKey: 'ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY=' }), undefined);
    });
  });

  describe('--migrate-from-txt-owner', () => {
    test('records of the old owner read as ours, and an update rewrites their TXT; other owners stay foreign', async () => {
      const f = await fixture({ ownerId: 'new-owner', oldOwnerId: 'old-owner' }, [
        { dnsName: 'm.example.com', recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 },
        txt('a-m.example.com', owned('old-owner', 'service/a/m')),
        { dnsName: 'f.example.com', recordType: 'A', targets: ['192.0.2.2'], recordTTL: 300 },
        txt('a-f.example.com', owned('third-owner')),
      ]);
      const records = await byName(f.registry);
      assert.equal(records.get('m.example.com A')?.labels['owner'], 'new-owner');
      assert.equal(records.get('f.example.com A')?.labels['owner'], 'third-owner');
      await sync(f.registry, [
        rec('m.example.com', 'A', ['192.0.2.1'], { recordTTL: 300, labels: { resource: 'service/a/m' } }),
        rec('f.example.com', 'A', ['192.0.2.9'], { recordTTL: 300 }),
      ], { oldOwnerId: 'old-owner' });
      const txts = await txtValues(f.memory);
      assert.equal(txts.get('a-m.example.com'), owned('new-owner', 'service/a/m'));
      assert.equal(txts.get('a-f.example.com'), owned('third-owner'));
      assert.equal((await f.memory.records(signal)).find((e) => e.dnsName === 'f.example.com')?.targets[0], '192.0.2.2');
    });
  });

  describe('--txt-cache-interval', () => {
    test('reads the provider once per interval and keeps the cache in line with what it applied', async () => {
      const f = await fixture({ cacheIntervalMs: 60_000 }, [
        { dnsName: 'c.example.com', recordType: 'A', targets: ['192.0.2.1'] },
        txt('a-c.example.com', owned(OWNER)),
      ]);
      await f.registry.records(signal);
      await f.registry.records(signal);
      assert.equal(f.provider.reads, 1);
      await apply(f.registry, { create: [rec('d.example.com', 'A', ['192.0.2.2'])] });
      const cached = await byName(f.registry);
      assert.equal(f.provider.reads, 1);
      assert.equal(cached.get('d.example.com A')?.labels['owner'], OWNER, 'the cache holds the new record and its TXT');
      assert.equal(cached.has('a-d.example.com TXT'), false);
      // A change behind the registry's back shows once the interval has passed.
      await f.memory.applyChanges({ ...emptyChanges(), create: [rec('e.example.com', 'A', ['192.0.2.3'])] }, signal);
      assert.equal((await byName(f.registry)).has('e.example.com A'), false);
      await f.clock.advance(60_000);
      assert.equal((await byName(f.registry)).has('e.example.com A'), true);
      assert.equal(f.provider.reads, 2);
    });

    test('a failed apply drops the cache', async () => {
      const f = await fixture({ cacheIntervalMs: 60_000 }, [{ dnsName: 'c.example.com', recordType: 'A', targets: ['192.0.2.1'] }]);
      await f.registry.records(signal);
      await assert.rejects(apply(f.registry, { create: [rec('c.example.com', 'A', ['192.0.2.9'])] }), /already exists/);
      await f.registry.records(signal);
      assert.equal(f.provider.reads, 2);
    });
  });

  test('adjustEndpoints, domainFilter and ownerId', async () => {
    const f = await fixture();
    const eps = [rec('www.example.com', 'A', ['192.0.2.1'])];
    assert.deepEqual(await f.registry.adjustEndpoints(eps), eps);
    assert.equal(f.registry.domainFilter(), f.memory.domainFilter());
    assert.equal(f.registry.ownerId(), OWNER);
  });
});
