/**
 * A real CoreDNS (built from its Go module by scripts/build-coredns.sh into
 * .cache/coredns/) with its etcd plugin on the same TLS etcd answers `dig`
 * with what extdns wrote: this proves the JSON, not only the keys.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newEndpoint, type EndpointInit } from '../../src/endpoint/endpoint.ts';
import { calculate } from '../../src/plan/calculate.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { freePort, stopChild } from '../support/pdns-server.ts';
import { buildCoredns, startTlsEtcd, type TlsEtcd } from './support.ts';

const run = promisify(execFile);
const COREDNS = join(import.meta.dirname, '../../.cache/coredns/coredns');
const signal = new AbortController().signal;
let etcd: TlsEtcd;
let coredns: ChildProcess;
let dnsPort = 0;

before(async () => {
  assert.ok(existsSync(COREDNS), `${COREDNS} is missing: run scripts/build-coredns.sh (scripts/install-components.sh does)`);
  etcd = await startTlsEtcd();
  dnsPort = await freePort();
  const corefile = await etcd.pki.write('Corefile', [
    `example.org:${dnsPort} {`,
    '  bind 127.0.0.1',
    '  etcd {',
    '    path /skydns',
    `    endpoint ${etcd.etcd.url}`,
    `    tls ${etcd.env.ETCD_CERT_FILE} ${etcd.env.ETCD_KEY_FILE} ${etcd.pki.rootA.certFile}`,
    '  }',
    '}',
    '',
  ].join('\n'));
  coredns = spawn(COREDNS, ['-conf', corefile], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (let i = 0; ; i++) {
    const answer = await dig('up.example.org', 'SOA').catch(() => []);
    if (answer.length > 0) break;
    if (coredns.exitCode !== null || i > 100) throw new Error('coredns did not answer');
    await new Promise((r) => setTimeout(r, 50));
  }
});
after(async () => {
  await stopChild(coredns);
  await etcd.stop();
});

async function dig(name: string, type: string): Promise<string[]> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(dnsPort), '+short', '+time=2', '+tries=1', name, type]);
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '').sort();
}

async function sync(provider: Provider, desired: EndpointInit[]): Promise<void> {
  const registry = createTxtRegistry(provider, {
    ownerId: 'dig', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME', 'TXT'], excludeRecordTypes: [],
  }, { clock: new FakeClock(), logger: captureLogger().logger });
  const { changes } = calculate({
    current: await registry.records(signal), desired: await registry.adjustEndpoints(desired.map((e) => newEndpoint(e))), policy: 'sync',
    domainFilters: [registry.domainFilter()], managedRecordTypes: ['A', 'AAAA', 'CNAME', 'TXT'], excludeRecordTypes: [], ownerId: 'dig', oldOwnerId: '',
  });
  await registry.applyChanges(changes, signal);
}

test('CoreDNS serves the A, AAAA, CNAME and TXT records extdns wrote, and follows an update and a delete', async () => {
  const built = await buildCoredns([], etcd.env);
  try {
    await sync(built.provider, [
      { dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 300 },
      { dnsName: 'web.example.org', recordType: 'AAAA', targets: ['2001:db8::1'], recordTTL: 300 },
      { dnsName: 'www.example.org', recordType: 'CNAME', targets: ['web.example.org'] },
      { dnsName: 'spf.example.org', recordType: 'TXT', targets: ['v=spf1 -all'] },
    ]);
    assert.deepEqual(await dig('web.example.org', 'A'), ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(await dig('web.example.org', 'AAAA'), ['2001:db8::1']);
    // CoreDNS answers a CNAME query only from a key at the exact name; an A query follows the CNAME ExternalDNS's layout puts under it.
    assert.deepEqual(await dig('www.example.org', 'A'), ['192.0.2.1', '192.0.2.2', 'web.example.org.']);
    assert.deepEqual(await dig('spf.example.org', 'TXT'), ['"v=spf1 -all"']);
    assert.deepEqual(await dig('a-web.example.org', 'TXT'), ['"\\"heritage=external-dns,external-dns/owner=dig\\""']);

    await sync(built.provider, [
      { dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.3'], recordTTL: 300 },
      { dnsName: 'www.example.org', recordType: 'CNAME', targets: ['web.example.org'] },
    ]);
    assert.deepEqual(await dig('web.example.org', 'A'), ['192.0.2.3']);
    assert.deepEqual(await dig('www.example.org', 'A'), ['192.0.2.3', 'web.example.org.']);
    assert.deepEqual(await dig('web.example.org', 'AAAA'), []);
    assert.deepEqual(await dig('spf.example.org', 'TXT'), []);
  } finally {
    await built.close();
  }
});
