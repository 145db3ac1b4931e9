import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { SourceErrors } from '../errors.ts';
import type { Source } from '../source.ts';
import { createMultiSource } from './multi.ts';

function fixed(endpoints: Endpoint[], onHandler?: () => void): Source {
  return { endpoints: () => Promise.resolve(endpoints.map((e) => ({ ...e }))), addEventHandler: () => onHandler?.() };
}
function failing(error: Error): Source {
  return { endpoints: () => Promise.reject(error), addEventHandler: () => undefined };
}
const a = newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1'], labels: { resource: 'service/default/a' } });
const b = newEndpoint({ dnsName: 'b.example.org', recordType: 'CNAME', targets: ['x.example.net'] });
const noDefaults = { defaultTargets: [], forceDefaultTargets: false };

test('collect joins sources in order', async () => {
  const multi = createMultiSource([{ name: 's1', source: fixed([a]) }, { name: 's2', source: fixed([b]) }], noDefaults);
  const got = await multi.collect(AbortSignal.timeout(1000));
  assert.deepEqual(got.endpoints.map((e) => e.dnsName), ['a.example.org', 'b.example.org']);
  assert.deepEqual(got.failures, []);
});

test('source fence: a failed source is reported next to the endpoints of the healthy ones', async () => {
  const boom = new ExtdnsError(SourceErrors.EXTDNS_SOURCE_FAILED, 'api down');
  const { logger, entries } = captureLogger();
  const multi = createMultiSource([{ name: 'ingress', source: failing(boom) }, { name: 'service', source: fixed([a]) }], noDefaults, { logger });
  const got = await multi.collect(AbortSignal.timeout(1000));
  assert.deepEqual(got.endpoints.map((e) => e.dnsName), ['a.example.org']);
  assert.deepEqual(got.failures, [{ source: 'ingress', error: boom }]);
  assert.ok(entries.some((e) => e.level === 'error' && e.fields.source === 'ingress'));
});

test('endpoints() throws when any source failed; transient only if every failure is', async () => {
  const transient = new ExtdnsError(SourceErrors.EXTDNS_SOURCE_FAILED, 'not synced');
  const multi = createMultiSource([{ name: 'crd', source: failing(transient) }, { name: 'service', source: fixed([a]) }], noDefaults);
  await assert.rejects(multi.endpoints(AbortSignal.timeout(1000)), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.transient, true);
    assert.match(err.message, /crd: EXTDNS_SOURCE_FAILED: not synced/);
    return true;
  });
  const mixed = createMultiSource([{ name: 'crd', source: failing(transient) }, { name: 'x', source: failing(new Error('bug')) }], noDefaults);
  await assert.rejects(mixed.endpoints(AbortSignal.timeout(1000)), (err: unknown) => ExtdnsError.is(err) && !err.transient);
});

test('default targets fill only empty endpoints, keep labels and TTL, and type each target', async () => {
  const empty = newEndpoint({ dnsName: 'e.example.org', recordType: 'A', recordTTL: 60, labels: { resource: 'crd/default/e' } });
  const { logger, entries } = captureLogger();
  const multi = createMultiSource([{ name: 'crd', source: fixed([empty, a]) }], { defaultTargets: ['198.51.100.1', '2001:db8::1', 'lb.example.net'], forceDefaultTargets: false }, { logger });
  const got = (await multi.collect(AbortSignal.timeout(1000))).endpoints;
  assert.deepEqual(got.map((e) => [e.dnsName, e.recordType, e.targets, e.recordTTL, e.labels.resource]), [
    ['e.example.org', 'A', ['198.51.100.1'], 60, 'crd/default/e'],
    ['e.example.org', 'AAAA', ['2001:db8::1'], 60, 'crd/default/e'],
    ['e.example.org', 'CNAME', ['lb.example.net'], 60, 'crd/default/e'],
    ['a.example.org', 'A', ['192.0.2.1'], 0, 'service/default/a'],
  ]);
  assert.equal(entries.filter((e) => e.level === 'warning').length, 1);
});

test('force-default-targets replaces every endpoint\'s targets', async () => {
  const multi = createMultiSource([{ name: 's', source: fixed([a, b]) }], { defaultTargets: ['198.51.100.1'], forceDefaultTargets: true });
  const got = (await multi.collect(AbortSignal.timeout(1000))).endpoints;
  assert.deepEqual(got.map((e) => [e.dnsName, e.recordType, e.targets]), [
    ['a.example.org', 'A', ['198.51.100.1']],
    ['b.example.org', 'A', ['198.51.100.1']],
  ]);
});

test('event handlers reach every child', () => {
  let count = 0;
  const multi = createMultiSource([{ name: 'a', source: fixed([], () => count++) }, { name: 'b', source: fixed([], () => count++) }], noDefaults);
  multi.addEventHandler(() => undefined);
  assert.equal(count, 2);
});
