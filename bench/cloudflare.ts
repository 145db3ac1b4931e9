/**
 * Cloudflare row of `npm run bench` (issue 20): syncing 5,000 records (plus
 * their ownership TXT) through the official SDK into the Cloudflare test
 * server over HTTPS, the API requests it took, the same for a no-op re-sync,
 * next to the floor the defaults allow: --batch-change-size=200 operations per
 * batch write, --cloudflare-dns-records-per-page=100 records per read page.
 * --batch-change-interval is 0 here so the time is extdns's own; the default
 * 1 s adds (writes - 1) s.
 */
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { createDomainFilter } from '../src/endpoint/domain-filter.ts';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { silentLogger } from '../src/log/logger.ts';
import { createCloudflareProvider } from '../src/provider/cloudflare/provider.ts';
import { createSdkApi } from '../src/provider/cloudflare/sdk.ts';
import { CallCounter } from '../src/provider/stats.ts';
import { systemClock } from '../src/util/clock.ts';
import { startCloudflareServer } from '../test/support/cloudflare-server.ts';
import { createPki } from '../test/support/pki.ts';
import { benchSync } from './sync.ts';

const COUNT = 5_000;
const WIDTH = 18;
const BATCH_SIZE = 200;
const PER_PAGE = 100;

function desired(zone: string): Endpoint[] {
  return Array.from({ length: COUNT }, (_, i) => newEndpoint({
    dnsName: `svc-${i}.${zone}`, recordType: 'A', targets: [`10.1.${(i >> 8) & 255}.${i & 255}`],
    labels: { resource: `service/default/svc-${i}` },
  }));
}

function pad(s: string): string {
  return s.padStart(WIDTH);
}

/** The table lines of the Cloudflare rows. */
export async function benchCloudflareLines(): Promise<string[]> {
  const pki = await createPki();
  const server = await startCloudflareServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, token: 'bench' });
  try {
    const zone = 'bench.example';
    const zoneId = server.addZone(zone);
    const counter = new CallCounter();
    const api = createSdkApi({ credentials: { kind: 'token', token: 'bench' }, baseUrl: server.baseUrl, recordsPerPage: PER_PAGE,
      dispatcher: new Agent({ connect: { ca: pki.rootA.cert } }), clock: systemClock, counter });
    const provider = createCloudflareProvider({ domainFilter: createDomainFilter({ include: [zone] }), zoneIdFilter: [], proxiedByDefault: false,
      recordComment: '', batchChangeSize: BATCH_SIZE, batchChangeIntervalMs: 0 }, { api, counter, logger: silentLogger, clock: systemClock });
    const syncOnce = benchSync(provider, desired(zone));
    const sync = async (label: string): Promise<string> => {
      const mark = server.requests.length;
      const t0 = performance.now();
      await syncOnce();
      const ms = performance.now() - t0;
      const log = server.requests.slice(mark);
      const writes = log.filter((r) => r.method === 'POST');
      return [label.padEnd(48), pad(ms.toFixed(0)), pad(String(log.length)), pad(String(writes.length))].join('');
    };
    const first = await sync(`extdns: first sync, ${COUNT} records + ${COUNT} TXT`);
    const noop = await sync('extdns: no-op re-sync');
    const stored = server.records(zoneId).length;
    const readFloor = 1 + Math.max(1, Math.ceil(stored / PER_PAGE));
    return [
      'Cloudflare (official SDK -> test server over HTTPS; requests counted by the server; batch interval 0)',
      ['run', 'ms', 'API requests', 'writes (batch)'].map((h, i) => (i === 0 ? h.padEnd(48) : pad(h))).join(''),
      first,
      noop,
      [`limits' floor: ${stored} records, ${BATCH_SIZE}/batch, ${PER_PAGE}/page`.padEnd(48), pad('-'), pad(`${readFloor} reads`), pad(String(Math.ceil(stored / BATCH_SIZE)))].join(''),
    ];
  } finally {
    await server.stop();
    await pki.cleanup();
  }
}

if (import.meta.main) {
  for (const line of await benchCloudflareLines()) console.log(line);
}
