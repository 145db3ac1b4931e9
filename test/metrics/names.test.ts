/**
 * Every metric ExternalDNS v0.22 exports, with its type and labels, written
 * out from the reference (external-dns.md §7.3; controller/metrics.go,
 * plan/metrics.go, provider/cached_provider.go, provider/webhook/webhook.go,
 * pkg/http/http.go, source/wrappers/metrics.go, pkg/metrics/metrics.go at
 * v0.22.0). A missing, renamed, retyped or relabelled metric fails here, so
 * dashboards and alerts written for ExternalDNS keep working.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTelemetry } from '../../src/metrics/telemetry.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { parseExposition } from './parse-exposition.ts';

const EXTERNAL_DNS_V022: readonly (readonly [name: string, type: string, labels: readonly string[]])[] = [
  ['external_dns_build_info', 'gauge', ['version', 'revision', 'go_version', 'os', 'arch']],
  ['external_dns_controller_consecutive_soft_errors', 'gauge', []],
  ['external_dns_controller_last_reconcile_timestamp_seconds', 'gauge', []],
  ['external_dns_controller_last_sync_timestamp_seconds', 'gauge', []],
  ['external_dns_controller_no_op_runs_total', 'counter', []],
  ['external_dns_controller_verified_records', 'gauge', ['record_type']],
  ['external_dns_registry_endpoints_total', 'gauge', []],
  ['external_dns_registry_errors_total', 'counter', []],
  ['external_dns_registry_records', 'gauge', ['record_type']],
  ['external_dns_registry_skipped_records_owner_mismatch_per_sync', 'gauge', ['record_type', 'owner', 'foreign_owner', 'domain']],
  ['external_dns_source_endpoints_total', 'gauge', []],
  ['external_dns_source_errors_total', 'counter', []],
  ['external_dns_source_records', 'gauge', ['record_type']],
  ['external_dns_source_invalid_endpoints', 'gauge', ['record_type', 'source_type']],
  ['external_dns_source_deduplicated_endpoints', 'gauge', ['record_type', 'source_type']],
  ['external_dns_provider_cache_records_calls', 'counter', ['from_cache']],
  ['external_dns_provider_cache_apply_changes_calls', 'counter', []],
  ['external_dns_http_request_duration_seconds', 'summary', ['handler', 'scheme', 'host', 'path', 'method', 'status']],
  ['external_dns_webhook_provider_records_requests_total', 'gauge', []],
  ['external_dns_webhook_provider_records_errors_total', 'gauge', []],
  ['external_dns_webhook_provider_applychanges_requests_total', 'gauge', []],
  ['external_dns_webhook_provider_applychanges_errors_total', 'gauge', []],
  ['external_dns_webhook_provider_adjustendpoints_requests_total', 'gauge', []],
  ['external_dns_webhook_provider_adjustendpoints_errors_total', 'gauge', []],
];

const key = (name: string, type: string, labels: readonly string[]): string => `${name} ${type} {${[...labels].sort().join(',')}}`;

test('the external_dns_* metrics are exactly those of ExternalDNS v0.22: names, types and labels', () => {
  const t = createTelemetry({ clock: new FakeClock(), build: { version: '1.2.3', revision: 'abc', runtime: 'node v24', os: 'linux', arch: 'x64' }, instrumentHttp: false });
  const ours = t.registry.descriptors().filter((d) => d.name.startsWith('external_dns_')).map((d) => key(d.name, d.type, d.labelNames)).sort();
  const theirs = EXTERNAL_DNS_V022.map(([n, ty, l]) => key(n, ty, l)).sort();
  assert.deepEqual(ours, theirs);
  t.close();
});

test('the exposition carries the unlabelled external_dns_* metrics from the start, with their types', () => {
  const t = createTelemetry({ clock: new FakeClock(), build: { version: '1.2.3', revision: 'abc', runtime: 'node v24', os: 'linux', arch: 'x64' }, instrumentHttp: false });
  const parsed = parseExposition(t.registry.expose());
  for (const [name, type, labels] of EXTERNAL_DNS_V022) {
    if (labels.length > 0 && name !== 'external_dns_build_info') continue;
    assert.equal(parsed.get(name)?.type, type, `${name} is exposed as a ${type}`);
  }
  assert.deepEqual(parsed.get('external_dns_build_info')?.samples[0]?.labels,
    { version: '1.2.3', revision: 'abc', go_version: 'node v24', os: 'linux', arch: 'x64' });
  assert.equal(parsed.get('external_dns_build_info')?.samples[0]?.value, 1);
  assert.equal(parsed.get('extdns_leader')?.samples[0]?.value, 0, 'leader is 0 until leader election reports');
  t.setLeader(true);
  assert.equal(parseExposition(t.registry.expose()).get('extdns_leader')?.samples[0]?.value, 1);
  for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds']) assert.ok(parsed.has(name), name);
  t.close();
});

test('extdns\'s own metrics all carry the extdns_ prefix (or are the standard process_/nodejs_ ones)', () => {
  const t = createTelemetry({ clock: new FakeClock(), build: { version: 'v', revision: 'r', runtime: 'n', os: 'o', arch: 'a' }, instrumentHttp: false });
  const names = t.registry.descriptors().map((d) => d.name);
  const stray = names.filter((n) => !/^(external_dns_|extdns_|process_|nodejs_)/.test(n));
  assert.deepEqual(stray, []);
  for (const n of ['extdns_sync_duration_seconds', 'extdns_tls_trusted_certificates', 'extdns_tls_reloads_total', 'extdns_tls_certificate_not_after_timestamp_seconds',
    'extdns_provider_api_calls_total', 'extdns_provider_api_throttles_total', 'extdns_leader']) assert.ok(names.includes(n), n);
  t.close();
});
