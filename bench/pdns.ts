/**
 * PowerDNS row of `npm run bench` (issue 4): syncing 5,000 records (plus their
 * ownership TXT) into a real PowerDNS, the API requests it took, the same for a
 * no-op re-sync, next to the bare minimum: the same rrsets sent directly as one
 * PATCH with a plain HTTP client. Requests are counted in nginx's access log.
 */
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { createDomainFilter } from '../src/endpoint/domain-filter.ts';
import { silentLogger } from '../src/log/logger.ts';
import { createPdnsProvider } from '../src/provider/pdns/index.ts';
import { systemClock } from '../src/util/clock.ts';
import { startNginx } from '../test/support/nginx.ts';
import { startPdns } from '../test/support/pdns-server.ts';
import { benchSync } from './sync.ts';

const COUNT = 5_000;

export interface PdnsBenchRow { label: string; ms: number; requests: number; writes: number }

function desired(zone: string): Endpoint[] {
  return Array.from({ length: COUNT }, (_, i) => newEndpoint({
    dnsName: `svc-${i}.${zone}`, recordType: 'A', targets: [`10.1.${(i >> 8) & 255}.${i & 255}`],
    labels: { resource: `service/default/svc-${i}` },
  }));
}

export async function benchPdns(): Promise<PdnsBenchRow[]> {
  const pdns = await startPdns();
  const front = await startNginx({ upstream: pdns.apiUrl });
  try {
    const zone = 'bench.example';
    await pdns.createZone(zone);
    const provider = createPdnsProvider({ server: front.url, serverId: pdns.serverId, apiKey: pdns.apiKey, skipTlsVerify: false,
      domainFilter: createDomainFilter({ include: [zone] }) }, { logger: silentLogger, clock: systemClock });
    const syncOnce = benchSync(provider, desired(zone));
    const sync = async (label: string): Promise<PdnsBenchRow> => {
      await front.mark();
      const t0 = performance.now();
      await syncOnce();
      const ms = performance.now() - t0;
      const log = await front.requestsSinceMark();
      return { label, ms, requests: log.length, writes: log.filter((r) => r.method === 'PATCH').length };
    };
    const first = await sync(`extdns: first sync, ${COUNT} records + ${COUNT} TXT`);
    const noop = await sync('extdns: no-op re-sync');
    const bare = await bareMinimum(pdns.apiKey, front, `bare.example`, pdns);
    return [first, noop, bare];
  } finally {
    await front.stop();
    await pdns.stop();
  }
}

/** The same records and TXT as one PATCH sent with a plain HTTP client: the floor. */
async function bareMinimum(apiKey: string, front: Awaited<ReturnType<typeof startNginx>>, zone: string,
  pdns: Awaited<ReturnType<typeof startPdns>>): Promise<PdnsBenchRow> {
  await pdns.createZone(zone);
  const rrsets = Array.from({ length: COUNT }, (_, i) => [
    { name: `svc-${i}.${zone}.`, type: 'A', ttl: 300, changetype: 'REPLACE', records: [{ content: `10.1.${(i >> 8) & 255}.${i & 255}`, disabled: false }] },
    { name: `a-svc-${i}.${zone}.`, type: 'TXT', ttl: 300, changetype: 'REPLACE',
      records: [{ content: `"heritage=external-dns,external-dns/owner=bench,external-dns/resource=service/default/svc-${i}"`, disabled: false }] },
  ]).flat();
  await front.mark();
  const t0 = performance.now();
  const res = await request(`${front.url}/api/v1/servers/${pdns.serverId}/zones/${zone}.`, {
    method: 'PATCH', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ rrsets }),
  });
  await res.body.dump();
  const ms = performance.now() - t0;
  const log = await front.requestsSinceMark();
  return { label: 'bare minimum: one direct PATCH', ms, requests: log.length, writes: log.filter((r) => r.method === 'PATCH').length };
}
