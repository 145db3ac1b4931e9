import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ExtdnsError } from '../errors/errors.ts';
import { captureLogger } from '../../test/support/capture-logger.ts';
import { createManifestSource } from './manifest.ts';
import { translateOptions } from './shapes.ts';

const dir = await mkdtemp(join(tmpdir(), 'extdns-manifest-'));
after(() => rm(dir, { recursive: true, force: true }));

const service = (name: string, ip: string): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  annotations:
    external-dns.kubernetes.io/hostname: ${name}.example.org
spec:
  type: LoadBalancer
  externalIPs: [${ip}]
`;

test('files are re-read on every call, folders recursively', async () => {
  const root = join(dir, 'reread');
  await mkdir(join(root, 'nested'), { recursive: true });
  await writeFile(join(root, 'a.yaml'), service('a', '192.0.2.1'));
  const source = createManifestSource({ paths: [root], translate: translateOptions() }, { logger: captureLogger().logger });
  assert.deepEqual((await source.endpoints(AbortSignal.timeout(1000))).map((e) => e.dnsName), ['a.example.org']);

  await writeFile(join(root, 'nested', 'b.yml'), service('b', '192.0.2.2'));
  await writeFile(join(root, 'a.yaml'), service('a', '192.0.2.9'));
  const second = await source.endpoints(AbortSignal.timeout(1000));
  assert.deepEqual(second.map((e) => [e.dnsName, e.targets]), [['a.example.org', ['192.0.2.9']], ['b.example.org', ['192.0.2.2']]]);
});

test('one bad file fails the whole call: no partial answer', async () => {
  const root = join(dir, 'partial');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'a.yaml'), service('a', '192.0.2.1'));
  await writeFile(join(root, 'b.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\n');
  const source = createManifestSource({ paths: [root], translate: translateOptions() }, { logger: captureLogger().logger });
  await assert.rejects(source.endpoints(AbortSignal.timeout(1000)), (err: unknown) => {
    assert.ok(ExtdnsError.is(err));
    assert.equal(err.code, 'EXTDNS_SOURCE_MANIFEST_INVALID');
    assert.equal(err.transient, false);
    assert.match(err.message, /b\.yaml: document 1 \(line 1\) has kind "Secret"/);
    return true;
  });
});

test('a missing path is a clear, permanent error', async () => {
  const source = createManifestSource({ paths: [join(dir, 'nope')], translate: translateOptions() }, { logger: captureLogger().logger });
  await assert.rejects(source.endpoints(AbortSignal.timeout(1000)), (err: unknown) =>
    ExtdnsError.is(err) && err.code === 'EXTDNS_SOURCE_MANIFEST_UNREADABLE' && !err.transient && err.message.includes('--manifest-path'));
});

test('an aborted signal stops the call', async () => {
  const source = createManifestSource({ paths: [dir], translate: translateOptions() }, { logger: captureLogger().logger });
  const controller = new AbortController();
  controller.abort(new Error('shutting down'));
  await assert.rejects(source.endpoints(controller.signal), /shutting down/);
});

test('bad options are refused when the source is created', () => {
  const logger = captureLogger().logger;
  assert.throws(() => createManifestSource({ paths: [dir], translate: translateOptions({ serviceTypeFilter: ['Headless'] }) }, { logger }), /--service-type-filter "Headless"/);
  assert.throws(() => createManifestSource({ paths: [dir], translate: translateOptions({ annotationPrefix: 'dns.acme.io' }) }, { logger }), /must end with "\/"/);
  assert.throws(() => createManifestSource({ paths: [dir], translate: translateOptions(), annotationFilter: 'a in (' }, { logger }), /--annotation-filter/);
});

test('the bundled examples load and produce records (README demo)', async () => {
  const { logger, entries } = captureLogger();
  const source = createManifestSource({ paths: [join(import.meta.dirname, '../../examples')], translate: translateOptions() }, { logger });
  const eps = await source.endpoints(AbortSignal.timeout(1000));
  assert.ok(eps.length >= 8, `only ${eps.length} endpoints`);
  for (const type of ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'SRV']) assert.ok(eps.some((e) => e.recordType === type), `no ${type} record`);
  assert.ok(eps.every((e) => e.dnsName.endsWith('example.org')));
  assert.deepEqual(entries.filter((e) => e.level === 'warning'), []);
});
