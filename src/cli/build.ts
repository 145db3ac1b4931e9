/**
 * Wires the stages from the parsed config: domain filter → provider →
 * registry → sources → controller. Each stage gets only its own options,
 * through the descriptor tables.
 */
import type { Config } from '../config/schema.ts';
import { combineObservers, createController, type Controller, type SyncObserver } from '../controller/controller.ts';
import { eventObserver } from '../controller/events.ts';
import { guardWrites, type LeaderElector } from '../controller/leader.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Logger } from '../log/logger.ts';
import { calculate } from '../plan/calculate.ts';
import { withRecordsCache } from '../provider/cached.ts';
import type { Registry } from '../registry/registry.ts';
import { REGISTRIES } from '../registry/table.ts';
import { createSourcePipeline, type SourcePipeline } from '../source/pipeline.ts';
import { SOURCES } from '../source/table.ts';
import type { Clock, Random } from '../util/clock.ts';
import type { Environment } from '../config/process.ts';
import type { AttachObserver } from '../metrics/telemetry.ts';
import { progressObserver } from '../status/progress.ts';
import { conditionsObserver, statusApiOf } from '../status/conditions.ts';
import { connectKubeParts, needsKubeConnection, type KubeParts } from './kube-wiring.ts';
import { assembleProvider, closeConnections, type HeldConnections } from './provider-wiring.ts';

export interface BuildDeps {
  logger: Logger;
  clock: Clock;
  random: Random;
  env: Environment;
  /** Metrics (src/server/operations.ts); absent for plan and --once. */
  observe?: AttachObserver | undefined;
}

export interface Pipeline {
  registry: Registry;
  sources: SourcePipeline;
  controller: Controller;
  /** Set with --leader-elect in the loop: only the leader writes. */
  leader: LeaderElector | undefined;
  /**
   * Starts the Kubernetes caches (and, in the loop, the election) and waits for
   * the caches' first lists: for ever in the loop, `cacheTimeoutMs` otherwise.
   */
  start(signal: AbortSignal, options: { loop: boolean; cacheTimeoutMs: number }): Promise<void>;
  /** Ready for /readyz: the Kubernetes caches hold their first lists (true without Kubernetes sources). */
  cachesReady(): true | string;
  /** Stops file watchers and closes connections. */
  close(): Promise<void>;
}

/** Looks a name up in a descriptor table (the parser already refused unknown names). */
function lookup<T>(table: Readonly<Record<string, T>>, name: string): T {
  const found = table[name];
  if (found === undefined) throw new Error(`internal: ${name} passed the parser but has no descriptor`);
  return found;
}

/** The parts that hold resources (trust-store watchers, the Kubernetes connection), closed together. */
interface Held extends HeldConnections {
  kube: KubeParts | undefined;
}

async function closeHeld(held: Held): Promise<void> {
  await held.kube?.events?.flush();
  await Promise.all([closeConnections(held), held.kube?.close()]);
}

export async function buildPipeline(config: Config, deps: BuildDeps, overrides: { dryRun?: boolean } = {}): Promise<Pipeline> {
  const held: Held = { stores: [], kube: undefined };
  try {
    return await assemble(config, deps, overrides, held);
  } catch (err) {
    // A later stage failed: stop the watchers and connections already made, or they keep the process alive.
    await closeHeld(held);
    throw err;
  }
}

async function assemble(config: Config, deps: BuildDeps, overrides: { dryRun?: boolean }, held: Held): Promise<Pipeline> {
  const { provider: made, domainFilter } = await assembleProvider(config, deps, held);
  const provider = config.providerCacheTime > 0
    ? withRecordsCache(made, { refreshMs: config.providerCacheTime }, { clock: deps.clock, logger: deps.logger.child({ provider: config.provider }) })
    : made;
  const kube = needsKubeConnection(config) ? await connectKubeParts(config, deps) : undefined;
  held.kube = kube;
  // Leader election only gates the loop: `plan` and --once run on their own.
  const leader = config.once || overrides.dryRun === true ? undefined : kube?.elector;
  const owned = lookup(REGISTRIES, config.registry).create(provider, config, {
    logger: deps.logger.child({ registry: config.registry }), clock: deps.clock,
  });
  const registry = leader === undefined ? owned : guardWrites(owned, leader);
  const kubeAccess = kube === undefined ? undefined : () => ({ client: kube.client, hub: kube.hub });
  const named = config.source.map((name) => ({
    name,
    source: lookup(SOURCES, name).create(config, { logger: deps.logger, clock: deps.clock, kube: kubeAccess }),
  }));
  const sources = createSourcePipeline(named, sourcePipelineOptions(config), { logger: deps.logger });
  const controller = createController(controllerOptions(config, domainFilter, overrides), {
    registry, sources, plan: calculate, clock: deps.clock, random: deps.random, logger: deps.logger.child({ stage: 'controller' }), leader,
    observer: combineObservers(
      deps.observe?.({ provider, providerName: config.provider, ownerId: registry.ownerId(), trustStores: held.stores, ...statusParts(config, overrides) }),
      kube?.events === undefined ? undefined : eventObserver(kube.events, registry.ownerId()),
      progressObserver({ clock: deps.clock, logger: deps.logger.child({ stage: 'controller' }) }),
      readyConditions(config, { kube, ownerId: registry.ownerId() }, deps, overrides),
    ),
  });
  if (config.events) {
    for (const { source } of named) source.addEventHandler(() => { controller.trigger(); });
  }
  // A new leader syncs at once: its caches are already warm.
  leader?.onChange((leading) => { if (leading) controller.trigger(); });
  const running = new AbortController();
  return {
    registry, sources, controller, leader,
    async start(signal, options) {
      if (kube === undefined) return;
      kube.start(AbortSignal.any([signal, running.signal]), { elect: options.loop && leader !== undefined });
      await kube.waitForCaches(signal, options.loop ? 0 : options.cacheTimeoutMs);
    },
    cachesReady: () => (kube === undefined || kube.hub.synced() ? true : `waiting for ${kube.hub.notSynced().join(', ')}`),
    async close() {
      running.abort();
      await closeHeld(held);
    },
  };
}

/** DNSEndpoint Ready conditions, when DNSEndpoints are a source and the sync really writes (not plan, explain or --dry-run). */
function readyConditions(config: Config, parts: { kube: KubeParts | undefined; ownerId: string }, deps: BuildDeps, overrides: { dryRun?: boolean }): SyncObserver | undefined {
  const { kube, ownerId } = parts;
  if (kube === undefined || !config.source.includes('crd') || (overrides.dryRun ?? config.dryRun)) return undefined;
  return conditionsObserver(statusApiOf(kube.client), { clock: deps.clock, logger: deps.logger.child({ stage: 'dnsendpoint-status' }), ownerId });
}

/** What the status page shows of the configuration. */
function statusParts(config: Config, overrides: { dryRun?: boolean }): { policy: string; dryRun: boolean; zones: readonly string[] } {
  return { policy: config.policy, dryRun: overrides.dryRun ?? config.dryRun, zones: config.domainFilter };
}

function sourcePipelineOptions(config: Config): Parameters<typeof createSourcePipeline>[1] {
  return {
    defaultTargets: config.defaultTargets,
    forceDefaultTargets: config.forceDefaultTargets,
    targetNetFilter: config.targetNetFilter,
    excludeTargetNets: config.excludeTargetNet,
    minTtl: Math.floor(config.minTtl / 1000),
    provider: config.provider,
    preferAlias: config.preferAlias,
    nat64Networks: config.nat64Networks,
    createPtr: config.createPtr,
    ptrManaged: config.managedRecordTypes.includes('PTR'),
  };
}

function controllerOptions(config: Config, domainFilter: DomainFilter, overrides: { dryRun?: boolean }): Parameters<typeof createController>[0] {
  return {
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
    summaryZones: config.domainFilter,
  };
}
