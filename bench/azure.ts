/**
 * Azure row of `npm run bench` (issue 21): 5,000 records (plus their ownership
 * TXT) synced into Azure DNS through the real SDKs against the ARM test server
 * (HTTPS from a private CA, pages of 100 as ARM serves them), then a no-op
 * re-sync. Requests are counted by the server; token requests apart.
 */
import { performance } from 'node:perf_hooks';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { buildAzureProvider, stackHubConfig, startArm } from '../test/azure/harness.ts';
import { createPki } from '../test/support/pki.ts';
import { benchSync } from './sync.ts';

const COUNT = 5_000;
const ZONE = 'bench.example';

function desired(): Endpoint[] {
  return Array.from({ length: COUNT }, (_, i) => newEndpoint({
    dnsName: `svc-${i}.${ZONE}`, recordType: 'A', targets: [`10.1.${(i >> 8) & 255}.${i & 255}`],
    labels: { resource: `service/default/svc-${i}` },
  }));
}

export async function benchAzureLines(): Promise<string[]> {
  const pki = await createPki();
  const server = await startArm(pki);
  server.addZone('dns', ZONE);
  const built = await buildAzureProvider('azure', stackHubConfig(server), [`--tls-ca=${pki.rootA.certFile}`]);
  try {
    const syncOnce = benchSync(built.provider, desired());
    const sync = async (label: string): Promise<string> => {
      const before = server.requests.length;
      const writesBefore = server.writes();
      const t0 = performance.now();
      await syncOnce();
      const ms = performance.now() - t0;
      return [label.padEnd(48), String(Math.round(ms)).padStart(12), String(server.requests.length - before).padStart(14), String(server.writes() - writesBefore).padStart(21)].join('');
    };
    const lines = ['Azure DNS (SDKs against the ARM test server over HTTPS; requests counted by the server)',
      ['run'.padEnd(48), 'ms'.padStart(12), 'API requests'.padStart(14), 'writes (PUT/DELETE)'.padStart(21)].join('')];
    lines.push(await sync(`extdns: first sync, ${COUNT} records + ${COUNT} TXT`));
    lines.push(await sync('extdns: no-op re-sync'));
    lines.push(`token requests: ${server.tokenRequests.length}`);
    return lines;
  } finally {
    await built.close();
    await server.close();
    await pki.cleanup();
  }
}
