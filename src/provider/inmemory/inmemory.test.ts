import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint, type EndpointInit } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import { createInMemoryProvider, type InMemoryProvider } from './inmemory.ts';

const signal = new AbortController().signal;
const ep = (init: EndpointInit): Endpoint => newEndpoint({ recordTTL: 300, ...init });
const a = (dnsName: string, ...targets: string[]): Endpoint => ep({ dnsName, recordType: 'A', targets });

function apply(p: InMemoryProvider, c: Partial<Changes>): Promise<void> {
  return p.applyChanges({ ...emptyChanges(), ...c }, signal);
}

async function rejectsWith(p: InMemoryProvider, c: Partial<Changes>, code: string, naming: string): Promise<void> {
  await assert.rejects(apply(p, c), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, code);
    assert.equal(err.transient, false);
    assert.ok(err.message.includes(naming), `message should name ${naming}: ${err.message}`);
    return true;
  });
}

async function seeded(): Promise<InMemoryProvider> {
  const p = createInMemoryProvider({ zones: ['example.com', 'sub.example.com', 'example.org'] });
  await apply(p, { create: [a('www.example.com', '192.0.2.1'), a('x.sub.example.com', '192.0.2.2', '192.0.2.3')] });
  return p;
}

describe('in-memory provider', () => {
  test('puts each record in the zone with the longest matching suffix', async () => {
    const p = await seeded();
    assert.deepEqual(p.zoneRecords('example.com').map((e) => e.dnsName), ['www.example.com']);
    assert.deepEqual(p.zoneRecords('sub.example.com').map((e) => e.dnsName), ['x.sub.example.com']);
    assert.deepEqual(p.zoneRecords('example.org'), []);
  });

  test('zone matching follows label boundaries and ignores case', async () => {
    const p = createInMemoryProvider({ zones: ['example.com'] });
    await rejectsWith(p, { create: [a('notexample.com', '192.0.2.1')] }, 'EXTDNS_INMEMORY_NO_ZONE', 'notexample.com');
    await apply(p, { create: [a('Web.EXAMPLE.COM', '192.0.2.1'), a('example.com', '192.0.2.2')] });
    assert.equal(p.zoneRecords('example.com').length, 2);
    // The same record set under another case is the same key.
    await rejectsWith(p, { create: [a('web.example.com', '192.0.2.9')] }, 'EXTDNS_INMEMORY_RECORD_EXISTS', 'web.example.com');
  });

  test('records() returns deep copies', async () => {
    const p = await seeded();
    const [first] = await p.records(signal);
    assert.ok(first !== undefined);
    first.targets.push('203.0.113.1');
    first.labels['owner'] = 'mutated';
    const again = await p.records(signal);
    assert.ok(again.every((e) => !e.targets.includes('203.0.113.1') && e.labels['owner'] === undefined));
  });

  test('creates, updates and deletes across zones in one batch; applyCount counts changing calls only', async () => {
    const p = await seeded();
    assert.equal(p.applyCount, 1);
    await apply(p, {});
    assert.equal(p.applyCount, 1, 'an empty batch is not counted');
    const old = a('www.example.com', '192.0.2.1');
    await apply(p, {
      create: [a('new.example.org', '198.51.100.1')],
      updateOld: [old],
      updateNew: [{ ...old, targets: ['192.0.2.9'], recordTTL: 60 }],
      delete: [a('x.sub.example.com', '192.0.2.3', '192.0.2.2')],
    });
    assert.equal(p.applyCount, 2);
    const all = (await p.records(signal)).map((e) => `${e.dnsName} ${e.recordTTL} ${e.targets.join(',')}`).sort();
    assert.deepEqual(all, ['new.example.org 300 198.51.100.1', 'www.example.com 60 192.0.2.9']);
  });

  test('keeps records apart by set identifier and type', async () => {
    const p = createInMemoryProvider({ zones: ['example.com'] });
    await apply(p, {
      create: [
        ep({ dnsName: 'w.example.com', recordType: 'A', targets: ['192.0.2.1'], setIdentifier: 'eu' }),
        ep({ dnsName: 'w.example.com', recordType: 'A', targets: ['192.0.2.2'], setIdentifier: 'us' }),
        ep({ dnsName: 'w.example.com', recordType: 'TXT', targets: ['"hello"'] }),
      ],
    });
    assert.equal(p.zoneRecords('example.com').length, 3);
  });

  describe('strict validation, all or nothing', () => {
    const cases: { name: string; changes: () => Partial<Changes>; code: string; naming: string }[] = [
      { name: 'create of an existing record set', changes: () => ({ create: [a('ok.example.com', '192.0.2.5'), a('www.example.com', '192.0.2.7')] }), code: 'EXTDNS_INMEMORY_RECORD_EXISTS', naming: 'www.example.com' },
      { name: 'delete of a missing record set', changes: () => ({ create: [a('ok.example.com', '192.0.2.5')], delete: [a('gone.example.com', '192.0.2.1')] }), code: 'EXTDNS_INMEMORY_RECORD_NOT_FOUND', naming: 'gone.example.com' },
      { name: 'update of a missing record set', changes: () => ({ updateOld: [a('gone.example.com', '192.0.2.1')], updateNew: [a('gone.example.com', '192.0.2.2')] }), code: 'EXTDNS_INMEMORY_RECORD_NOT_FOUND', naming: 'gone.example.com' },
      { name: 'delete with other targets than held', changes: () => ({ delete: [a('x.sub.example.com', '192.0.2.2')] }), code: 'EXTDNS_INMEMORY_RECORD_MISMATCH', naming: 'x.sub.example.com' },
      { name: 'update whose old targets differ', changes: () => ({ updateOld: [a('www.example.com', '192.0.2.99')], updateNew: [a('www.example.com', '192.0.2.2')] }), code: 'EXTDNS_INMEMORY_RECORD_MISMATCH', naming: 'www.example.com' },
      { name: 'the same key twice in one batch', changes: () => ({ create: [a('twice.example.com', '192.0.2.1'), a('twice.example.com', '192.0.2.2')] }), code: 'EXTDNS_INMEMORY_DUPLICATE_CHANGE', naming: 'twice.example.com' },
      { name: 'update and delete of one key', changes: () => ({ updateOld: [a('www.example.com', '192.0.2.1')], updateNew: [a('www.example.com', '192.0.2.2')], delete: [a('www.example.com', '192.0.2.1')] }), code: 'EXTDNS_INMEMORY_DUPLICATE_CHANGE', naming: 'www.example.com' },
      { name: 'unpaired updates', changes: () => ({ updateOld: [a('www.example.com', '192.0.2.1')] }), code: 'EXTDNS_INMEMORY_DUPLICATE_CHANGE', naming: 'updateOld has 1' },
      { name: 'a record in no zone', changes: () => ({ create: [a('ok.example.com', '192.0.2.5'), a('www.example.net', '192.0.2.1')] }), code: 'EXTDNS_INMEMORY_NO_ZONE', naming: 'www.example.net' },
    ];
    for (const c of cases) {
      test(`${c.name} is rejected and nothing changes`, async () => {
        const p = await seeded();
        const before = await p.records(signal);
        await rejectsWith(p, c.changes(), c.code, c.naming);
        assert.deepEqual(await p.records(signal), before);
        assert.equal(p.applyCount, 1);
      });
    }

    test('the error names every offending record', async () => {
      const p = await seeded();
      await assert.rejects(apply(p, { delete: [a('one.example.com', '192.0.2.1'), a('two.example.com', '192.0.2.1')] }), /one\.example\.com.*two\.example\.com/);
    });
  });

  test('zones: createZone adds one, twice is an error, unknown zones are an error', async () => {
    const p = createInMemoryProvider({ zones: [] });
    await rejectsWith(p, { create: [a('www.example.com', '192.0.2.1')] }, 'EXTDNS_INMEMORY_NO_ZONE', 'www.example.com');
    p.createZone('example.com.');
    await apply(p, { create: [a('www.example.com', '192.0.2.1')] });
    assert.throws(() => { p.createZone('Example.com'); }, (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_INMEMORY_ZONE_EXISTS');
    assert.throws(() => p.zoneRecords('example.net'), (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_INMEMORY_ZONE_NOT_FOUND');
  });

  test('two instances share no state', async () => {
    const p1 = await seeded();
    const p2 = createInMemoryProvider({ zones: ['example.com'] });
    assert.equal((await p1.records(signal)).length, 2);
    assert.deepEqual(await p2.records(signal), []);
  });

  test('adjustEndpoints is identity and domainFilter is the one given', async () => {
    const filter = { match: (n: string) => n.endsWith('example.com'), isConfigured: () => true, toWire: () => ({ include: ['example.com'] }) };
    const p = createInMemoryProvider({ zones: ['example.com'], domainFilter: filter });
    const input = [a('Web.Example.com', '192.0.2.1')];
    assert.deepEqual(await p.adjustEndpoints(input), input);
    assert.equal(p.domainFilter(), filter);
    assert.equal(createInMemoryProvider({ zones: [] }).domainFilter().isConfigured(), false);
  });

  test('stores labels and provider-specific properties as given', async () => {
    const p = createInMemoryProvider({ zones: ['example.com'] });
    const rec = ep({ dnsName: 'l.example.com', recordType: 'CNAME', targets: ['t.example.net'], labels: { owner: 'me' }, providerSpecific: [{ name: 'alias', value: 'false' }] });
    await apply(p, { create: [rec] });
    assert.deepEqual(await p.records(signal), [rec]);
  });
});
