import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import { countCandidates, resolveCreate, resolveRecordTypes, resolveSlot, resolveUpdate, withCandidate, type Candidates, type TypeSlot } from './conflict.ts';

const ep = (type: string, targets: string[], resource?: string): Endpoint =>
  newEndpoint({ dnsName: 'x.example.com', recordType: type, targets, labels: resource === undefined ? {} : { resource } });

test('resolveCreate takes the least targets whatever the input order; first of equals', () => {
  const a = ep('A', ['10.0.0.1', '10.0.0.2']);
  const b = ep('A', ['10.0.0.9']);
  const c = ep('A', ['9.0.0.1']);
  assert.equal(resolveCreate([a, b, c]), c);
  assert.equal(resolveCreate([c, b, a]), c);
  const twin = ep('A', ['9.0.0.1'], 'other');
  assert.equal(resolveCreate([c, twin]), c);
  assert.equal(resolveCreate([twin, c]), twin);
  assert.throws(() => resolveCreate([]));
});

test('resolveUpdate keeps the resource that holds the record, else the least', () => {
  const current = ep('A', ['10.0.0.1'], 'service/ns/holder');
  const holder = ep('A', ['10.0.0.5'], 'service/ns/holder');
  const rival = ep('A', ['1.1.1.1'], 'service/ns/rival');
  assert.equal(resolveUpdate(current, [rival, holder]), holder);
  assert.equal(resolveUpdate(ep('A', ['10.0.0.1'], 'gone'), [holder, rival]), rival);
  // No resource label on either side counts as the same holder (Go's zero value).
  const unlabelled = ep('A', ['10.0.0.7']);
  assert.equal(resolveUpdate(ep('A', ['10.0.0.1']), [rival, unlabelled]), unlabelled);
});

test('resolveRecordTypes drops CNAME candidates only when mixed with other types (RFC 1034 §3.6.2)', () => {
  const slot = (type: string, candidates: Endpoint[], current?: Endpoint): TypeSlot => ({ recordType: type, current, candidates });
  const cnameCurrent = ep('CNAME', ['lb.example.net']);
  const mixed = [slot('CNAME', [ep('CNAME', ['lb.example.net'])], cnameCurrent), slot('A', [ep('A', ['1.1.1.1'])])];
  const resolved = resolveRecordTypes(mixed, 2);
  assert.deepEqual(resolved.map((s) => [s.recordType, countCandidates(s.candidates), s.current !== undefined]), [['CNAME', 0, true], ['A', 1, false]]);
  assert.equal(countCandidates(mixed[0]?.candidates), 1, 'input slots are not changed');
  const cnamesOnly = [slot('CNAME', [ep('CNAME', ['a.example']), ep('CNAME', ['b.example'])])];
  assert.equal(resolveRecordTypes(cnamesOnly, 2), cnamesOnly);
  const single = mixed.slice(0, 1);
  assert.equal(resolveRecordTypes(single, 1), single, 'one candidate is never a conflict');
});

test('a slot holds one candidate without a list and several in one; resolveSlot picks as resolveCreate/resolveUpdate', () => {
  const holder = ep('A', ['10.0.0.5'], 'service/ns/holder');
  const rival = ep('A', ['1.1.1.1'], 'service/ns/rival');
  const third = ep('A', ['2.2.2.2'], 'service/ns/third');
  let candidates: Candidates;
  assert.equal(countCandidates(candidates), 0);
  assert.equal(resolveSlot(undefined, candidates), undefined, 'no candidate: nothing to create');
  candidates = withCandidate(candidates, holder);
  assert.equal(candidates, holder, 'one candidate is kept as is');
  candidates = withCandidate(withCandidate(candidates, rival), third);
  assert.deepEqual(candidates, [holder, rival, third]);
  assert.equal(countCandidates(candidates), 3);
  assert.equal(resolveSlot(undefined, candidates), rival, 'create: the least targets');
  assert.equal(resolveSlot(ep('A', ['10.0.0.1'], 'service/ns/holder'), candidates), holder, 'update: the holding resource');
  assert.equal(resolveSlot(ep('A', ['10.0.0.1']), holder), holder, 'a single candidate wins an update outright');
  assert.equal(resolveSlot(ep('A', ['10.0.0.1']), []), undefined, 'an empty list counts as no candidate');
});
