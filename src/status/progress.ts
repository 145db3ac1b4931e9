/**
 * Long syncs (a first sync of thousands of records) say how far they are: a
 * SyncObserver that, while a sync runs longer than `everyMs` on the injected
 * clock, logs one line every `everyMs` with the step it is at, the records
 * read, the changes planned out of the total and how many of them are
 * applied. A sync shorter than `everyMs` logs nothing extra.
 *
 * "Applied" comes from the provider's progress hook (src/provider/progress.ts)
 * as its batches land; a provider that applies in one call moves it once,
 * when the call returns.
 */
import type { SyncObserver } from '../controller/controller.ts';
import type { Logger } from '../log/logger.ts';
import type { Changes } from '../plan/plan.ts';
import type { Clock } from '../util/clock.ts';

export const PROGRESS_EVERY_MS = 5_000;

interface Progress {
  startedAt: number;
  step: 'reading the provider' | 'reading the sources' | 'planning' | 'applying';
  providerRecords: number | undefined;
  sourceRecords: number | undefined;
  planned: number | undefined;
  /** Landed changes of the guarded plan (what is applied, after the delete brake and the source fence). */
  applied: number;
  applyTotal: number | undefined;
  lines: number;
}

const total = (c: Changes): number => c.create.length + c.updateNew.length + c.delete.length;

export function progressObserver(deps: { clock: Clock; logger: Logger; everyMs?: number }): SyncObserver {
  const everyMs = deps.everyMs ?? PROGRESS_EVERY_MS;
  let current: Progress | undefined;
  let stop: AbortController | undefined;
  const tick = async (p: Progress, signal: AbortSignal): Promise<void> => {
    for (;;) {
      const due = deps.clock.now() + everyMs;
      try {
        await deps.clock.sleep(everyMs, signal);
      } catch {
        return; // the sync ended
      }
      // A clock whose sleep does not wait (some tests use one) would make this loop spin: stop instead.
      if (signal.aborted || deps.clock.now() < due) return;
      p.lines++;
      deps.logger.info(`Sync in progress for ${seconds(deps.clock.now() - p.startedAt)}: ${describe(p)}`, fields(p));
    }
  };
  const end = (message: (p: Progress) => string | undefined): void => {
    stop?.abort();
    const p = current;
    current = undefined;
    const line = p === undefined || p.lines === 0 ? undefined : message(p);
    if (line !== undefined) deps.logger.info(line);
  };
  return {
    syncStarted: () => {
      stop?.abort();
      current = {
        startedAt: deps.clock.now(), step: 'reading the provider', providerRecords: undefined, sourceRecords: undefined, planned: undefined,
        applied: 0, applyTotal: undefined, lines: 0,
      };
      stop = new AbortController();
      void tick(current, stop.signal);
    },
    registryRead: (records) => { if (current) Object.assign(current, { providerRecords: records.length, step: 'reading the sources' }); },
    sourcesRead: (c) => { if (current) Object.assign(current, { sourceRecords: c.endpoints.length, step: 'planning' }); },
    planned: (result) => { if (current) Object.assign(current, { planned: total(result.changes), step: 'applying' }); },
    applyProgress: (applied, of) => { if (current) Object.assign(current, { applied: Math.max(current.applied, applied), applyTotal: of }); },
    syncSucceeded: (result, durationMs) => {
      end((p) => `Sync finished after ${seconds(durationMs)}: applied ${result.applied ? total(result.changes) : 0} of ${p.planned ?? 0} planned changes`);
    },
    syncFailed: ({ stage }) => {
      end((p) => `Sync failed after ${seconds(deps.clock.now() - p.startedAt)} while ${stage === 'apply' ? 'applying' : p.step}`);
    },
  };
}

function describe(p: Progress): string {
  const parts: string[] = [];
  if (p.providerRecords !== undefined) parts.push(`${p.providerRecords} records read from the provider`);
  if (p.sourceRecords !== undefined) parts.push(`${p.sourceRecords} records wanted by the sources`);
  if (p.planned !== undefined) parts.push(`${p.planned} changes planned, ${p.applied} of ${p.applyTotal ?? p.planned} applied so far`);
  return `${p.step}${parts.length === 0 ? '' : `; ${parts.join(', ')}`}`;
}

function fields(p: Progress): Record<string, unknown> {
  return { step: p.step, providerRecords: p.providerRecords, sourceRecords: p.sourceRecords, planned: p.planned, applied: p.applied, applyTotal: p.applyTotal ?? p.planned };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}
