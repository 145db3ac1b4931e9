/**
 * Google Cloud DNS row of `npm run bench` (issue 20): syncing 5,000 records
 * (plus their ownership TXT) through the Google provider (google-auth-library,
 * metadata-server token) into the Cloud DNS test server over HTTPS, the API
 * calls it took, the same for a no-op re-sync, next to the fewest changes
 * --google-batch-change-size (1,000 additions and deletions per change, the
 * default) allows. The batch interval is 0 here so the time is extdns's own;
 * the default 1 s adds (writes - 1) s. Reads are paged by 100 (rrsets.list).
 */
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { createDomainFilter } from '../src/endpoint/domain-filter.ts';
import { silentLogger } from '../src/log/logger.ts';
import { createGoogleApi } from '../src/provider/google/api.ts';
import { googleCredentials } from '../src/provider/google/auth.ts';
import { createGoogleProvider } from '../src/provider/google/provider.ts';
import { systemClock } from '../src/util/clock.ts';
import { metadataIssuer, startGoogleDnsServer, startMetadataServer } from '../test/support/google-dns-server.ts';
import { createPki } from '../test/support/pki.ts';
import { desired, pad } from './route53.ts';
import { benchSync } from './sync.ts';

const COUNT = 5_000;
const BATCH = 1_000;
/** The table lines of the Google rows. */
export async function benchGoogleLines(): Promise<string[]> {
  const pki = await createPki();
  const zone = 'bench.example';
  const dns = await startGoogleDnsServer({ chain: pki.chain(pki.leaf, pki.intermediateA1), key: pki.leaf.key, project: 'bench', zones: [{ name: 'bench', dnsName: `${zone}.` }] });
  const metadata = await startMetadataServer({ project: 'bench', issue: metadataIssuer(dns) });
  process.env.GCE_METADATA_HOST = metadata.host;
  try {
    const dispatcher = new Agent({ connect: { ca: pki.rootA.cert } });
    const credentials = await googleCredentials({ dispatcher, projectId: 'bench' });
    const api = createGoogleApi({ base: dns.apiBase, project: 'bench', token: () => credentials.token(), dispatcher, logger: silentLogger });
    const provider = createGoogleProvider({
      domainFilter: createDomainFilter({ include: [zone] }), zoneIdFilter: [], zoneVisibility: '', batchChangeSize: BATCH, batchChangeIntervalMs: 0,
    }, { api, logger: silentLogger, clock: systemClock });
    const syncOnce = benchSync(provider, desired(zone));
    const sync = async (label: string): Promise<string> => {
      const mark = dns.log.length;
      const t0 = performance.now();
      await syncOnce();
      const ms = performance.now() - t0;
      const log = dns.log.slice(mark).filter((l) => l.operation !== 'token');
      const writes = log.filter((r) => r.operation === 'changes');
      return [label.padEnd(48), pad(ms.toFixed(0)), pad(String(log.length)), pad(String(writes.length))].join('');
    };
    const first = await sync(`extdns: first sync, ${COUNT} records + ${COUNT} TXT`);
    const noop = await sync('extdns: no-op re-sync');
    const sets = dns.rrsets('bench').filter((s) => s.type === 'A' || s.type === 'TXT').length;
    return [
      'Google Cloud DNS (google-auth-library + REST -> test server over HTTPS; calls counted by the server; batch interval 0)',
      ['run', 'ms', 'API calls', 'writes (changes)'].map((h, i) => (i === 0 ? h.padEnd(48) : pad(h))).join(''),
      first,
      noop,
      [`limits' floor: ${sets} additions, ${BATCH} per change`.padEnd(48), pad('-'), pad('-'), pad(String(Math.ceil(sets / BATCH)))].join(''),
    ];
  } finally {
    await metadata.close();
    await dns.close();
    await pki.cleanup();
  }
}
