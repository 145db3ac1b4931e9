/**
 * PowerDNS row of `npm run bench` (issues 4 and 22): the first sync of 5,000
 * records (plus their ownership TXT) into an empty zone of a real PowerDNS
 * behind nginx, and a no-op re-sync, next to the floor: the same rrsets
 * (built before the clock starts) serialised and sent as one PATCH with a
 * plain HTTP client (undici's request, as we use it).
 *
 * One cold run each is biased (the first request of a process pays for
 * undici's parser and the JIT, PowerDNS warms its sqlite pages), so the bench
 * runs rounds: each round makes two fresh empty zones of the same size, runs
 * our first sync (a fresh provider and registry, as a starting controller) and
 * the bare PATCH, in alternating order, then deletes both zones so that every
 * round meets the same database. It prints medians with the min-max spread,
 * the paired ratio per round, and the first (cold) round on its own.
 * Requests and their times come from nginx's access log ($request_time,
 * $upstream_response_time); what is left of our wall time is our process.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { createDomainFilter } from '../src/endpoint/domain-filter.ts';
import { silentLogger } from '../src/log/logger.ts';
import { createPdnsProvider } from '../src/provider/pdns/index.ts';
import { systemClock } from '../src/util/clock.ts';
import { startNginx, type Nginx, type TimedRequest } from '../test/support/nginx.ts';
import { startPdns, type PdnsServer } from '../test/support/pdns-server.ts';
import { benchSync } from './sync.ts';
import { median } from './stats.ts';

const COUNT = 5_000;
const ROUNDS = Math.max(1, Number(process.env['EXTDNS_BENCH_PDNS_ROUNDS'] ?? 11));

/** One timed run: wall time in our process and what nginx logged for it. */
interface Run {
  ms: number;
  /** CPU time of this process meanwhile (all its threads: JIT, GC, undici), which a busy machine does not inflate. */
  cpuMs: number;
  log: TimedRequest[];
}

interface Round {
  first: Run;
  noop: Run;
  bare: Run;
}

function desired(zone: string): Endpoint[] {
  return Array.from({ length: COUNT }, (_, i) => newEndpoint({
    dnsName: `svc-${i}.${zone}`, recordType: 'A', targets: [`10.1.${(i >> 8) & 255}.${i & 255}`],
    labels: { resource: `service/default/svc-${i}` },
  }));
}

/** The rrsets our sync writes for `desired(zone)`, for one plain PATCH. */
function bareRrsets(zone: string): object[] {
  return Array.from({ length: COUNT }, (_, i) => [
    { name: `svc-${i}.${zone}.`, type: 'A', ttl: 300, changetype: 'REPLACE', records: [{ content: `10.1.${(i >> 8) & 255}.${i & 255}`, disabled: false }] },
    { name: `a-svc-${i}.${zone}.`, type: 'TXT', ttl: 300, changetype: 'REPLACE',
      records: [{ content: `"heritage=external-dns,external-dns/owner=bench,external-dns/resource=service/default/svc-${i}"`, disabled: false }] },
  ]).flat();
}

async function timed(front: Nginx, work: () => Promise<void>): Promise<Run> {
  await front.mark();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, log: await front.timedRequestsSinceMark() };
}

async function runRound(pdns: PdnsServer, front: Nginx, n: number): Promise<Round> {
  const zone = `sync-${n}.example`;
  const bareZone = `bare-${n}.example`;
  await pdns.createZone(zone);
  await pdns.createZone(bareZone);
  try {
    const provider = createPdnsProvider({ server: front.url, serverId: pdns.serverId, apiKey: pdns.apiKey, skipTlsVerify: false,
      domainFilter: createDomainFilter({ include: [zone] }) }, { logger: silentLogger, clock: systemClock });
    const syncOnce = benchSync(provider, desired(zone));
    // The rrsets are built before the clock starts, as our side's desired endpoints are; serialising them is part of the PATCH.
    const rrsets = bareRrsets(bareZone);
    const bare = (): Promise<Run> => timed(front, async () => {
      const res = await request(`${front.url}/api/v1/servers/${pdns.serverId}/zones/${bareZone}.`, {
        method: 'PATCH', headers: { 'x-api-key': pdns.apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ rrsets }),
      });
      await res.body.dump();
      if (res.statusCode !== 204) throw new Error(`bare PATCH answered ${res.statusCode}`);
    });
    // Alternate which side goes first, so neither always meets the warmer server.
    const bareFirst = n % 2 === 1 ? await bare() : undefined;
    const first = await timed(front, syncOnce);
    const noop = await timed(front, syncOnce);
    return { first, noop, bare: bareFirst ?? (await bare()) };
  } finally {
    await pdns.deleteZone(zone);
    await pdns.deleteZone(bareZone);
  }
}

export async function benchPdnsRounds(rounds = ROUNDS): Promise<Round[]> {
  const pdns = await startPdns();
  const front = await startNginx({ upstream: pdns.apiUrl });
  try {
    // Both sides send through undici: its HTTP parser is compiled once here, so round 1 does not charge it to whichever side goes first.
    await (await request(`${front.url}/api/v1/servers/${pdns.serverId}`, { headers: { 'x-api-key': pdns.apiKey } })).body.dump();
    const out: Round[] = [];
    for (let n = 0; n < rounds; n++) out.push(await runRound(pdns, front, n));
    return out;
  } finally {
    await front.stop();
    await pdns.stop();
  }
}

/** `median (min-max)` of xs. */
function spread(xs: readonly number[], digits = 0): string {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
}

const serverMs = (run: Run): number => run.log.reduce((n, r) => n + r.ms, 0);
const requestsOf = (run: Run): string => {
  const by = (m: string): number => run.log.filter((r) => r.method === m).length;
  const connections = new Set(run.log.map((r) => r.connection)).size;
  return `${run.log.length} (${by('GET')} GET, ${by('PATCH')} PATCH; ${connections} conn.)`;
};

function runLine(label: string, runs: readonly Run[]): string {
  const last = runs[runs.length - 1];
  return [label.padEnd(44), spread(runs.map((r) => r.ms)).padStart(20), spread(runs.map(serverMs)).padStart(20),
    spread(runs.map((r) => r.ms - serverMs(r))).padStart(18), spread(runs.map((r) => r.cpuMs)).padStart(18), `   ${last === undefined ? '' : requestsOf(last)}`].join('');
}

/** The median nginx time of each of our first sync's requests, in order (e.g. `GET 2, GET 1, PATCH 180`). */
function perRequest(runs: readonly Run[]): string {
  const width = Math.min(...runs.map((r) => r.log.length));
  return Array.from({ length: width }, (_, i) => {
    const method = runs[0]?.log[i]?.method ?? '';
    return `${method} ${median(runs.map((r) => r.log[i]?.ms ?? 0)).toFixed(0)}`;
  }).join(', ');
}

export async function benchPdnsLines(rounds = ROUNDS): Promise<string[]> {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const all = await benchPdnsRounds(rounds);
  const loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');
  const [cold] = all;
  const warm = all.length > 1 ? all.slice(1) : all;
  const ratios = warm.map((r) => r.first.ms / r.bare.ms);
  return [
    `PowerDNS: first sync of ${COUNT} records + ${COUNT} TXT into an empty zone (fresh provider and registry: zone list, zone GET, plan, PATCH)`,
    `vs the bare PATCH of the same ${2 * COUNT} rrsets (JSON.stringify + undici's request); real pdns_server (sqlite) behind nginx, requests timed in its access log.`,
    `nginx ms: the requests' time in nginx (PowerDNS's share included); ours ms: wall minus that (our process's work, and its wait for a CPU on a busy machine); ours CPU ms: this process's CPU time.`,
    `${rounds} rounds, fresh zones each, order alternating; medians (min-max) of rounds 2..${rounds}, the cold round 1 below; load average ${load} -> ${loadAfter}`,
    ['run'.padEnd(44), 'wall ms'.padStart(20), 'nginx ms'.padStart(20), 'ours ms'.padStart(18), 'ours CPU ms'.padStart(18), '   API requests (last round)'].join(''),
    runLine(`extdns: first sync`, warm.map((r) => r.first)),
    runLine('extdns: no-op re-sync', warm.map((r) => r.noop)),
    runLine('bare minimum: one direct PATCH', warm.map((r) => r.bare)),
    `first sync per request (nginx ms, median): ${perRequest(warm.map((r) => r.first))}; bare: ${perRequest(warm.map((r) => r.bare))}`,
    `first sync vs the bare PATCH, paired per round: ${spread(ratios, 2)}x (goal <= 1.5x)` +
      (cold === undefined ? '' : `; cold round 1: ${cold.first.ms.toFixed(0)} vs ${cold.bare.ms.toFixed(0)} ms = ${(cold.first.ms / cold.bare.ms).toFixed(2)}x ` +
        `(nginx: ${perRequest([cold.first])}; bare ${perRequest([cold.bare])})`),
  ];
}

// `node bench/pdns.ts` runs this row alone.
if (import.meta.main) for (const line of await benchPdnsLines()) console.log(line);
