/**
 * Route53 row of `npm run bench` (issue 6): syncing 5,000 records (plus their
 * ownership TXT) through the real AWS SDK into the Route53 test server over
 * HTTPS, the API calls it took, the same for a no-op re-sync, next to the
 * fewest writes Route53's limits allow (1,000 values and 32,000 characters
 * per ChangeResourceRecordSets). --aws-batch-change-interval is 0 here so the
 * time is extdns's own; the default 1 s adds (writes - 1) s. Then, with
 * --provider-cache-time and with --txt-cache-interval: a write of one changed
 * record followed by a no-op sync, which lists nothing (write-through).
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { createDomainFilter } from '../src/endpoint/domain-filter.ts';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { silentLogger } from '../src/log/logger.ts';
import { createAwsProvider } from '../src/provider/aws/index.ts';
import { withRecordsCache } from '../src/provider/cached.ts';
import { systemClock, systemRandom } from '../src/util/clock.ts';
import { createPki } from '../test/support/pki.ts';
import { startRoute53Server } from '../test/support/route53-server.ts';
import { benchRegistry, benchSyncWith } from './sync.ts';

const COUNT = 5_000;
const WIDTH = 18;

/** The 5,000 desired A records of the provider rows (route53, google). */
export function desired(zone: string): Endpoint[] {
  return Array.from({ length: COUNT }, (_, i) => newEndpoint({
    dnsName: `svc-${i}.${zone}`, recordType: 'A', targets: [`10.1.${(i >> 8) & 255}.${i & 255}`],
    labels: { resource: `service/default/svc-${i}` },
  }));
}

export function pad(s: string): string {
  return s.padStart(WIDTH);
}

/** The table lines of the Route53 rows. */
export async function benchRoute53Lines(): Promise<string[]> {
  const pki = await createPki();
  const server = await startRoute53Server({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key });
  try {
    const zone = 'bench.example';
    const zoneId = server.addZone(zone);
    const client = new Route53Client({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
      requestHandler: { httpsAgent: new Agent({ ca: pki.rootA.cert, keepAlive: true }) } });
    const provider = createAwsProvider({
      domainFilter: createDomainFilter({ include: [zone] }), zoneIdFilter: [], zoneType: '', zoneTags: [], zoneMatchParent: false,
      batchChangeSize: 1000, batchChangeSizeBytes: 32000, batchChangeSizeValues: 1000, batchChangeIntervalMs: 0,
      evaluateTargetHealth: true, preferCname: false, zonesCacheDurationMs: 0, apiRetries: 3,
    }, { logger: silentLogger, clock: systemClock, random: systemRandom, clients: [{ profile: '', client }] });
    let registry = benchRegistry(provider, 0);
    let want = desired(zone);
    const syncOnce = benchSyncWith(() => registry, () => want);
    const sync = async (label: string): Promise<string> => {
      const mark = server.requests.length;
      const t0 = performance.now();
      await syncOnce();
      const ms = performance.now() - t0;
      const log = server.requests.slice(mark);
      const writes = log.filter((r) => r.operation === 'ChangeResourceRecordSets');
      return [label.padEnd(56), pad(ms.toFixed(0)), pad(String(log.length)), pad(String(writes.length))].join('');
    };
    const first = await sync(`extdns: first sync, ${COUNT} records + ${COUNT} TXT`);
    const noop = await sync('extdns: no-op re-sync');
    // Cached: one read fills the cache, a one-record change is written through, the no-op sync after it lists nothing.
    const cachedRows: string[] = [];
    for (const [flag, make] of [
      ['--provider-cache-time=1h', () => benchRegistry(withRecordsCache(provider, { refreshMs: 3_600_000 }, { clock: systemClock, logger: silentLogger }))],
      ['--txt-cache-interval=1h', () => benchRegistry(provider, 3_600_000)],
    ] as const) {
      registry = make();
      await sync('fill');
      want = want.map((e, i) => (i === 0 ? { ...e, targets: [e.targets[0] === '10.9.9.9' ? '10.9.9.8' : '10.9.9.9'] } : e));
      cachedRows.push(await sync(`${flag}: sync writing 1 changed record`));
      cachedRows.push(await sync(`${flag}: no-op sync right after`));
    }
    // The floor: every change counted against the three limits.
    const sets = server.recordSets(zoneId).filter((s) => s.type === 'A' || s.type === 'TXT');
    const chars = sets.reduce((n, s) => n + s.values.reduce((m, v) => m + Buffer.byteLength(v), 0), 0);
    const values = sets.reduce((n, s) => n + s.values.length, 0);
    const floor = Math.max(Math.ceil(sets.length / 1000), Math.ceil(values / 1000), Math.ceil(chars / 32000));
    return [
      'Route53 (AWS SDK v3 -> test server over HTTPS; calls counted by the server; batch interval 0)',
      ['run', 'ms', 'API calls', 'writes (Change…)'].map((h, i) => (i === 0 ? h.padEnd(56) : pad(h))).join(''),
      first,
      noop,
      ...cachedRows,
      [`limits' floor: ${values} values, ${chars} chars`.padEnd(56), pad('-'), pad('-'), pad(String(floor))].join(''),
    ];
  } finally {
    await server.stop();
    await pki.cleanup();
  }
}

if (import.meta.main) {
  for (const line of await benchRoute53Lines()) console.log(line);
}
