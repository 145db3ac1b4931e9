/**
 * The zone-file provider: every `<dir>/<zone>.zone` RFC 1035 master file is
 * one zone named after the file. records() reads them all; applyChanges()
 * validates the whole batch first (./batch.ts), then rewrites each changed
 * zone atomically (temp file in the same directory, then rename) with its SOA
 * serial bumped. A zone that does not parse is never rewritten; an empty
 * batch writes nothing.
 */
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { MATCH_ALL, type DomainFilter } from '../../endpoint/domain-filter.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import type { Clock } from '../../util/clock.ts';
import { DNS_SERVER_CAPABILITIES } from '../capabilities.ts';
import type { Provider } from '../provider.ts';
import { applyOps, isEmpty, toOps, zoneSets, type Op, type ZoneEdit } from './batch.ts';
import { adjustEndpoint, canonicalName, recordsToEndpoints } from './endpoints.ts';
import { ZonefileErrors } from './errors.ts';
import { parseZone, type ParsedZone, type ResourceRecord } from './parse.ts';
import { compareNames, renderZone } from './render.ts';
import { nextSerial, serialOf, withSerial } from './serial.ts';

export interface ZonefileOptions {
  /** --zonefile-dir: the directory holding `<zone>.zone` files. */
  dir: string;
  domainFilter?: DomainFilter;
  /** TTL for records created without one, and `$TTL` for files that have none. Default 300. */
  defaultTtl?: number;
}

export interface ZonefileDeps {
  clock: Clock;
  logger: Logger;
}

const ZONE_SUFFIX = '.zone';
let tempCounter = 0;

interface LoadedZone {
  zone: string;
  file: string;
  text: string;
  parsed: ParsedZone;
  soa: ResourceRecord;
}

export function createZonefileProvider(options: ZonefileOptions, deps: ZonefileDeps): Provider {
  const filter = options.domainFilter ?? MATCH_ALL;
  const defaultTtl = options.defaultTtl !== undefined && options.defaultTtl > 0 ? options.defaultTtl : 300;
  const logger = deps.logger.child({ provider: 'zonefile' });
  // One apply at a time: each reads, validates and rewrites whole files.
  let queue: Promise<void> = Promise.resolve();

  const zoneFiles = async (): Promise<Map<string, string>> => {
    const all = await listZoneFiles(options.dir);
    return new Map([...all].filter(([zone]) => zoneInScope(filter, zone)));
  };

  const apply = async (changes: Changes, signal: AbortSignal): Promise<void> => {
    const ops = toOps(changes);
    const files = await zoneFiles();
    const byZone = groupByZone(ops, files);
    const edits: (ZoneEdit & { loaded: LoadedZone })[] = [];
    for (const [zone, zoneOps] of [...byZone].sort(([a], [b]) => compareNames(a, b))) {
      const loaded = await loadZone(zone, files.get(zone) ?? '');
      edits.push({ zone, file: loaded.file, sets: zoneSets(loaded.parsed.records), ops: zoneOps, loaded });
    }
    applyOps(edits, defaultTtl);
    signal.throwIfAborted();
    for (const edit of edits) {
      const { loaded } = edit;
      const serial = nextSerial(serialOf(loaded.soa.rdata), deps.clock.now());
      const records = [...edit.sets.values()].flat().map((r) => (r.type === 'SOA' ? { ...r, rdata: withSerial(r.rdata, serial) } : r));
      const text = renderZone({ origin: edit.zone, defaultTtl: loaded.parsed.defaultTtl ?? defaultTtl, records });
      await writeAtomically(loaded, text);
      logger.info('zone file updated', { zone: edit.zone, file: loaded.file, serial, changes: edit.ops.length });
    }
  };

  return {
    async records(signal: AbortSignal): Promise<Endpoint[]> {
      const out: Endpoint[] = [];
      for (const [zone, file] of await zoneFiles()) {
        signal.throwIfAborted();
        out.push(...recordsToEndpoints((await loadZone(zone, file)).parsed.records));
      }
      return out;
    },
    applyChanges(changes: Changes, signal: AbortSignal): Promise<void> {
      if (isEmpty(changes)) return Promise.resolve();
      const run = queue.then(() => apply(changes, signal));
      queue = run.catch(() => undefined);
      return run;
    },
    adjustEndpoints(endpoints: Endpoint[]): Promise<Endpoint[]> {
      return Promise.resolve(endpoints.map(adjustEndpoint));
    },
    domainFilter(): DomainFilter {
      return filter;
    },
    capabilities: DNS_SERVER_CAPABILITIES,
  };
}

/** Zone name → file path for every `*.zone` file (hidden files, e.g. our temp files, are skipped). */
async function listZoneFiles(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw ioError(`cannot list the zone directory ${dir}`, err);
  }
  const zones = new Map<string, string>();
  for (const name of names.sort()) {
    if (!name.endsWith(ZONE_SUFFIX) || name.startsWith('.') || name === ZONE_SUFFIX) continue;
    zones.set(canonicalName(name.slice(0, -ZONE_SUFFIX.length)), join(dir, name));
  }
  return zones;
}

/**
 * ExternalDNS matches zones against the filter's parent domains too: a filter
 * for `app.example.com` keeps the zone `example.com`.
 */
function zoneInScope(filter: DomainFilter, zone: string): boolean {
  if (!filter.isConfigured() || filter.match(zone)) return true;
  return (filter.toWire().include ?? []).some((d) => canonicalName(d.replace(/^\./, '')).endsWith(`.${zone}`));
}

/** Assigns each op to the zone with the longest suffix of its name. */
function groupByZone(ops: readonly Op[], files: ReadonlyMap<string, string>): Map<string, Op[]> {
  const byZone = new Map<string, Op[]>();
  const orphans: string[] = [];
  for (const op of ops) {
    const name = canonicalName(op.endpoint.dnsName);
    let best: string | undefined;
    for (const zone of files.keys()) {
      if ((name === zone || name.endsWith(`.${zone}`)) && (best === undefined || zone.length > best.length)) best = zone;
    }
    if (best === undefined) {
      orphans.push(`${op.kind} of ${name} ${op.endpoint.recordType}`);
      continue;
    }
    byZone.set(best, [...(byZone.get(best) ?? []), op]);
  }
  if (orphans.length > 0) {
    throw new ExtdnsError(
      ZonefileErrors.EXTDNS_ZONEFILE_NO_ZONE,
      `no zone file holds ${orphans.join('; ')} (zones: ${[...files.keys()].join(', ') || 'none'}); nothing was written`,
    );
  }
  return byZone;
}

async function loadZone(zone: string, file: string): Promise<LoadedZone> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw ioError(`cannot read the zone file ${file}`, err);
  }
  const parsed = parseZone(text, { origin: zone, file });
  const soas = parsed.records.filter((r) => r.type === 'SOA');
  const soa = soas[0];
  if (soas.length !== 1 || soa === undefined || soa.name !== zone) {
    const found = soas.length === 0 ? 'none' : soas.map((r) => r.name || '.').join(', ');
    throw new ExtdnsError(
      ZonefileErrors.EXTDNS_ZONEFILE_NO_SOA,
      `${file}: a zone file needs exactly one SOA record, at its apex ${zone} (found: ${found}); add one such as "@ IN SOA ns1.${zone}. hostmaster.${zone}. 1 3600 600 604800 300"`,
    );
  }
  return { zone, file, text, parsed, soa };
}

/**
 * Writes to a temp file beside the zone, flushes it, and renames it over the
 * zone, so readers see the old file or the new one, never a mix. If the file
 * changed since it was read (someone edited it), nothing is written and the
 * next sync retries with the new content.
 */
async function writeAtomically(loaded: LoadedZone, text: string): Promise<void> {
  const tmp = join(loaded.file, '..', `.${basename(loaded.file)}.extdns-${process.pid}-${++tempCounter}.tmp`);
  try {
    const mode = (await stat(loaded.file)).mode & 0o777;
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if ((await readFile(loaded.file, 'utf8')) !== loaded.text) {
      throw new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_IO, `${loaded.file} changed while extdns was updating it; nothing was written, the next sync retries`);
    }
    await rename(tmp, loaded.file);
  } catch (err) {
    await rm(tmp, { force: true });
    if (ExtdnsError.is(err)) throw err;
    throw ioError(`cannot write the zone file ${loaded.file}`, err);
  }
}

function ioError(message: string, cause: unknown): ExtdnsError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_IO, `${message}${detail}`, { cause });
}
