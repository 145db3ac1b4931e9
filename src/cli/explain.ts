/**
 * `extdns explain NAME [run flags] [--output=table|json]`: one dry sync (as
 * `extdns plan`), watched through the controller's observer, then the story
 * of one name (src/explain). When --annotation-filter or --label-filter is
 * set, the sources are read a second time without them, to name the objects
 * those filters drop. Exit codes: 0 nothing would change for the name, 2 the
 * plan would change its records, 1 an error.
 */
import type { Config } from '../config/schema.ts';
import type { SyncObserver } from '../controller/controller.ts';
import type { Endpoint } from '../endpoint/endpoint.ts';
import { ExtdnsError } from '../errors/errors.ts';
import { explain, normalizeName, type Explanation } from '../explain/explain.ts';
import { renderExplanation } from '../explain/render.ts';
import type { PlanResult } from '../plan/plan.ts';
import { buildPipeline, type BuildDeps } from './build.ts';
import { domainFilterFrom } from './provider-wiring.ts';
import { CliErrors } from './errors.ts';
import { recordingOrigins } from '../source/origin.ts';

export const EXPLAIN_OUTPUTS = ['table', 'json'] as const;
export type ExplainOutput = (typeof EXPLAIN_OUTPUTS)[number];

export const EXPLAIN_HELP = `usage: extdns explain NAME [run flags] [--output=table|json]

Explains one DNS name from one dry sync (nothing is written): which source
objects ask for it (kind/namespace/name and the annotation or rule), which
filters keep or drop it (domain, annotation and label filters, managed and
excluded record types), what the provider holds for it and who owns that
(this owner id, another owner by name, nobody), the plan's decision and why
(policy, ownership, conflict rules, delete brake, source fence), and what
would change the outcome.

Takes the same flags as a run (--source, --provider, --txt-owner-id, ...).

  --output=table|json   table for people (default), JSON for programs

Exit codes:
  0  nothing would change for NAME (up to date, left alone, or not asked for)
  1  error (bad flags, unreachable provider or sources)
  2  the plan would create, update or delete records of NAME
`;

/** The NAME: the first argument after `explain`, which must not be a flag. */
export function explainName(flags: readonly string[]): { name: string; rest: string[] } {
  const [first, ...rest] = flags;
  if (first === undefined || first.startsWith('-') || normalizeName(first) === '') {
    throw new ExtdnsError(CliErrors.EXTDNS_CLI_EXPLAIN_NAME, 'extdns explain needs the DNS name first: extdns explain www.example.org [run flags]; see extdns explain --help.');
  }
  return { name: first, rest };
}

interface Seen {
  current: readonly Endpoint[];
  desired: readonly Endpoint[];
  plan: PlanResult | undefined;
}

export function runExplain(name: string, config: Config, deps: BuildDeps & { write: (t: string) => void; signal: AbortSignal }, output: ExplainOutput): Promise<number> {
  // The sources note where in each object a name comes from (the exact annotation, rule or field) while explain runs.
  return recordingOrigins(() => explainOnce(name, config, deps, output));
}

async function explainOnce(name: string, config: Config, deps: BuildDeps & { write: (t: string) => void; signal: AbortSignal }, output: ExplainOutput): Promise<number> {
  const seen: Seen = { current: [], desired: [], plan: undefined };
  const watcher: SyncObserver = {
    registryRead: (r) => { seen.current = r; },
    sourcesRead: (c) => { seen.desired = c.endpoints; },
    planned: (p) => { seen.plan = p; },
  };
  const pipeline = await buildPipeline(config, { ...deps, observe: () => watcher }, { dryRun: true });
  let explanation: Explanation;
  try {
    await pipeline.start(deps.signal, { loop: false, cacheTimeoutMs: CACHE_SYNC_TIMEOUT_MS });
    const result = await pipeline.controller.runOnce(deps.signal);
    const plan = seen.plan ?? { changes: result.changes, skippedOwnerMismatch: [] };
    const filtered = normalizeName(name);
    explanation = explain({
      name, ownerId: pipeline.registry.ownerId(), policy: config.policy, desired: seen.desired,
      unfiltered: await unfilteredSources(config, deps), current: seen.current, plan, result,
      filters: {
        domainKeeps: domainFilterFrom(config).match(filtered) && pipeline.registry.domainFilter().match(filtered),
        domainFilterText: describeDomainFilter(config),
        annotationFilter: config.annotationFilter, labelFilter: config.labelFilter,
        managedRecordTypes: config.managedRecordTypes, excludeRecordTypes: config.excludeRecordTypes,
      },
    });
  } finally {
    await pipeline.close();
  }
  deps.write(renderExplanation(explanation, output));
  return explanation.changes ? 2 : 0;
}

const CACHE_SYNC_TIMEOUT_MS = 60_000;

/** The sources again without the annotation and label filters (undefined when neither is set). */
async function unfilteredSources(config: Config, deps: BuildDeps & { signal: AbortSignal }): Promise<Endpoint[] | undefined> {
  if (config.annotationFilter === '' && config.labelFilter === '') return undefined;
  const open = await buildPipeline({ ...config, annotationFilter: '', labelFilter: '' }, { ...deps, observe: undefined }, { dryRun: true });
  try {
    await open.start(deps.signal, { loop: false, cacheTimeoutMs: CACHE_SYNC_TIMEOUT_MS });
    return (await open.sources.collect(deps.signal)).endpoints;
  } finally {
    await open.close();
  }
}

function describeDomainFilter(config: Config): string {
  const parts: string[] = [];
  if (config.domainFilter.length > 0) parts.push(`--domain-filter=${config.domainFilter.join(',')}`);
  if (config.excludeDomains.length > 0) parts.push(`--exclude-domains=${config.excludeDomains.join(',')}`);
  if (config.regexDomainFilter !== '') parts.push(`--regex-domain-filter=${config.regexDomainFilter}`);
  if (config.regexDomainExclusion !== '') parts.push(`--regex-domain-exclusion=${config.regexDomainExclusion}`);
  return parts.join(' ');
}
