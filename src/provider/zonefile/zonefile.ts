/**
 * The zone-file provider: every `<dir>/<zone>.zone` RFC 1035 master file is
 * one zone named after the file. records() reads them all as BIND loads them.
 * applyChanges() locks the zones it touches (./lock.ts, in name order, so
 * writers never deadlock), re-reads them under the lock, validates the whole
 * batch (./batch.ts), sets aside the changes BIND would refuse
 * (./integrity.ts), edits only the changed lines (./edit.ts) with the SOA
 * serial bumped, and replaces each file atomically, keeping its identity
 * (./write.ts). A zone that does not parse is never rewritten; an empty batch
 * writes nothing.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { MATCH_ALL, type DomainFilter } from '../../endpoint/domain-filter.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import { DNS_SERVER_CAPABILITIES } from '../capabilities.ts';
import { systemRandom, type Clock, type Random } from '../../util/clock.ts';
import { filterSliced, paced, SliceCounter, yieldToLoop, type Pause, type Sliced } from '../../util/sliced.ts';
import type { Provider } from '../provider.ts';
import { landedCounter, type ApplyProgress, type LandedCounter } from '../progress.ts';
import { isEmpty, opKeys, planOps, toOps, zoneSets, type Op, type ZoneEdit } from './batch.ts';
import { editZone } from './edit.ts';
import { adjustEndpoint, canonicalName, EndpointCollector } from './endpoints.ts';
import { ZonefileErrors } from './errors.ts';
import { checkIntegrity } from './integrity.ts';
import { acquireLock, type HeldLock, type LockOptions } from './lock.ts';
import { parseZoneEachSliced, parseZoneSliced, type FileRecord, type ParsedZone } from './parse.ts';
import { compareNames } from './render.ts';
import { nextSerial, serialOf } from './serial.ts';
import { ioError, readZoneBytes, removeLeftoverTemps, replaceZoneFile, zoneTarget } from './write.ts';

export interface ZonefileOptions {
  /** --zonefile-dir: the directory holding `<zone>.zone` files. */
  dir: string;
  domainFilter?: DomainFilter;
  /** TTL for records created without one. Default 300. */
  defaultTtl?: number;
  /** How long a writer waits for another's zone lock (default 30 s), and when a lock counts as abandoned (default 120 s). */
  lockWaitMs?: number;
  staleLockMs?: number;
}

export interface ZonefileDeps {
  clock: Clock;
  logger: Logger;
  random?: Random;
  /** Gives the event loop a turn between slices of a big apply or read (default: setImmediate). */
  pause?: Pause;
}

const ZONE_SUFFIX = '.zone';
const LOCK_POLL_MS = 100;

interface LoadedZone {
  zone: string;
  file: string;
  /** The file written: the symlink's target, if the zone file is a link. */
  target: string;
  text: string;
  parsed: ParsedZone;
  soa: FileRecord;
}

export function createZonefileProvider(options: ZonefileOptions, deps: ZonefileDeps): Provider {
  const filter = options.domainFilter ?? MATCH_ALL;
  const defaultTtl = options.defaultTtl !== undefined && options.defaultTtl > 0 ? options.defaultTtl : 300;
  const logger = deps.logger;
  const random = deps.random ?? systemRandom;
  const run: Run = (work) => paced(work, deps.pause ?? yieldToLoop);
  const lockOptions: LockOptions = {
    clock: deps.clock, random, waitMs: options.lockWaitMs ?? 30_000, staleMs: options.staleLockMs ?? 120_000, pollMs: LOCK_POLL_MS,
  };
  // One apply at a time in this process; the zone locks order writers across processes.
  let queue: Promise<void> = Promise.resolve();

  const zoneFiles = (): Promise<Map<string, string>> => zoneFilesInScope(options.dir, filter);

  const writeZones = async (edits: readonly (ZoneEdit & { loaded: LoadedZone })[], landed: LandedCounter): Promise<string[]> => {
    const planned = await run(planOps(edits, defaultTtl));
    const refused: string[] = [];
    for (const [i, edit] of edits.entries()) {
      const { loaded } = edit;
      const checked = await run(checkIntegrity(edit.zone, loaded.parsed.records, planned[i] ?? []));
      for (const r of checked.refused) refused.push(r);
      if (checked.accepted.length === 0) continue;
      const serial = nextSerial(serialOf(loaded.soa.rdata), deps.clock.now());
      const text = await run(editZone({ text: loaded.text, file: loaded.file, parsed: loaded.parsed, sets: edit.sets, ops: checked.accepted, serial }));
      await replaceZoneFile(loaded.target, loaded.text, text, random);
      logger.info('Zone file updated', { zone: edit.zone, file: loaded.file, serial, changes: checked.accepted.length });
      landed.add(edit.ops.length);
    }
    return refused;
  };

  const apply = async (changes: Changes, signal: AbortSignal, landed: LandedCounter): Promise<void> => {
    const ops = toOps(changes);
    const files = await zoneFiles();
    const byZone = await run(groupByZone(ops, files));
    const zones = [...byZone.keys()].sort(compareNames);
    const locks: HeldLock[] = [];
    let refused: string[];
    try {
      const edits: (ZoneEdit & { loaded: LoadedZone })[] = [];
      const targets = new Map<string, string>();
      for (const zone of zones) {
        const target = await zoneTarget(files.get(zone) ?? '');
        claimTarget(targets, target, zone);
        locks.push(await acquireLock(target, lockOptions, signal));
        const leftovers = await removeLeftoverTemps(target);
        if (leftovers.length > 0) logger.info('Removed temp files of an interrupted write', { zone, files: leftovers });
        const loaded = await loadZone(zone, files.get(zone) ?? '', target, run);
        const zoneOps = byZone.get(zone) ?? [];
        const sets = await run(zoneSets(loaded.parsed.records, await run(opKeys(zoneOps))));
        edits.push({ zone, file: loaded.file, sets, ops: zoneOps, loaded });
      }
      signal.throwIfAborted();
      refused = await writeZones(edits, landed);
    } finally {
      for (const lock of locks.reverse()) await lock.release();
    }
    throwIfRefused(refused, logger);
  };

  return {
    async records(signal: AbortSignal): Promise<Endpoint[]> {
      const out: Endpoint[] = [];
      for (const [zone, file] of await zoneFiles()) {
        signal.throwIfAborted();
        await readEndpoints(zone, file, out, run);
      }
      return out;
    },
    applyChanges(changes: Changes, signal: AbortSignal, progress?: ApplyProgress): Promise<void> {
      if (isEmpty(changes)) return Promise.resolve();
      const run = queue.then(() => apply(changes, signal, landedCounter(changes, progress)));
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

/** Refuses two zones whose files are one file (a link to another zone's file): a file holds one zone. */
function claimTarget(targets: Map<string, string>, target: string, zone: string): void {
  const twin = targets.get(target);
  if (twin !== undefined) {
    throw new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_NO_SOA, `the zone files of ${twin} and ${zone} are the same file (${target}); a file holds one zone`);
  }
  targets.set(target, zone);
}

/** Changes BIND would not load were left out and the rest written: each is logged, and the sync reports them as a data error. */
function throwIfRefused(refused: readonly string[], logger: Logger): void {
  if (refused.length === 0) return;
  for (const r of refused) logger.warn('Change refused: BIND would not load the zone', { change: r });
  const shown = refused.slice(0, 20);
  const more = refused.length > shown.length ? `\n  … and ${refused.length - shown.length} more (logged)` : '';
  throw new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_REFUSED,
    `${refused.length} change(s) refused because BIND would not load the zone with them; the other changes were written:\n  ${shown.join('\n  ')}${more}`);
}

async function zoneFilesInScope(dir: string, filter: DomainFilter): Promise<Map<string, string>> {
  const all = await listZoneFiles(dir);
  return new Map([...all].filter(([zone]) => zoneInScope(filter, zone)));
}

/** Zone name → file path for every `*.zone` file (hidden files, e.g. our temp files, are skipped). */
async function listZoneFiles(dir: string): Promise<Map<string, string>> {
  const names = await readDirectory(dir);
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
function* groupByZone(ops: readonly Op[], files: ReadonlyMap<string, string>): Sliced<Map<string, Op[]>> {
  const byZone = new Map<string, Op[]>();
  const orphans: string[] = [];
  // Each op is compared with every zone: a slice is a thousand comparisons.
  const slice = new SliceCounter();
  for (const op of ops) {
    if (slice.full(files.size)) yield;
    const name = canonicalName(op.endpoint.dnsName);
    let best: string | undefined;
    for (const zone of files.keys()) {
      if ((name === zone || name.endsWith(`.${zone}`)) && (best === undefined || zone.length > best.length)) best = zone;
    }
    if (best === undefined) {
      orphans.push(`${op.kind} of ${name} ${op.endpoint.recordType}`);
      continue;
    }
    const list = byZone.get(best);
    if (list === undefined) byZone.set(best, [op]);
    else list.push(op);
  }
  if (orphans.length > 0) {
    throw new ExtdnsError(
      ZonefileErrors.EXTDNS_ZONEFILE_NO_ZONE,
      `no zone file holds ${orphans.join('; ')} (zones: ${[...files.keys()].join(', ') || 'none'}); nothing was written`,
    );
  }
  return byZone;
}

/** Runs a Sliced computation, pausing between its slices. */
type Run = <T>(work: Sliced<T>) => Promise<T>;

async function loadZone(zone: string, file: string, target: string, run: Run): Promise<LoadedZone> {
  const text = await readZoneBytes(target);
  const parsed = await run(parseZoneSliced(text, { origin: zone, file }));
  const soa = theSoa(zone, file, await run(filterSliced(parsed.records, (r) => r.type === 'SOA')));
  return { zone, file, target, text, parsed, soa };
}

/** The zone's endpoints, parsed as a stream (records() of a large zone keeps only its endpoints). */
async function readEndpoints(zone: string, file: string, out: Endpoint[], run: Run): Promise<void> {
  const text = await readZoneBytes(file);
  const collector = new EndpointCollector();
  const soas: FileRecord[] = [];
  await run(parseZoneEachSliced(text, { origin: zone, file }, (r) => {
    if (r.type === 'SOA') soas.push(r);
    collector.add(r);
  }));
  theSoa(zone, file, soas);
  await run(collector.finishSliced(out));
}

function theSoa(zone: string, file: string, soas: readonly FileRecord[]): FileRecord {
  const soa = soas[0];
  if (soas.length !== 1 || soa === undefined || soa.name !== zone) {
    const found = soas.map((r) => r.name || '.').join(', ') || 'none';
    throw new ExtdnsError(
      ZonefileErrors.EXTDNS_ZONEFILE_NO_SOA,
      `${file}: a zone file needs exactly one SOA record, at its apex ${zone} (found: ${found}); add one such as "@ IN SOA ns1.${zone}. hostmaster.${zone}. 1 3600 600 604800 300"`,
    );
  }
  return soa;
}

/** Lists the zone directory, or an EXTDNS_ZONEFILE_IO error. */
async function readDirectory(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    throw ioError(`cannot list the zone directory ${dir}`, err);
  }
}
