/**
 * The metrics fed by real syncs: the pipeline built by src/cli/build.ts from
 * parsed flags (manifest source → TXT registry → zonefile provider), with the
 * observer from the telemetry, read back through the text exposition.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPipeline } from '../../src/cli/build.ts';
import { createTelemetry, type Telemetry } from '../../src/metrics/telemetry.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { MATCH_ALL } from '../../src/endpoint/domain-filter.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { createPki } from '../support/pki.ts';
import { parseExposition, sampleValue } from './parse-exposition.ts';
import { configFrom, SERVICE, workspace, ZONE } from './support.ts';

const BUILD = { version: 't', revision: 'r', runtime: 'node', os: 'linux', arch: 'x64' };

function telemetry(clock: FakeClock): Telemetry {
  return createTelemetry({ clock, build: BUILD, instrumentHttp: false });
}

function scrape(t: Telemetry): ReturnType<typeof parseExposition> {
  return parseExposition(t.registry.expose());
}

test('a first sync and a no-op sync: registry, source, verified, no-op, timestamps and applied changes', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'svc.yaml'), `${SERVICE('web', 'web.example.org', '192.0.2.80')}---\n${SERVICE('api', 'api.example.org', '192.0.2.81')}`);
  const clock = new FakeClock();
  const t = telemetry(clock);
  const pipeline = await buildPipeline(configFrom(ws.flags()), { logger: silentLogger, clock, random: seededRandom(1), env: {}, observe: t.attach });
  ctx.after(() => pipeline.close());
  const signal = new AbortController().signal;

  const before = await pipeline.registry.records(signal);
  await pipeline.controller.runOnce(signal);
  let m = scrape(t);
  assert.equal(sampleValue(m, 'external_dns_registry_endpoints_total'), before.length, 'the registry as read at the start of the sync');
  assert.equal(sampleValue(m, 'external_dns_source_endpoints_total'), 2);
  assert.equal(sampleValue(m, 'external_dns_source_records', { record_type: 'a' }), 2);
  assert.equal(sampleValue(m, 'external_dns_controller_verified_records', { record_type: 'a' }), undefined, 'nothing was in the zone yet');
  assert.equal(sampleValue(m, 'external_dns_controller_no_op_runs_total'), 0);
  assert.equal(sampleValue(m, 'extdns_changes_applied_total', { action: 'create' }), 2);
  assert.equal(sampleValue(m, 'external_dns_controller_last_sync_timestamp_seconds'), clock.now() / 1000);
  assert.equal(sampleValue(m, 'external_dns_controller_last_reconcile_timestamp_seconds'), clock.now() / 1000);

  await clock.advance(60_000);
  const after = await pipeline.registry.records(signal);
  await pipeline.controller.runOnce(signal);
  m = scrape(t);
  assert.equal(sampleValue(m, 'external_dns_registry_endpoints_total'), after.length);
  assert.equal(sampleValue(m, 'external_dns_registry_records', { record_type: 'a' }), after.filter((e) => e.recordType === 'A').length);
  assert.equal(sampleValue(m, 'external_dns_controller_verified_records', { record_type: 'a' }), 2);
  assert.equal(sampleValue(m, 'external_dns_controller_no_op_runs_total'), 1);
  assert.equal(sampleValue(m, 'extdns_changes_applied_total', { action: 'create' }), 2, 'the no-op sync applied nothing');
  assert.equal(sampleValue(m, 'external_dns_controller_last_sync_timestamp_seconds'), clock.now() / 1000);
  assert.equal(sampleValue(m, 'extdns_sync_duration_seconds_count'), 2);
  assert.equal(sampleValue(m, 'external_dns_registry_errors_total'), 0);
});

test('a registry read that fails counts a registry error and moves only the reconcile timestamp', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.manifests, 'svc.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  const clock = new FakeClock();
  const t = telemetry(clock);
  const pipeline = await buildPipeline(configFrom(ws.flags()), { logger: silentLogger, clock, random: seededRandom(1), env: {}, observe: t.attach });
  ctx.after(() => pipeline.close());
  const signal = new AbortController().signal;
  await pipeline.controller.runOnce(signal);
  const syncedAt = clock.now() / 1000;
  await clock.advance(60_000);
  writeFileSync(join(ws.zones, 'example.org.zone'), 'this is not a zone file {\n');
  await assert.rejects(pipeline.controller.runOnce(signal));
  const m = scrape(t);
  assert.equal(sampleValue(m, 'external_dns_registry_errors_total'), 1);
  assert.equal(sampleValue(m, 'external_dns_source_errors_total'), 0);
  assert.equal(sampleValue(m, 'external_dns_controller_last_sync_timestamp_seconds'), syncedAt);
  assert.equal(sampleValue(m, 'external_dns_controller_last_reconcile_timestamp_seconds'), clock.now() / 1000);
  const failures = m.get('extdns_sync_failures_total')?.samples ?? [];
  assert.deepEqual(failures.map((s) => [s.labels.stage, s.value]), [['registry', 1]]);
});

test('creates skipped for a name another owner holds show in the owner-mismatch gauge with the apex domain', async (ctx) => {
  const ws = workspace();
  ctx.after(ws.cleanup);
  writeFileSync(join(ws.zones, 'example.org.zone'), `${ZONE('example.org')}web IN A 192.0.2.99\nweb IN TXT "heritage=external-dns,external-dns/owner=other-cluster"\n`);
  // An AAAA to create next to the foreign A: the planner skips it (ExternalDNS labels the skip with the foreign record).
  writeFileSync(join(ws.manifests, 'svc.yaml'), SERVICE('web', 'web.example.org', '2001:db8::80'));
  const clock = new FakeClock();
  const t = telemetry(clock);
  const pipeline = await buildPipeline(configFrom(ws.flags('us')), { logger: silentLogger, clock, random: seededRandom(1), env: {}, observe: t.attach });
  ctx.after(() => pipeline.close());
  await pipeline.controller.runOnce(new AbortController().signal);
  const m = scrape(t);
  assert.equal(sampleValue(m, 'external_dns_registry_skipped_records_owner_mismatch_per_sync',
    { record_type: 'a', owner: 'us', foreign_owner: 'other-cluster', domain: 'example.org' }), 1);
});

test('trust metrics per connection: CAs loaded, generation, reloads, and the not-after of the explicit CA', async (ctx) => {
  const pki = await createPki();
  ctx.after(() => pki.cleanup());
  const ws = workspace();
  ctx.after(ws.cleanup);
  const clock = new FakeClock(Date.now());
  const t = telemetry(clock);
  const config = configFrom(['--source=manifest', `--manifest-path=${ws.manifests}`, '--provider=pdns', '--pdns-server=https://127.0.0.1:9',
    '--pdns-api-key=k', '--policy=sync', '--txt-owner-id=o', `--tls-ca=${pki.rootA.certFile}`, '--tls-ca-mode=replace']);
  const pipeline = await buildPipeline(config, { logger: silentLogger, clock, random: seededRandom(1), env: {}, observe: t.attach });
  ctx.after(() => pipeline.close());
  const m = scrape(t);
  assert.equal(sampleValue(m, 'extdns_tls_trusted_certificates', { connection: 'pdns' }), 1, 'replace mode: only --tls-ca');
  assert.equal(sampleValue(m, 'extdns_tls_trust_generation', { connection: 'pdns' }), 1);
  assert.equal(sampleValue(m, 'extdns_tls_reloads_total', { connection: 'pdns', result: 'success' }), 0);
  const expiry = m.get('extdns_tls_certificate_not_after_timestamp_seconds')?.samples ?? [];
  assert.equal(expiry.length, 1);
  assert.equal(expiry[0]?.labels.source, '--tls-ca');
  assert.equal(expiry[0]?.labels.role, 'ca');
  assert.match(expiry[0]?.labels.subject ?? '', /extdns test root A/);
  assert.ok((expiry[0]?.value ?? 0) > Date.now() / 1000, 'a future expiry, in Unix seconds');
});

test('provider stats(): API calls, errors and throttles; a webhook provider also feeds ExternalDNS\'s webhook gauges', () => {
  const t = telemetry(new FakeClock());
  const base: Provider = {
    records: () => Promise.resolve([]),
    applyChanges: () => Promise.resolve(),
    adjustEndpoints: (eps) => Promise.resolve(eps),
    domainFilter: () => MATCH_ALL,
  };
  let calls = 3;
  const provider = Object.assign(base, {
    stats: () => ({ calls: [{ operation: 'records', calls, errors: 1 }, { operation: 'applychanges', calls: 2, errors: 0 }], throttles: 4 }),
  });
  t.attach({ provider, providerName: 'webhook', ownerId: 'o', trustStores: [] });
  let m = scrape(t);
  assert.equal(sampleValue(m, 'extdns_provider_api_calls_total', { provider: 'webhook', operation: 'records' }), 3);
  assert.equal(sampleValue(m, 'extdns_provider_api_errors_total', { provider: 'webhook', operation: 'records' }), 1);
  assert.equal(sampleValue(m, 'extdns_provider_api_throttles_total', { provider: 'webhook' }), 4);
  assert.equal(sampleValue(m, 'external_dns_webhook_provider_records_requests_total'), 3);
  assert.equal(sampleValue(m, 'external_dns_webhook_provider_records_errors_total'), 1);
  assert.equal(sampleValue(m, 'external_dns_webhook_provider_adjustendpoints_requests_total'), 0);
  calls = 10;
  m = scrape(t);
  assert.equal(sampleValue(m, 'external_dns_webhook_provider_records_requests_total'), 10, 'read at scrape time');
});
