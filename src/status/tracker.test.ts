import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint } from '../endpoint/endpoint.ts';
import type { SyncResult } from '../controller/controller.ts';
import type { PlanResult } from '../plan/plan.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { renderStatusPage } from './html.ts';
import { StatusTracker, zoneCounts } from './tracker.ts';
import { connectionStatus } from './trust.ts';
import type { TrustReport } from '../tls/tls.ts';

const owned = (name: string, owner = 'me', type = 'A'): Endpoint => newEndpoint({ dnsName: name, recordType: type, targets: ['192.0.2.1'], labels: { owner } });
const bare = (name: string): Endpoint => newEndpoint({ dnsName: name, recordType: 'A', targets: ['192.0.2.9'] });

function plan(changes: Partial<PlanResult['changes']>, skipped = 0): PlanResult {
  return {
    changes: { create: [], updateOld: [], updateNew: [], delete: [], ...changes },
    skippedOwnerMismatch: Array.from({ length: skipped }, (_, i) => ({ dnsName: `x${i}.a.test`, recordType: 'A', foreignOwner: 'other' })),
  };
}

function result(over: Partial<SyncResult>): SyncResult {
  return {
    changes: { create: [], updateOld: [], updateNew: [], delete: [] }, applied: false, held: undefined, fencedDeletes: 0, failedSources: [],
    ownerMismatches: 0, noop: true, refused: [], ...over,
  };
}

function tracker(clock = new FakeClock()): { t: StatusTracker; observer: ReturnType<StatusTracker['attach']>; clock: FakeClock } {
  const t = new StatusTracker({ version: '1.2.3', clock });
  const observer = t.attach({ ownerId: 'me', providerName: 'inmemory', policy: 'sync', dryRun: false, zones: ['a.test', 'sub.a.test'], trustStores: [], providerStats: undefined });
  return { t, observer, clock };
}

test('zone counts: a name is ours if any record is, foreign if another owner has one, else unmanaged; grouped by the longest zone', () => {
  const zones = zoneCounts([
    owned('www.a.test'), owned('www.a.test', 'me', 'AAAA'), owned('mixed.a.test', 'other'), owned('mixed.a.test', 'me', 'TXT'),
    owned('theirs.a.test', 'other'), bare('manual.a.test'), bare('a.test'), owned('deep.sub.a.test'), owned('x.elsewhere.org', 'other'),
  ], 'me', ['a.test', 'sub.a.test']);
  assert.deepEqual(zones.map((z) => [z.zone, z.owned, z.foreign, z.unmanaged, z.ownedNames.join(' ')]), [
    ['a.test', 2, 1, 2, 'mixed.a.test www.a.test'],
    ['elsewhere.org', 0, 1, 0, ''],
    ['sub.a.test', 1, 0, 0, 'deep.sub.a.test'],
  ]);
});

test('a sync: last sync in RFC 3339 with its counts, pending = planned minus applied, applied creates count as owned', async () => {
  const { t, observer, clock } = tracker();
  assert.equal(t.snapshot().lastSync, null);
  observer.syncStarted?.();
  observer.registryRead?.([owned('old.a.test'), owned('keep.a.test')]);
  const wanted = plan({ create: [bare('new.a.test')], delete: [owned('old.a.test')] }, 2);
  observer.planned?.(wanted);
  await clock.advance(1500);
  observer.syncSucceeded?.(result({ changes: wanted.changes, applied: true, noop: false }), 1500);
  const s = t.snapshot();
  assert.deepEqual(s.lastSync, { time: '2026-11-28T12:00:00.000Z', result: 'ok', durationSeconds: 1.5, creates: 1, updates: 0, deletes: 1 });
  assert.deepEqual(s.pending, { creates: 0, updates: 0, deletes: 0, ownerMismatches: 2 });
  assert.deepEqual(s.zones[0]?.ownedNames, ['keep.a.test', 'new.a.test']);
  assert.equal(s.generatedAt, '2026-11-28T12:00:01.500Z');
});

test('held deletes name the release; a fenced sync shows the failed sources; held/fence clear on the next clean sync', () => {
  const { t, observer } = tracker();
  observer.syncStarted?.();
  observer.planned?.(plan({ delete: [owned('a.a.test'), owned('b.a.test')] }));
  const held = { count: 2, limit: 1, owned: 3, sample: ['a.a.test', 'b.a.test'], since: Date.UTC(2026, 0, 1), releaseAt: Date.UTC(2026, 0, 1, 0, 5) };
  observer.syncSucceeded?.(result({ held }), 10);
  let s = t.snapshot();
  assert.equal(s.heldDeletes?.releaseAt, '2026-01-01T00:05:00.000Z');
  assert.match(s.heldDeletes?.release ?? '', /--allow-mass-delete/);
  assert.deepEqual(s.pending, { creates: 0, updates: 0, deletes: 2, ownerMismatches: 0 });
  observer.syncSucceeded?.(result({ failedSources: ['ingress'], fencedDeletes: 2 }), 10);
  s = t.snapshot();
  assert.deepEqual(s.sourceFence, { active: true, failedSources: ['ingress'], fencedDeletes: 2 });
  assert.equal(s.heldDeletes, null);
  observer.syncSucceeded?.(result({}), 10);
  assert.equal(t.snapshot().sourceFence.active, false);
});

test('a failed sync: error with its stage, URL passwords masked; the page escapes it; the leader is reported', async () => {
  const { t, observer, clock } = tracker();
  observer.syncStarted?.();
  await clock.advance(250);
  observer.syncFailed?.({ stage: 'apply', error: new Error('POST https://admin:hunter2@pdns.internal/api failed: <script>alert(1)</script>'), transient: true });
  const s = t.snapshot();
  assert.equal(s.lastSync?.result, 'error');
  assert.equal(s.lastSync?.stage, 'apply');
  assert.equal(s.lastSync?.durationSeconds, 0.25);
  assert.ok(!JSON.stringify(s).includes('hunter2'));
  assert.match(s.lastSync?.error ?? '', /https:\/\/admin:\*\*\*\*\*@pdns\.internal/);
  assert.deepEqual(s.leader, { election: false, leading: true });
  t.setLeader(false);
  const page = renderStatusPage(t.snapshot());
  assert.ok(!page.includes('<script>') && page.includes('&#60;script&#62;'), 'the error is escaped');
  assert.match(page, /standby \(not the leader\)/);
  assert.match(page, /<title>extdns status: me<\/title>/);
});

test('certificates: days to expiry from now, a warning under 30 days and for an expired one, soonest first', () => {
  const now = Date.UTC(2026, 0, 1);
  const cert = (subject: string, days: number) => ({
    subject, issuer: subject, fingerprint256: 'AB', notBefore: '2025-01-01T00:00:00Z', notAfter: new Date(now + days * 86_400_000 + 1000).toISOString(),
    daysLeft: 0, isCa: true, selfSigned: true,
  });
  const report = {
    name: 'pdns', endpoint: 'https://u:pw@pdns:8081', mode: 'append', total: 150, generation: 1, warnings: [],
    sources: [{ kind: 'flag', name: '--tls-ca', paths: [], count: 3, certificates: [cert('CN=long', 400), cert('CN=soon', 12), cert('CN=gone', -3)] }],
  } as unknown as TrustReport;
  const c = connectionStatus(report, now);
  assert.equal(c.endpoint, 'https://u:*****@pdns:8081');
  assert.deepEqual(c.certificates.map((x) => [x.subject, x.daysToExpiry, x.warning ?? '']), [
    ['CN=gone', -3, 'expired 3 days ago: replace it'],
    ['CN=soon', 12, 'expires in 12 days: renew it before then'],
    ['CN=long', 400, ''],
  ]);
});
