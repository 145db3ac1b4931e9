/**
 * RFC 2136 row of `npm run bench` (issue 18): 5,000 records (plus their
 * ownership TXT) synced into a real BIND 9 by UPDATE, and a no-op re-sync,
 * next to the bare minimum: the same records sent by BIND's own nsupdate in
 * messages of the same batch size. UPDATE messages and AXFRs are counted in
 * named's log (one "signer approved" line per UPDATE, one "AXFR started" per transfer).
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { newEndpoint, type Endpoint } from '../src/endpoint/endpoint.ts';
import { silentLogger } from '../src/log/logger.ts';
import { createRfc2136Provider } from '../src/provider/rfc2136/provider.ts';
import { systemClock } from '../src/util/clock.ts';
import { startBind, type DnsTestServer } from '../test/support/dns-servers.ts';
import { benchSync } from './sync.ts';

const COUNT = 5_000;
const BATCH = 50;
const ZONE = 'bench.example';
const BARE_ZONE = 'bare.example';

function desired(): Endpoint[] {
  return Array.from({ length: COUNT }, (_, i) => newEndpoint({
    dnsName: `svc-${i}.${ZONE}`, recordType: 'A', targets: [`10.1.${(i >> 8) & 255}.${i & 255}`], recordTTL: 300,
    labels: { resource: `service/default/svc-${i}` },
  }));
}

function counts(bind: DnsTestServer): { updates: number; axfrs: number } {
  const log = bind.log();
  return { updates: (log.match(/signer "[^"]+" approved/g) ?? []).length, axfrs: (log.match(/AXFR started/g) ?? []).length };
}

async function timed(bind: DnsTestServer, label: string, work: () => Promise<void>): Promise<string[]> {
  const before = counts(bind);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 200)); // named's log lines reach us through its stderr pipe
  const after = counts(bind);
  return [label.padEnd(48), ms.toFixed(0).padStart(12), String(after.updates - before.updates).padStart(16), String(after.axfrs - before.axfrs).padStart(8)];
}

function nsupdateBatches(bind: DnsTestServer): Promise<void> {
  const lines = [`server 127.0.0.1 ${bind.port}`, `zone ${BARE_ZONE}`];
  for (let i = 0; i < COUNT; i++) {
    lines.push(`update add svc-${i}.${BARE_ZONE} 300 A 10.1.${(i >> 8) & 255}.${i & 255}`,
      `update add a-svc-${i}.${BARE_ZONE} 300 TXT "heritage=external-dns,external-dns/owner=bench,external-dns/resource=service/default/svc-${i}"`);
    if ((i + 1) % (BATCH / 2) === 0) lines.push('send');
  }
  if (COUNT % (BATCH / 2) !== 0) lines.push('send');
  lines.push('');
  const key = bind.key();
  return new Promise((resolve, reject) => {
    const child = execFile('nsupdate', ['-v', '-y', `${key.algorithm}:${key.name}:${key.secret}`], { maxBuffer: 1 << 24 },
      (err) => { if (err === null) resolve(); else reject(err); });
    child.stdin?.end(lines.join('\n'));
  });
}

export async function benchRfc2136Lines(): Promise<string[]> {
  const bind = await startBind({ zones: [ZONE, BARE_ZONE], transferMessageSize: 20480 });
  try {
    const key = bind.key();
    const provider = createRfc2136Provider({
      hosts: ['127.0.0.1'], port: bind.port, zones: [ZONE], insecure: false, tsigKeyName: key.name, tsigSecret: key.secret,
      tsigSecretAlg: key.algorithm, axfr: true, minTtlMs: 0, batchChangeSize: BATCH, loadBalancingStrategy: 'disabled', useTls: false, gssTsig: false,
    }, { logger: silentLogger, clock: systemClock });
    const syncOnce = benchSync(provider, desired());
    const sync = async (): Promise<void> => {
      await syncOnce();
    };
    const header = ['run'.padEnd(48), 'ms'.padStart(12), 'UPDATE messages'.padStart(16), 'AXFRs'.padStart(8)].join('');
    return [
      `RFC 2136 (real BIND 9, TSIG hmac-sha256, --rfc2136-batch-change-size=${BATCH}; ${COUNT} records + ${COUNT} TXT = ${2 * COUNT} changes, ceil(${2 * COUNT}/${BATCH}) = ${Math.ceil((2 * COUNT) / BATCH)} messages expected)`,
      header,
      (await timed(bind, `extdns: first sync, ${COUNT} records + ${COUNT} TXT`, sync)).join(''),
      (await timed(bind, 'extdns: no-op re-sync', sync)).join(''),
      (await timed(bind, `bare minimum: nsupdate, ${BATCH} changes per message`, () => nsupdateBatches(bind))).join(''),
    ];
  } finally {
    await bind.stop();
  }
}
