import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint, type EndpointInit } from '../endpoint/endpoint.ts';
import { createDomainFilter } from '../endpoint/domain-filter.ts';
import { calculate, hasChanges } from './calculate.ts';
import { emptyChanges, type Changes, type PlanInput } from './plan.ts';

const OWNER = 'me';

type Init = Partial<EndpointInit> & { owner?: string; resource?: string };

/** `rec('www.example.com A 1.1.1.1 2.2.2.2', {...})`: name, type, targets in one string. */
function rec(spec: string, init: Init = {}): Endpoint {
  const [dnsName = '', recordType = '', ...targets] = spec.split(' ');
  const labels: Record<string, string> = { ...(init.labels ?? {}) };
  if (init.owner !== undefined) labels['owner'] = init.owner;
  if (init.resource !== undefined) labels['resource'] = init.resource;
  return newEndpoint({ dnsName, recordType, targets, ...init, labels });
}

const mine = (spec: string, init: Init = {}): Endpoint => rec(spec, { owner: OWNER, ...init });

function plan(current: Endpoint[], desired: Endpoint[], overrides: Partial<PlanInput> = {}) {
  return calculate({
    current, desired, policy: 'sync', domainFilters: [], managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    excludeRecordTypes: [], ownerId: OWNER, oldOwnerId: '', ...overrides,
  });
}

/** A compact, order-independent view: `create www.example.com A [1.1.1.1]`. */
function summary(changes: Changes): string[] {
  const line = (kind: string) => (ep: Endpoint) =>
    `${kind} ${ep.dnsName} ${ep.recordType}${ep.setIdentifier === '' ? '' : `/${ep.setIdentifier}`} [${ep.targets.join(',')}]`;
  return [
    ...changes.create.map(line('create')),
    ...changes.updateOld.map(line('old')),
    ...changes.updateNew.map(line('new')),
    ...changes.delete.map(line('delete')),
  ].sort();
}

test('create: a desired record with no current record', () => {
  const { changes } = plan([], [rec('www.example.com A 1.1.1.1')]);
  assert.deepEqual(summary(changes), ['create www.example.com A [1.1.1.1]']);
});

test('create: several types on a new name are all created', () => {
  const { changes } = plan([], [rec('www.example.com A 1.1.1.1'), rec('www.example.com AAAA ::1')]);
  assert.deepEqual(summary(changes), ['create www.example.com A [1.1.1.1]', 'create www.example.com AAAA [::1]']);
});

test('delete: an owned record nobody wants any more', () => {
  const { changes } = plan([mine('old.example.com A 1.1.1.2')], []);
  assert.deepEqual(summary(changes), ['delete old.example.com A [1.1.1.2]']);
});

test('delete: a type the row no longer wants, while another type stays', () => {
  const { changes } = plan([mine('www.example.com A 1.1.1.1'), mine('www.example.com AAAA ::1')], [rec('www.example.com A 1.1.1.1')]);
  assert.deepEqual(summary(changes), ['delete www.example.com AAAA [::1]']);
});

test('update: TTL only when the desired TTL is set and differs', () => {
  const current = [mine('www.example.com A 1.1.1.1', { recordTTL: 300 })];
  assert.deepEqual(summary(plan(current, [rec('www.example.com A 1.1.1.1', { recordTTL: 60 })]).changes),
    ['new www.example.com A [1.1.1.1]', 'old www.example.com A [1.1.1.1]']);
  assert.equal(hasChanges(plan(current, [rec('www.example.com A 1.1.1.1', { recordTTL: 0 })]).changes), false);
  assert.equal(hasChanges(plan(current, [rec('www.example.com A 1.1.1.1', { recordTTL: 300 })]).changes), false);
});

test('update: targets differ', () => {
  const { changes } = plan([mine('www.example.com A 1.1.1.1 1.1.1.3')], [rec('www.example.com A 1.1.1.3')]);
  assert.deepEqual(summary(changes), ['new www.example.com A [1.1.1.3]', 'old www.example.com A [1.1.1.1,1.1.1.3]']);
  assert.equal(changes.updateNew[0]?.labels['owner'], OWNER);
});

test('no change: names and targets equal up to case, trailing dot, order and IPv6 spelling', () => {
  const current = [
    mine('www.example.com CNAME lb.example.net'),
    mine('v6.example.com AAAA 2001:db8::1 2001:db8::2'),
    mine('multi.example.com A 1.1.1.1 2.2.2.2'),
  ];
  const desired = [
    rec('WWW.Example.com. CNAME LB.example.NET.'),
    rec('v6.example.com AAAA 2001:0db8:0:0:0:0:0:2 2001:DB8::1'),
    rec('multi.example.com A 2.2.2.2 1.1.1.1'),
  ];
  assert.deepEqual(summary(plan(current, desired).changes), []);
});

test('update: provider-specific properties added, removed or changed', () => {
  const cur = (ps: { name: string; value: string }[]) => [mine('www.example.com A 1.1.1.1', { providerSpecific: ps })];
  const want = (ps: { name: string; value: string }[]) => [rec('www.example.com A 1.1.1.1', { providerSpecific: ps })];
  const p = { name: 'webhook/proxied', value: 'true' };
  assert.equal(plan(cur([]), want([p])).changes.updateNew.length, 1);
  assert.equal(plan(cur([p]), want([])).changes.updateNew.length, 1);
  assert.equal(plan(cur([p]), want([{ ...p, value: 'false' }])).changes.updateNew.length, 1);
  assert.equal(plan(cur([p, { name: 'a', value: '1' }]), want([{ name: 'a', value: '1' }, p])).changes.updateNew.length, 0);
  // The TXT registry marks an owned record whose TXT is missing; the update recreates the TXT.
  assert.equal(plan(cur([{ name: 'txt/force-update', value: 'true' }]), want([])).changes.updateNew.length, 1);
});

test('set identifiers are separate rows', () => {
  const current = [mine('www.example.com A 1.1.1.1', { setIdentifier: 'eu' })];
  const desired = [rec('www.example.com A 1.1.1.1', { setIdentifier: 'eu' }), rec('www.example.com A 2.2.2.2', { setIdentifier: 'us' })];
  assert.deepEqual(summary(plan(current, desired).changes), ['create www.example.com A/us [2.2.2.2]']);
  assert.deepEqual(summary(plan(current, [rec('www.example.com A 1.1.1.1')]).changes),
    ['create www.example.com A [1.1.1.1]', 'delete www.example.com A/eu [1.1.1.1]']);
});

test('owner mismatch: no create next to a foreign record, and the skip is reported', () => {
  const current = [rec('api.example.com A 1.1.1.7', { owner: 'other' })];
  const result = plan(current, [rec('api.example.com A 1.1.1.7'), rec('api.example.com AAAA ::7')]);
  assert.deepEqual(summary(result.changes), []);
  assert.deepEqual(result.skippedOwnerMismatch, [{ dnsName: 'api.example.com', recordType: 'A', foreignOwner: 'other' }]);
  // A record with no owner label at all is foreign too.
  const unlabelled = plan([rec('api.example.com A 1.1.1.7')], [rec('api.example.com AAAA ::7')]);
  assert.deepEqual(summary(unlabelled.changes), []);
  assert.equal(unlabelled.skippedOwnerMismatch[0]?.foreignOwner, '');
});

test('create next to our own records in the row goes ahead', () => {
  const result = plan([mine('api.example.com A 1.1.1.7')], [rec('api.example.com A 1.1.1.7'), rec('api.example.com AAAA ::7')]);
  assert.deepEqual(summary(result.changes), ['create api.example.com AAAA [::7]']);
  assert.deepEqual(result.skippedOwnerMismatch, []);
});

test('foreign records are never updated or deleted', () => {
  const current = [rec('a.example.com A 1.1.1.1', { owner: 'other' }), rec('b.example.com A 1.1.1.1'), rec('c.example.com A 1.1.1.1', { owner: 'other' })];
  const desired = [rec('a.example.com A 9.9.9.9')];
  assert.deepEqual(summary(plan(current, desired).changes), []);
});

test('noop registry (owner id ""): everything in scope is managed', () => {
  const current = [rec('a.example.com A 1.1.1.1', { owner: 'other' }), rec('b.example.com A 1.1.1.1')];
  const desired = [rec('a.example.com A 9.9.9.9'), rec('a.example.com AAAA ::9')];
  const result = plan(current, desired, { ownerId: '' });
  assert.deepEqual(summary(result.changes),
    ['create a.example.com AAAA [::9]', 'delete b.example.com A [1.1.1.1]', 'new a.example.com A [9.9.9.9]', 'old a.example.com A [1.1.1.1]']);
});

test('migrate-from-txt-owner: records not yet carrying the old owner id are rewritten once', () => {
  const current = [mine('a.example.com A 1.1.1.1'), rec('b.example.com A 1.1.1.1', { owner: 'legacy' })];
  const desired = [rec('a.example.com A 1.1.1.1'), rec('b.example.com A 1.1.1.1')];
  const result = plan(current, desired, { oldOwnerId: 'legacy' });
  // b still belongs to "legacy" as far as the plan sees it, so the ownership filter keeps it out.
  assert.deepEqual(summary(result.changes), ['new a.example.com A [1.1.1.1]', 'old a.example.com A [1.1.1.1]']);
  assert.equal(hasChanges(plan(current, desired).changes), false);
});

test('UpdateNew carries the current owner and keeps labels only the current record has', () => {
  const current = [mine('a.example.com A 1.1.1.1', { resource: 'service/ns/a', labels: { 'txt-encryption-nonce': 'n1' } })];
  const desired = [rec('a.example.com A 2.2.2.2', { resource: 'service/ns/a', labels: { owner: 'someone-else' } })];
  const next = plan(current, desired).changes.updateNew[0];
  assert.deepEqual(next?.labels, { owner: OWNER, resource: 'service/ns/a', 'txt-encryption-nonce': 'n1' });
});

test('policies', () => {
  const current = [mine('del.example.com A 1.1.1.1'), mine('upd.example.com A 1.1.1.1')];
  const desired = [rec('upd.example.com A 2.2.2.2'), rec('new.example.com A 3.3.3.3')];
  assert.deepEqual(summary(plan(current, desired, { policy: 'sync' }).changes),
    ['create new.example.com A [3.3.3.3]', 'delete del.example.com A [1.1.1.1]', 'new upd.example.com A [2.2.2.2]', 'old upd.example.com A [1.1.1.1]']);
  assert.deepEqual(summary(plan(current, desired, { policy: 'upsert-only' }).changes),
    ['create new.example.com A [3.3.3.3]', 'new upd.example.com A [2.2.2.2]', 'old upd.example.com A [1.1.1.1]']);
  assert.deepEqual(summary(plan(current, desired, { policy: 'create-only' }).changes), ['create new.example.com A [3.3.3.3]']);
});

test('conflict: CNAME mixed with A on one name → A wins, a current CNAME is deleted', () => {
  const desired = [rec('x.example.com CNAME lb.example.net'), rec('x.example.com A 1.1.1.1')];
  assert.deepEqual(summary(plan([], desired).changes), ['create x.example.com A [1.1.1.1]']);
  assert.deepEqual(summary(plan([mine('x.example.com CNAME lb.example.net')], desired).changes),
    ['create x.example.com A [1.1.1.1]', 'delete x.example.com CNAME [lb.example.net]']);
});

test('conflict: two resources want one record; create takes the least targets, update keeps the holder', () => {
  const a = rec('x.example.com A 10.0.0.2', { resource: 'service/ns/a' });
  const b = rec('x.example.com A 9.0.0.1', { resource: 'service/ns/b' });
  assert.deepEqual(summary(plan([], [a, b]).changes), ['create x.example.com A [9.0.0.1]']);
  assert.deepEqual(summary(plan([], [b, a]).changes), ['create x.example.com A [9.0.0.1]']);
  const held = [mine('x.example.com A 10.0.0.1', { resource: 'service/ns/a' })];
  assert.deepEqual(summary(plan(held, [b, a]).changes), ['new x.example.com A [10.0.0.2]', 'old x.example.com A [10.0.0.1]']);
});

test('domain filters: every filter must match, for current and desired alike', () => {
  const filters = [createDomainFilter({ include: ['example.com'], exclude: ['private.example.com'] }), createDomainFilter({ exclude: ['skip.example.com'] })];
  const current = [mine('gone.example.org A 1.1.1.1'), mine('db.private.example.com A 1.1.1.1')];
  const desired = [rec('www.example.com A 1.1.1.1'), rec('www.example.org A 1.1.1.1'), rec('a.skip.example.com A 1.1.1.1'), rec('x.private.example.com A 1.1.1.1')];
  assert.deepEqual(summary(plan(current, desired, { domainFilters: filters }).changes), ['create www.example.com A [1.1.1.1]']);
});

test('managed and excluded record types', () => {
  const current = [mine('t.example.com TXT "x"'), mine('m.example.com MX', { targets: ['10 mail.example.com'] })];
  const desired = [rec('a.example.com A 1.1.1.1'), rec('n.example.com NS ns1.example.com'), rec('c.example.com CNAME x.example.net')];
  assert.deepEqual(summary(plan(current, desired).changes), ['create a.example.com A [1.1.1.1]', 'create c.example.com CNAME [x.example.net]']);
  assert.deepEqual(summary(plan(current, desired, { managedRecordTypes: ['A', 'CNAME', 'MX', 'NS'], excludeRecordTypes: ['CNAME'] }).changes),
    ['create a.example.com A [1.1.1.1]', 'create n.example.com NS [ns1.example.com]', 'delete m.example.com MX [10 mail.example.com]']);
});

test('input endpoints are never mutated, and results are copies', () => {
  const current = [mine('a.example.com A 1.1.1.1', { resource: 'r' }), mine('b.example.com A 1.1.1.1')];
  const desired = [rec('a.example.com A 2.2.2.2', { resource: 'r' }), rec('c.example.com A 3.3.3.3 1.1.1.1')];
  const before = structuredClone({ current, desired });
  const { changes } = plan(current, desired);
  assert.deepEqual({ current, desired }, before);
  for (const ep of [...changes.create, ...changes.updateOld, ...changes.updateNew, ...changes.delete]) {
    assert.ok(![...current, ...desired].includes(ep));
  }
});

test('duplicate deletes of one key are reported once', () => {
  const dup = mine('a.example.com A 1.1.1.1');
  assert.equal(plan([dup, { ...dup }], []).changes.delete.length, 1);
});

test('hasChanges: creates, deletes, or an update whose new form differs', () => {
  const a = rec('a.example.com A 1.1.1.1');
  assert.equal(hasChanges(emptyChanges()), false);
  assert.equal(hasChanges({ ...emptyChanges(), create: [a] }), true);
  assert.equal(hasChanges({ ...emptyChanges(), delete: [a] }), true);
  assert.equal(hasChanges({ ...emptyChanges(), updateOld: [a], updateNew: [{ ...a }] }), false);
  assert.equal(hasChanges({ ...emptyChanges(), updateOld: [a], updateNew: [{ ...a, recordTTL: 5 }] }), true);
  assert.equal(hasChanges({ ...emptyChanges(), updateOld: [a], updateNew: [{ ...a, labels: { owner: 'x' } }] }), true);
});

test('two current records of one type whose names differ only in case: both count', () => {
  const lower = mine('a.example.com A 1.1.1.1');
  const upper = rec('A.example.com A 1.1.1.1', { owner: 'other' });
  // Nobody wants the name: ours goes, the foreign one stays.
  assert.deepEqual(summary(plan([lower, upper], []).changes), ['delete a.example.com A [1.1.1.1]']);
  // The foreign one still blocks a create beside it even though the slot compares against ours.
  const result = plan([upper, lower], [rec('a.example.com A 1.1.1.1'), rec('a.example.com AAAA ::1')]);
  assert.deepEqual(summary(result.changes), []);
  assert.equal(result.skippedOwnerMismatch[0]?.foreignOwner, 'other');
});
