/**
 * Zone-file rows of `npm run bench` (issue 13, item 7): a sync of a zone of
 * 1,000,000 records (records(), then one change applied: read under the lock,
 * checked, edited in place, parsed again to verify, written atomically), run
 * in a fresh child process so its peak RSS is its own. Printed, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newEndpoint } from '../src/endpoint/endpoint.ts';
import { silentLogger } from '../src/log/logger.ts';
import { emptyChanges } from '../src/plan/plan.ts';
import { createZonefileProvider } from '../src/provider/zonefile/zonefile.ts';
import { systemClock } from '../src/util/clock.ts';

const SIZES = [100_000, 1_000_000];
const WIDTH = 16;

/** A zone of `n` A records (plus SOA and NS), as a person or a generator would write it. */
function zoneText(n: number): string {
  const parts = ['$ORIGIN example.org.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n'];
  for (let i = 0; i < n; i++) parts.push(`svc-${i} IN A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\n`);
  return parts.join('');
}

interface Row { records: number; mib: number; readMs: number; applyMs: number; rssMiB: number }

/** In the child: one sync of an n-record zone; prints its row as JSON. */
async function child(n: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-bench-zone-'));
  try {
    const text = zoneText(n);
    await writeFile(join(dir, 'example.org.zone'), text);
    const provider = createZonefileProvider({ dir }, { clock: systemClock, logger: silentLogger });
    const signal = new AbortController().signal;
    const t0 = performance.now();
    const records = await provider.records(signal);
    const t1 = performance.now();
    await provider.applyChanges({ ...emptyChanges(), create: [newEndpoint({ dnsName: 'new.example.org', recordType: 'A', targets: ['192.0.2.9'] })] }, signal);
    const t2 = performance.now();
    const row: Row = { records: records.length, mib: text.length / 2 ** 20, readMs: t1 - t0, applyMs: t2 - t1, rssMiB: process.resourceUsage().maxRSS / 1024 };
    console.log(JSON.stringify(row));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runChild(n: number): Promise<Row> {
  const proc = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', import.meta.filename, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  if (code !== 0) throw new Error(`zone-file bench child for ${n} records exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Row;
}

export async function benchZonefileLines(): Promise<string[]> {
  const lines = ['zone file provider: one sync of a large zone (records(), then one change written), fresh process each',
    ['records', 'file MiB', 'records() ms', 'apply ms', 'peak RSS MiB'].map((h) => h.padStart(WIDTH)).join('')];
  for (const n of SIZES) {
    const r = await runChild(n);
    lines.push([String(r.records), r.mib.toFixed(1), r.readMs.toFixed(0), r.applyMs.toFixed(0), r.rssMiB.toFixed(0)].map((c) => c.padStart(WIDTH)).join(''));
  }
  return lines;
}

if (process.argv[2] !== undefined) await child(Number(process.argv[2]));
