/**
 * CoreDNS row of `npm run bench`: 5,000 records (plus their ownership TXT)
 * synced into a real etcd 3.4 over TLS with client certificates, the
 * transactions and reads it took, the same for a no-op re-sync, next to the
 * bare minimum: the same keys put by one etcd transaction. This etcd allows
 * large transactions (--max-txn-ops, --max-request-bytes) so that the bare
 * minimum is possible; extdns keeps to etcd's default of 128 operations.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import type { ProviderStats } from '../src/provider/stats.ts';
import type { Provider } from '../src/provider/provider.ts';
import { buildCoredns, startTlsEtcd, type TlsEtcd } from '../test/coredns/support.ts';
import { benchSync } from './sync.ts';

const COUNT = 5_000;

function desired(): Endpoint[] {
  return Array.from({ length: COUNT }, (_, i) => newEndpoint({
    dnsName: `svc-${i}.bench.example`, recordType: 'A', targets: [`10.1.${(i >> 8) & 255}.${i & 255}`],
    labels: { resource: `service/default/svc-${i}` },
  }));
}

const calls = (p: Provider, op: string): number => (p as Provider & ProviderStats).stats().calls.find((c) => c.operation === op)?.calls ?? 0;

interface Row { label: string; ms: number; txns: number; reads: number; revisions: number }

export async function benchCorednsLines(): Promise<string[]> {
  const etcd = await startTlsEtcd(['--max-txn-ops=100000', '--max-request-bytes=67108864']);
  const built = await buildCoredns(['--coredns-prefix=/skydns/'], etcd.env);
  try {
    const syncOnce = benchSync(built.provider, desired());
    const sync = async (label: string): Promise<Row> => {
      const [txn0, range0, rev0] = [calls(built.provider, 'txn'), calls(built.provider, 'range'), await etcd.etcd.revision()];
      const t0 = performance.now();
      await syncOnce();
      const ms = performance.now() - t0;
      return { label, ms, txns: calls(built.provider, 'txn') - txn0, reads: calls(built.provider, 'range') - range0, revisions: (await etcd.etcd.revision()) - rev0 };
    };
    const rows = [await sync(`extdns: first sync, ${COUNT} records + ${COUNT} TXT`), await sync('extdns: no-op re-sync'), await sync('extdns: no-op re-sync again')];
    const keys = (await etcd.etcd.get('/skydns/')).map((kv) => ({ key: `/bare${kv.key}`, value: kv.value }));
    rows.push(await bareMinimum(etcd, keys));
    const pad = (s: string): string => s.padStart(14);
    return [
      `CoreDNS (real etcd ${COUNT * 2} keys over TLS with client certificates; extdns transactions of at most 128 operations, etcd's default)`,
      ['run'.padEnd(48), ...['ms', 'transactions', 'range reads', 'revisions'].map(pad)].join(''),
      ...rows.map((r) => [r.label.padEnd(48), pad(r.ms.toFixed(0)), pad(String(r.txns)), pad(String(r.reads)), pad(String(r.revisions))].join('')),
    ];
  } finally {
    await built.close();
    await etcd.stop();
  }
}

/** The same keys in one transaction, with a plain HTTP client on the same TLS. */
async function bareMinimum(etcd: TlsEtcd, keys: { key: string; value: string }[]): Promise<Row> {
  const agent = new Agent({ connect: { ca: etcd.pki.rootA.cert, cert: etcd.pki.client.cert, key: etcd.pki.client.key } });
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  try {
    const rev0 = await etcd.etcd.revision();
    const t0 = performance.now();
    const res = await request(`${etcd.etcd.url}/v3/kv/txn`, { method: 'POST', dispatcher: agent,
      body: JSON.stringify({ success: keys.map((kv) => ({ request_put: { key: b64(kv.key), value: b64(kv.value) } })) }) });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`bare transaction: ${res.statusCode} ${text}`);
    const ms = performance.now() - t0;
    return { label: `bare minimum: ${keys.length} keys in one transaction`, ms, txns: 1, reads: 0, revisions: (await etcd.etcd.revision()) - rev0 };
  } finally {
    await agent.close();
  }
}

if (import.meta.main) for (const line of await benchCorednsLines()) console.log(line);
