/**
 * The CoreDNS provider on a real etcd 3.4 with TLS and required client
 * certificates: the keys and JSON ExternalDNS v0.22 writes, a no-op sync that
 * leaves the etcd revision where it was, exact deletes, keys others wrote,
 * and where trust comes from (ETCD_CA_FILE, --tls-ca alone, neither).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint, type EndpointInit } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { calculate } from '../../src/plan/calculate.ts';
import { emptyChanges, type Changes } from '../../src/plan/plan.ts';
import type { Provider } from '../../src/provider/provider.ts';
import type { ProviderStats } from '../../src/provider/stats.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { Agent, request } from 'undici';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstantClock } from '../support/provider-sync.ts';
import { MATCH_ALL } from '../../src/endpoint/domain-filter.ts';
import { createEtcdClient, type EtcdClient } from '../../src/provider/coredns/etcd.ts';
import { createCorednsProvider } from '../../src/provider/coredns/provider.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { buildCoredns, startTlsEtcd, type TlsEtcd } from './support.ts';

const signal = new AbortController().signal;
let etcd: TlsEtcd;
let n = 0;
before(async () => {
  etcd = await startTlsEtcd();
});
after(async () => {
  await etcd.stop();
});

/** A provider on a fresh prefix of the shared etcd. */
async function fresh(extraArgs: string[] = [], env: Record<string, string | undefined> = etcd.env): Promise<{ provider: Provider; prefix: string; close(): Promise<void> }> {
  const prefix = `/skydns-${++n}/`;
  const built = await buildCoredns([`--coredns-prefix=${prefix}`, ...extraArgs], env);
  return { provider: built.provider, prefix, close: built.close };
}

const ep = (init: EndpointInit): Endpoint => newEndpoint(init);

/** One sync through the TXT registry (owner `test`) and the real planner; the applied changes. */
async function sync(provider: Provider, desired: EndpointInit[]): Promise<Changes> {
  const registry = createTxtRegistry(provider, {
    ownerId: 'test', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [],
  }, { clock: new FakeClock(), logger: captureLogger().logger });
  const { changes } = calculate({
    current: await registry.records(signal), desired: await registry.adjustEndpoints(desired.map(ep)), policy: 'sync',
    domainFilters: [registry.domainFilter()], managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [], ownerId: 'test', oldOwnerId: '',
  });
  await registry.applyChanges(changes, signal);
  return changes;
}

const count = (c: Changes): number => c.create.length + c.updateNew.length + c.delete.length;
const calls = (p: Provider, op: string): number => (p as Provider & ProviderStats).stats().calls.find((c) => c.operation === op)?.calls ?? 0;

describe('coredns provider on etcd', () => {
  test('first sync writes ExternalDNS v0.22 keys and JSON; the next sync reads once and writes nothing', async () => {
    const { provider, prefix, close } = await fresh();
    try {
      const first = await sync(provider, [
        { dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 300 },
        { dnsName: 'www.example.org', recordType: 'CNAME', targets: ['web.example.org'] },
      ]);
      assert.equal(first.create.length, 2, 'two records (the registry adds their ownership TXTs)');
      const kvs = await etcd.etcd.get(prefix);
      const under = (path: string): string[] => kvs.filter((kv) => new RegExp(`^${prefix}org/example/${path}/[0-9a-f]{8}$`).test(kv.key)).map((kv) => kv.value).sort();
      assert.deepEqual(under('web'), ['{"host":"192.0.2.1","ttl":300,"targetstrip":1}', '{"host":"192.0.2.2","ttl":300,"targetstrip":1}']);
      assert.deepEqual(under('www'), ['{"host":"web.example.org","targetstrip":1}']);
      assert.deepEqual(under('a-web'), ['{"text":"\\"heritage=external-dns,external-dns/owner=test\\"","targetstrip":1}']);
      assert.deepEqual(under('cname-www'), ['{"text":"\\"heritage=external-dns,external-dns/owner=test\\"","targetstrip":1}']);
      assert.equal(kvs.length, 5);

      const revision = await etcd.etcd.revision();
      const [ranges, txns] = [calls(provider, 'range'), calls(provider, 'txn')];
      for (let i = 0; i < 3; i++) {
        assert.equal(count(await sync(provider, [
          { dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.2', '192.0.2.1'], recordTTL: 300 },
          { dnsName: 'www.example.org', recordType: 'CNAME', targets: ['web.example.org'] },
        ])), 0);
      }
      assert.equal(await etcd.etcd.revision(), revision, 'a no-op sync writes nothing');
      assert.equal(calls(provider, 'txn'), txns);
      assert.equal(calls(provider, 'range') - ranges, 3, 'one full read after our write, then one small change check for each later sync');
    } finally {
      await close();
    }
  });

  test('a record and its ownership TXT go in one transaction', async () => {
    const { provider, close } = await fresh();
    try {
      const before = calls(provider, 'txn');
      await sync(provider, [{ dnsName: 'one.example.org', recordType: 'A', targets: ['192.0.2.7'] }]);
      assert.equal(calls(provider, 'txn') - before, 1);
    } finally {
      await close();
    }
  });

  test('reads what ExternalDNS wrote (a TXT in the key of an A, a group) and plans nothing', async () => {
    const { provider, prefix, close } = await fresh();
    try {
      await etcd.etcd.put(`${prefix}org/example/api/2b3c4d5e`, '{"host":"192.0.2.30","text":"hello","ttl":60,"targetstrip":1,"group":"g1"}');
      await etcd.etcd.put(`${prefix}org/example/a-api/0a0b0c0d`, '{"text":"\\"heritage=external-dns,external-dns/owner=test\\"","ttl":60,"targetstrip":1}');
      const records = await provider.records(signal);
      const byKey = new Map(records.map((e) => [`${e.dnsName} ${e.recordType}`, e]));
      assert.deepEqual(byKey.get('api.example.org A')?.targets, ['192.0.2.30']);
      assert.deepEqual(byKey.get('api.example.org A')?.providerSpecific, [{ name: 'coredns/group', value: 'g1' }]);
      assert.deepEqual(byKey.get('api.example.org TXT')?.targets, ['hello']);
      const revision = await etcd.etcd.revision();
      const changes = await sync(provider, [{ dnsName: 'api.example.org', recordType: 'A', targets: ['192.0.2.30'], recordTTL: 60, providerSpecific: [{ name: 'coredns/group', value: 'g1' }] }]);
      assert.equal(count(changes), 0);
      assert.equal(await etcd.etcd.revision(), revision);
    } finally {
      await close();
    }
  });

  test('deletes exactly its own keys; keys others wrote under the prefix are untouched', async () => {
    const { provider, prefix, close } = await fresh();
    try {
      await sync(provider, [{ dnsName: 'gone.example.org', recordType: 'A', targets: ['192.0.2.40'] }]);
      const ours = (await etcd.etcd.get(`${prefix}org/example/gone/`))[0];
      assert.ok(ours !== undefined);
      // Keys that start like ours (ExternalDNS's delete by key prefix would take them), a record of no owner, and text that is not SkyDNS JSON.
      const foreign = [
        [`${ours.key}-manual`, '{"host":"192.0.2.41"}'],
        [`${prefix}org/example/gone-by-hand/x1`, '{"host":"192.0.2.42","targetstrip":1}'],
        [`${prefix}org/example/notes`, 'not json'],
      ] as const;
      for (const [key, value] of foreign) await etcd.etcd.put(key, value);
      await sync(provider, [{ dnsName: 'gone-by-hand.example.org', recordType: 'A', targets: ['192.0.2.99'] }]);
      const left = new Map((await etcd.etcd.get(prefix)).map((kv) => [kv.key, kv.value]));
      assert.ok(!left.has(ours.key), 'our record was deleted');
      assert.ok(![...left.keys()].some((k) => k.includes('/a-gone/')), 'with its ownership TXT');
      for (const [key, value] of foreign) assert.equal(left.get(key), value, `${key} untouched`);
    } finally {
      await close();
    }
  });

  test('a plan that no longer fits etcd writes nothing (stale plan, transient)', async () => {
    const { provider, prefix, close } = await fresh();
    try {
      await sync(provider, [{ dnsName: 'race.example.org', recordType: 'A', targets: ['192.0.2.50'] }]);
      const a = (await provider.records(signal)).find((e) => e.recordType === 'A');
      assert.ok(a !== undefined);
      const [key] = await etcd.etcd.get(`${prefix}org/example/race/`);
      assert.ok(key !== undefined);
      await etcd.etcd.put(key.key, '{"host":"192.0.2.51","targetstrip":1}');
      const revision = await etcd.etcd.revision();
      const stale = { ...emptyChanges(), updateOld: [a], updateNew: [{ ...a, recordTTL: 600 }] };
      await assert.rejects(provider.applyChanges(stale, signal), (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_COREDNS_STALE_PLAN' && err.transient && err.message.includes('192.0.2.51'));
      assert.equal(await etcd.etcd.revision(), revision);
    } finally {
      await close();
    }
  });

  test('a key written between the read and the transaction: the guard makes the transaction write nothing', async () => {
    const prefix = `/skydns-${++n}/`;
    const agent = new Agent({ connect: { ca: etcd.pki.rootA.cert, cert: etcd.pki.client.cert, key: etcd.pki.client.key } });
    const real = createEtcdClient({ endpoints: [{ url: etcd.etcd.url, dispatcher: agent }], logger: captureLogger().logger });
    let racing = false;
    const client: EtcdClient = {
      ...real,
      async txn(guards, ops, s) {
        // Someone else writes one of the keys this transaction touches, after we read it.
        if (racing) await etcd.etcd.put(guards[0]?.key ?? '', '{"host":"192.0.2.77","targetstrip":1}');
        return real.txn(guards, ops, s);
      },
    };
    const provider = createCorednsProvider({ prefix, domainFilter: MATCH_ALL }, { client, logger: captureLogger().logger, random: seededRandom(3) });
    try {
      await sync(provider, [{ dnsName: 'guard.example.org', recordType: 'A', targets: ['192.0.2.70'], recordTTL: 60 }]);
      racing = true;
      await assert.rejects(sync(provider, [{ dnsName: 'guard.example.org', recordType: 'A', targets: ['192.0.2.70'], recordTTL: 120 }]),
        (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_COREDNS_STALE_PLAN');
      const values = (await etcd.etcd.get(`${prefix}org/example/guard/`)).map((kv) => kv.value);
      assert.deepEqual(values, ['{"host":"192.0.2.77","targetstrip":1}'], 'the other writer\'s value stands; ours was not written');
    } finally {
      await agent.close();
    }
  });
});

describe('coredns provider: --coredns-strictly-owned', () => {
  test('writes the owner into each key, and neither sees nor touches keys of another owner', async () => {
    const { provider, prefix, close } = await fresh(['--coredns-strictly-owned', '--txt-owner-id=test']);
    try {
      const theirs = `${prefix}org/example/shared/0badcafe`;
      await etcd.etcd.put(theirs, '{"host":"192.0.2.90","targetstrip":1,"owner":"other"}');
      await sync(provider, [{ dnsName: 'shared.example.org', recordType: 'A', targets: ['192.0.2.91'] }]);
      const kvs = await etcd.etcd.get(`${prefix}org/example/shared/`);
      assert.deepEqual(kvs.map((kv) => kv.value).sort(), ['{"host":"192.0.2.90","targetstrip":1,"owner":"other"}', '{"host":"192.0.2.91","targetstrip":1,"owner":"test"}']);
      assert.deepEqual((await provider.records(signal)).filter((e) => e.recordType === 'A').map((e) => e.targets), [['192.0.2.91']]);
      await sync(provider, []);
      assert.deepEqual((await etcd.etcd.get(`${prefix}org/example/shared/`)).map((kv) => kv.key), [theirs], 'ours deleted, theirs kept');
    } finally {
      await close();
    }
  });
});

describe('coredns provider: where etcd trust comes from', () => {
  test('--tls-ca alone (no ETCD_CA_FILE), with the client certificate from --tls-client-cert', async () => {
    const { provider, close } = await fresh(
      [`--tls-ca=${etcd.pki.rootA.certFile}`, `--tls-client-cert=${etcd.env.ETCD_CERT_FILE}`, `--tls-client-cert-key=${etcd.env.ETCD_KEY_FILE}`],
      { ETCD_URLS: etcd.env.ETCD_URLS },
    );
    try {
      await sync(provider, [{ dnsName: 'flag.example.org', recordType: 'A', targets: ['192.0.2.60'] }]);
      assert.ok((await provider.records(signal)).some((e) => e.dnsName === 'flag.example.org'));
    } finally {
      await close();
    }
  });

  test('neither --tls-ca nor ETCD_CA_FILE: a clear trust error naming both, and nothing read', async () => {
    const { provider, close } = await fresh([], { ...etcd.env, ETCD_CA_FILE: undefined });
    try {
      await assert.rejects(provider.records(signal), (err: unknown) => {
        assert.ok(ExtdnsError.is(err));
        assert.equal(err.code, 'EXTDNS_COREDNS_TLS');
        assert.match(err.message, /--tls-ca/);
        assert.match(err.message, /ETCD_CA_FILE/);
        assert.match(err.message, /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|unable to get (local )?issuer/i);
        return true;
      });
    } finally {
      await close();
    }
  });

  test('no client certificate: etcd refuses the handshake and the error says where one goes', async () => {
    const { provider, close } = await fresh([], { ETCD_URLS: etcd.env.ETCD_URLS, ETCD_CA_FILE: etcd.env.ETCD_CA_FILE });
    try {
      await assert.rejects(provider.records(signal), (err: unknown) => ExtdnsError.is(err) && err.code === 'EXTDNS_COREDNS_TLS' && /ETCD_CERT_FILE/.test(err.message));
    } finally {
      await close();
    }
  });

  test('a 429 from the gateway (etcd\'s "too many requests") is waited out on the clock and counted; the read lands', async () => {
    const agent = new Agent({ connect: { ca: etcd.pki.rootA.cert, cert: etcd.pki.client.cert, key: etcd.pki.client.key } });
    let refused = 0;
    // A front on loopback that refuses the first two requests as etcd's gateway does, and passes the rest to the real etcd.
    const front = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refused++ < 2) {
          res.writeHead(429, { 'Content-Type': 'application/json' }).end('{"error":"etcdserver: too many requests","code":8}');
          return;
        }
        void request(`${etcd.etcd.url}${req.url ?? ''}`, { method: 'POST', body: Buffer.concat(chunks), dispatcher: agent, headers: { 'content-type': 'application/json' } })
          .then(async (r) => { res.writeHead(r.statusCode, { 'Content-Type': 'application/json' }).end(await r.body.text()); });
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const clock = new InstantClock();
      const client = createEtcdClient({ endpoints: [{ url: `http://127.0.0.1:${(front.address() as AddressInfo).port}` }], logger: captureLogger().logger, clock });
      const snapshot = await client.readPrefix(`/skydns-throttle-${++n}/`, signal);
      assert.ok(snapshot.revision > 0);
      assert.deepEqual(clock.sleeps, [1000, 2000]);
      assert.equal(client.stats().throttles, 2);
    } finally {
      await new Promise<void>((resolve) => { front.close(() => { resolve(); }); front.closeAllConnections(); });
      await agent.close();
    }
  });
});
