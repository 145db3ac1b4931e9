import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import type { SyncResult } from '../controller/controller.ts';
import type { Changes } from '../plan/plan.ts';
import { explain, type ExplainInput } from './explain.ts';

const ep = (name: string, targets: string[], labels: Record<string, string> = {}, recordType = 'A'): Endpoint =>
  newEndpoint({ dnsName: name, recordType, targets, labels });
const none = (): Changes => ({ create: [], updateOld: [], updateNew: [], delete: [] });

function input(over: Omit<Partial<ExplainInput>, 'result'> & { result?: Partial<SyncResult> }): ExplainInput {
  const { result, ...rest } = over;
  return {
    name: 'app.example.org', ownerId: 'me', policy: 'sync', desired: [], unfiltered: undefined, current: [],
    plan: { changes: none(), skippedOwnerMismatch: [] },
    filters: { domainKeeps: true, domainFilterText: '--domain-filter=example.org', annotationFilter: '', labelFilter: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [] },
    ...rest,
    result: { changes: none(), applied: false, held: undefined, fencedDeletes: 0, failedSources: [], ownerMismatches: 0, noop: true, refused: [], ...result },
  };
}

const ours = ep('app.example.org', ['192.0.2.1'], { owner: 'me', resource: 'ingress/web/app' });

test('a delete the brake holds: "held", with the release time and --allow-mass-delete', () => {
  const plan = { changes: { ...none(), delete: [ours] }, skippedOwnerMismatch: [] };
  const held = { count: 40, limit: 10, owned: 100, sample: [], since: 0, releaseAt: Date.UTC(2026, 0, 1, 0, 5) };
  const e = explain(input({ current: [ours], plan, result: { held } }));
  assert.deepEqual(e.decisions, [{ recordType: 'A', action: 'held', why: 'the delete brake holds this sync\'s 40 deletes (limit 10)' }]);
  assert.ok(e.hints.some((h) => h.includes('2026-01-01T00:05:00.000Z') && h.includes('--allow-mass-delete')), e.hints.join('\n'));
  assert.equal(e.changes, false);
});

test('a fenced delete names the failed source; a refused endpoint gives the reason', () => {
  const plan = { changes: { ...none(), delete: [ours] }, skippedOwnerMismatch: [] };
  const fenced = explain(input({ current: [ours], plan, result: { failedSources: ['ingress'], fencedDeletes: 1 } }));
  assert.match(fenced.decisions[0]?.why ?? '', /source\(s\) ingress failed/);
  const bad = ep('app.example.org', ['not an ip'], { resource: 'service/default/app' });
  const refused = explain(input({ desired: [bad], result: { refused: [{ endpoint: bad, reason: 'target "not an ip" is not an IPv4 address' }] } }));
  assert.deepEqual(refused.decisions.map((d) => [d.action, d.why]), [['refused', 'refused before the plan: target "not an ip" is not an IPv4 address']]);
});

test('two objects ask for one record: the conflict rule is named; a hand-made record is nobody\'s; an unmanaged type is dropped', () => {
  const a = ep('app.example.org', ['192.0.2.1'], { resource: 'service/default/a' });
  const b = ep('app.example.org', ['192.0.2.2'], { resource: 'service/default/b' });
  const manual = ep('app.example.org', ['192.0.2.9']);
  const skipped = [{ dnsName: 'app.example.org', recordType: 'A', foreignOwner: '' }];
  const e = explain(input({ desired: [a, b], current: [manual], plan: { changes: none(), skippedOwnerMismatch: skipped } }));
  assert.deepEqual(e.provider, [{ recordType: 'A', targets: ['192.0.2.9'], ownedBy: 'none', owner: '' }]);
  assert.equal(e.decisions[0]?.action, 'skip');
  assert.match(e.decisions[0]?.why ?? '', /no ownership TXT/);
  assert.ok(e.hints.some((h) => h.startsWith('2 objects ask for app.example.org A: one wins')), e.hints.join('\n'));
  const mx = ep('app.example.org', ['10 mail.example.org'], { resource: 'crd/default/mail' }, 'MX');
  const unmanaged = explain(input({ desired: [mx] }));
  assert.deepEqual(unmanaged.filters.at(-1), { filter: 'record type MX', verdict: 'drops', detail: 'not in --managed-record-types=A,AAAA,CNAME' });
  assert.match(unmanaged.decisions[0]?.why ?? '', /^ignored: record type MX/);
  assert.ok(unmanaged.hints.some((h) => h.includes('--managed-record-types')));
  assert.equal(unmanaged.sources[0]?.rule, 'spec.endpoints[].dnsName of the DNSEndpoint');
});
