/**
 * Helpers for zone-file tests: temporary zone directories, and validation of
 * every written zone with BIND's own checker, `named-checkzone`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Provider } from '../../src/provider/provider.ts';

const execFileAsync = promisify(execFile);

export const NAMED_CHECKZONE = '/usr/bin/named-checkzone';

/** A zone holding only its SOA and an out-of-zone NS (so no glue records show up in records()). */
export function minimalZone(zone: string, serial = 1): string {
  return [
    `$ORIGIN ${zone}.`,
    '$TTL 3600',
    `@ IN SOA ns1.nameserver.test. hostmaster.${zone}. ( ${serial} 3600 600 604800 300 )`,
    '@ IN NS ns1.nameserver.test.',
    '',
  ].join('\n');
}

export interface ZoneDir {
  dir: string;
  file: (zone: string) => string;
  cleanup: () => Promise<void>;
}

/** A fresh temporary directory with one file per zone (contents default to minimalZone). */
export async function makeZoneDir(zones: Record<string, string> | readonly string[]): Promise<ZoneDir> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-zonefile-'));
  const entries = Array.isArray(zones) ? zones.map((z: string) => [z, minimalZone(z)] as const) : Object.entries(zones);
  for (const [zone, text] of entries) await writeFile(join(dir, `${zone}.zone`), text);
  return {
    dir,
    file: (zone) => join(dir, `${zone}.zone`),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface CheckResult {
  ok: boolean;
  output: string;
}

/** Runs named-checkzone on one file. */
export async function namedCheckzone(zone: string, file: string): Promise<CheckResult> {
  try {
    const { stdout, stderr } = await execFileAsync(NAMED_CHECKZONE, ['-q', '-i', 'local', zone, file]);
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    // -q silences output; rerun loudly to get the reason.
    const loud = await execFileAsync(NAMED_CHECKZONE, ['-i', 'local', zone, file]).catch((x: unknown) => x as { stdout?: string; stderr?: string });
    return { ok: false, output: `${e.message}\n${loud.stdout ?? ''}${loud.stderr ?? ''}` };
  }
}

/** Throws unless every `*.zone` file in `dir` passes named-checkzone. */
export async function assertZonesValid(dir: string): Promise<void> {
  for (const name of (await readdir(dir)).sort()) {
    if (!name.endsWith('.zone') || name.startsWith('.')) continue;
    const zone = name.slice(0, -'.zone'.length);
    const result = await namedCheckzone(zone, join(dir, name));
    if (!result.ok) throw new Error(`named-checkzone rejected ${name}:\n${result.output}`);
  }
}

/** Wraps a zone-file provider so that every successful applyChanges is followed by named-checkzone on every zone. */
export function checkedProvider(provider: Provider, dir: string): Provider {
  return {
    records: (signal) => provider.records(signal),
    adjustEndpoints: (eps) => provider.adjustEndpoints(eps),
    domainFilter: () => provider.domainFilter(),
    async applyChanges(changes, signal) {
      await provider.applyChanges(changes, signal);
      await assertZonesValid(dir);
    },
  };
}

/** BIND's own reading of a zone file: `named-compilezone -f text -F text -o -` (one record per line, absolute names). */
export async function namedCompilezone(zone: string, file: string): Promise<string> {
  const { stdout } = await execFileAsync('/usr/bin/named-compilezone', ['-q', '-i', 'none', '-f', 'text', '-F', 'text', '-o', '-', zone, file],
    { encoding: 'latin1', maxBuffer: 256 * 2 ** 20 });
  return stdout;
}
