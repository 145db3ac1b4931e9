/**
 * Properties of the planner over random current/desired sets (docs/safety.md
 * rules 1 ownership and 4 zero churn): convergence after one apply, foreign
 * records never touched, at most one change per record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { endpointKey, newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import { createDomainFilter } from '../endpoint/domain-filter.ts';
import { normalizeDnsName } from '../endpoint/idna.ts';
import { canonicalIp } from '../endpoint/targets.ts';
import { calculate, hasChanges } from './calculate.ts';
import { POLICY_NAMES, type Changes, type PlanInput } from './plan.ts';

const RUNS = 300;
const MANAGED = ['A', 'AAAA', 'CNAME'];
const FILTER = createDomainFilter({ include: ['example.com'], exclude: ['private.example.com'] });

const NAMES = ['a.example.com', 'b.example.com', 'c.private.example.com', 'd.example.org', 'xn--bcher-kva.example.com'];
/** Spellings of the same names that a source might produce: case, trailing dot, Unicode. */
const SPELLINGS: Readonly<Record<string, string[]>> = {
  'a.example.com': ['a.example.com', 'A.Example.com.'],
  'xn--bcher-kva.example.com': ['xn--bcher-kva.example.com', 'Bücher.example.com'],
};
const TARGETS: Readonly<Record<string, string[]>> = {
  A: ['10.0.0.1', '10.0.0.2', '9.0.0.1'],
  AAAA: ['2001:db8::1', '2001:db8::2'],
  CNAME: ['lb.example.net', 'other.example.net'],
  TXT: ['"heritage=external-dns"'],
};
/** Other spellings of a target a provider or source might use. */
const TARGET_SPELLINGS: Readonly<Record<string, string>> = { '2001:db8::1': '2001:0DB8:0:0:0:0:0:1', 'lb.example.net': 'LB.example.net.' };

interface Shape {
  name: string;
  type: string;
  targets: string[];
  setIdentifier: string;
  ttl: number;
  proxied: boolean;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  name: fc.constantFrom(...NAMES),
  type: fc.constantFrom('A', 'AAAA', 'CNAME', 'TXT'),
  pick: fc.array(fc.nat(2), { minLength: 1, maxLength: 2 }),
  setIdentifier: fc.constantFrom('', '', 'eu'),
  ttl: fc.constantFrom(0, 60, 300),
  proxied: fc.boolean(),
}).map(({ name, type, pick, setIdentifier, ttl, proxied }) => {
  const pool = TARGETS[type] ?? [];
  const targets = type === 'CNAME' ? [pool[(pick[0] ?? 0) % pool.length] ?? ''] : [...new Set(pick.map((i) => pool[i % pool.length] ?? ''))];
  return { name, type, targets, setIdentifier, ttl, proxied };
});

function build(s: Shape, labels: Record<string, string>, spell: (text: string, alternatives: readonly string[]) => string): Endpoint {
  return newEndpoint({
    dnsName: spell(s.name, SPELLINGS[s.name] ?? [s.name]),
    recordType: s.type,
    targets: s.targets.map((t) => spell(t, [t, TARGET_SPELLINGS[t] ?? t])),
    setIdentifier: s.setIdentifier,
    recordTTL: s.ttl,
    labels,
    providerSpecific: s.proxied ? [{ name: 'webhook/proxied', value: 'true' }] : [],
  });
}

const current: fc.Arbitrary<Endpoint[]> = fc
  .array(fc.tuple(shape, fc.constantFrom('me', 'me', 'other', undefined), fc.constantFrom('r1', 'r2', undefined)), { maxLength: 10 })
  .map((items) => {
    // A provider holds one record per (name, type, set id).
    const byKey = new Map<string, Endpoint>();
    for (const [s, owner, resource] of items) {
      const labels: Record<string, string> = {};
      if (owner !== undefined) labels['owner'] = owner;
      if (resource !== undefined) labels['resource'] = resource;
      const ep = build(s, labels, (text) => text);
      byKey.set(endpointKey(ep), ep);
    }
    return [...byKey.values()];
  });

const desired: fc.Arbitrary<Endpoint[]> = fc
  .array(fc.tuple(shape, fc.constantFrom('r1', 'r2', undefined), fc.nat(1)), { maxLength: 10 })
  .map((items) => items.map(([s, resource, spelling]) =>
    build(s, resource === undefined ? {} : { resource }, (text, alternatives) => alternatives[spelling % alternatives.length] ?? text)));

const settings = fc.record({
  ownerId: fc.constantFrom('me', 'me', ''),
  policy: fc.constantFrom(...POLICY_NAMES),
  filtered: fc.boolean(),
});

function input(cur: Endpoint[], des: Endpoint[], s: { ownerId: string; policy: PlanInput['policy']; filtered: boolean }): PlanInput {
  return {
    current: cur, desired: des, policy: s.policy, domainFilters: s.filtered ? [FILTER] : [],
    managedRecordTypes: MANAGED, excludeRecordTypes: [], ownerId: s.ownerId, oldOwnerId: '',
  };
}

/** How a provider stores what it is sent: canonical name and targets (it reads them back that way). */
function stored(ep: Endpoint, ownerId: string): Endpoint {
  const labels = ownerId === '' ? ep.labels : { ...ep.labels, owner: ownerId };
  const targets = ep.targets.map((t) => canonicalIp(t) ?? t.toLowerCase().replace(/\.$/, ''));
  return { ...ep, dnsName: normalizeDnsName(ep.dnsName), targets, labels };
}

/** What a provider + registry would hold after applying `changes`. */
function apply(state: readonly Endpoint[], changes: Changes, ownerId: string): Endpoint[] {
  const model = new Map(state.map((ep) => [endpointKey(ep), ep]));
  for (const ep of [...changes.delete, ...changes.updateOld]) assert.ok(model.delete(endpointKey(ep)), `applied a change to a missing record ${endpointKey(ep)}`);
  for (const ep of [...changes.create, ...changes.updateNew]) {
    const record = stored(ep, ownerId);
    model.set(endpointKey(record), record);
  }
  return [...model.values()];
}

const rowKey = (ep: Endpoint): string => `${normalizeDnsName(ep.dnsName)}|${ep.setIdentifier}`;
const recordKey = (ep: Endpoint): string => `${rowKey(ep)}|${ep.recordType}`;

test('(a) apply the plan, plan again with the same desired state: no changes', () => {
  fc.assert(fc.property(current, desired, settings, (cur, des, s) => {
    const first = calculate(input(cur, des, s)).changes;
    const after = apply(cur, first, s.ownerId);
    const second = calculate(input(after, des, s)).changes;
    assert.equal(hasChanges(second), false, `second plan: ${JSON.stringify(second)}`);
  }), { numRuns: RUNS });
});

test('(b) foreign records are never named in a delete or update, and never get a create beside them', () => {
  fc.assert(fc.property(current, desired, settings.filter((s) => s.ownerId !== ''), (cur, des, s) => {
    const { changes } = calculate(input(cur, des, s));
    for (const ep of [...changes.delete, ...changes.updateOld, ...changes.updateNew]) {
      assert.equal(ep.labels['owner'], s.ownerId, `touched ${endpointKey(ep)} owned by ${String(ep.labels['owner'])}`);
    }
    const inScope = (ep: Endpoint) => MANAGED.includes(ep.recordType) && (!s.filtered || FILTER.match(ep.dnsName));
    const foreignRows = new Set(cur.filter((ep) => inScope(ep) && ep.labels['owner'] !== s.ownerId).map(rowKey));
    for (const ep of changes.create) assert.ok(!foreignRows.has(rowKey(ep)), `created ${endpointKey(ep)} beside a foreign record`);
  }), { numRuns: RUNS });
});

test('(c) at most one change per record (name up to case and IDNA form, type, set id)', () => {
  fc.assert(fc.property(current, desired, settings, (cur, des, s) => {
    const { changes } = calculate(input(cur, des, s));
    assert.equal(changes.updateOld.length, changes.updateNew.length);
    changes.updateOld.forEach((old, i) => {
      assert.equal(recordKey(old), recordKey(changes.updateNew[i] ?? old));
    });
    const keys = [...changes.create, ...changes.updateOld, ...changes.delete].map(recordKey);
    assert.equal(new Set(keys).size, keys.length, `duplicate keys in ${keys.join(', ')}`);
  }), { numRuns: RUNS });
});
