/**
 * Wires the stages from the parsed config: domain filter → provider →
 * registry → sources → controller. Each stage gets only its own options,
 * through the descriptor tables.
 */
import type { Config } from '../config/schema.ts';
import { createController, type Controller } from '../controller/controller.ts';
import { createDomainFilter } from '../endpoint/domain-filter-impl.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Logger } from '../log/logger.ts';
import { calculate } from '../plan/calculate.ts';
import { PROVIDERS } from '../provider/table.ts';
import type { Registry } from '../registry/registry.ts';
import { REGISTRIES } from '../registry/table.ts';
import { createSourcePipeline, type SourcePipeline } from '../source/pipeline.ts';
import { SOURCES } from '../source/table.ts';
import type { Clock, Random } from '../util/clock.ts';
import type { Environment } from '../config/process.ts';
import { createTrustStore } from '../tls/store.ts';
import type { TrustStore } from '../tls/store.ts';
import { connectionSpec, unusedTlsWarnings } from './trust-wiring.ts';

export interface BuildDeps {
  logger: Logger;
  clock: Clock;
  random: Random;
  env: Environment;
}

export interface Pipeline {
  registry: Registry;
  sources: SourcePipeline;
  controller: Controller;
  /** Stops file watchers and closes connections. */
  close(): Promise<void>;
}

export function domainFilterFrom(config: Config): DomainFilter {
  return createDomainFilter({
    include: config.domainFilter,
    exclude: config.excludeDomains,
    regexInclude: config.regexDomainFilter,
    regexExclude: config.regexDomainExclusion,
  });
}

/** Looks a name up in a descriptor table (the parser already refused unknown names). */
function lookup<T>(table: Readonly<Record<string, T>>, name: string): T {
  const found = table[name];
  if (found === undefined) throw new Error(`internal: ${name} passed the parser but has no descriptor`);
  return found;
}

export async function buildPipeline(config: Config, deps: BuildDeps, overrides: { dryRun?: boolean } = {}): Promise<Pipeline> {
  const domainFilter = domainFilterFrom(config);
  for (const warning of unusedTlsWarnings(config)) deps.logger.warn(warning);
  const stores: TrustStore[] = [];
  const trust = (connection: Parameters<typeof connectionSpec>[2]): TrustStore => {
    const store = createTrustStore(connectionSpec(config, deps.env, connection), { clock: deps.clock, logger: deps.logger.child({ stage: 'tls' }) });
    stores.push(store);
    return store;
  };
  const provider = await lookup(PROVIDERS, config.provider).create(config, {
    logger: deps.logger.child({ provider: config.provider }), clock: deps.clock, domainFilter, trust,
  });
  const registry = lookup(REGISTRIES, config.registry).create(provider, config, {
    logger: deps.logger.child({ registry: config.registry }), clock: deps.clock,
  });
  const named = config.source.map((name) => ({
    name,
    source: lookup(SOURCES, name).create(config, { logger: deps.logger, clock: deps.clock }),
  }));
  const sources = createSourcePipeline(named, {
    defaultTargets: config.defaultTargets,
    forceDefaultTargets: config.forceDefaultTargets,
    targetNetFilter: config.targetNetFilter,
    excludeTargetNets: config.excludeTargetNet,
    minTtl: Math.floor(config.minTtl / 1000),
    provider: config.provider,
    preferAlias: config.preferAlias,
  }, { logger: deps.logger });
  const controller = createController({
    policy: config.policy,
    domainFilters: [domainFilter],
    managedRecordTypes: config.managedRecordTypes,
    excludeRecordTypes: config.excludeRecordTypes,
    oldOwnerId: config.migrateFromTxtOwner,
    intervalMs: config.interval,
    minEventSyncIntervalMs: config.minEventSyncInterval,
    dryRun: overrides.dryRun ?? config.dryRun,
    allowDefaultOwnerSync: config.allowDefaultOwnerSync,
    deleteBrake: {
      allowMassDelete: config.allowMassDelete,
      thresholdPercent: config.deleteBrakeThresholdPercent,
      minimum: config.deleteBrakeMin,
      holdMs: config.deleteBrakeHold,
    },
    backoff: { baseMs: 1_000, maxMs: Math.max(1_000, Math.min(config.interval, 5 * 60_000)) },
  }, { registry, sources, plan: calculate, clock: deps.clock, random: deps.random, logger: deps.logger.child({ stage: 'controller' }) });
  if (config.events) {
    for (const { source } of named) source.addEventHandler(() => { controller.trigger(); });
  }
  const close = async (): Promise<void> => {
    await Promise.all(stores.map((s) => s.close()));
  };
  return { registry, sources, controller, close };
}
