/**
 * The Kubernetes side of the pipeline, made only when something needs it (an
 * API-backed source, --leader-elect, --events-emit): one client, one set of
 * shared watch caches, the leader elector and the event emitter.
 */
import { hostname } from 'node:os';
import { readKubeEnvironmentWithPluginEnv } from '../config/environment.ts';
import type { Environment } from '../config/process.ts';
import type { Config } from '../config/schema.ts';
import type { EventEmitter } from '../controller/events.ts';
import type { LeaderElector } from '../controller/leader.ts';
import { ExtdnsError } from '../errors/errors.ts';
import type { KubeClient } from '../kube/client.ts';
import type { InformerHub } from '../kube/informer-hub.ts';
import type { Logger } from '../log/logger.ts';
import { SourceErrors } from '../source/errors.ts';
import { needsKubernetes } from '../source/table.ts';
import type { Clock, Random } from '../util/clock.ts';
import { VERSION } from './version.ts';

export interface KubeParts {
  readonly client: KubeClient;
  readonly hub: InformerHub;
  readonly elector: LeaderElector | undefined;
  readonly events: EventEmitter | undefined;
  /** Starts the caches (and the election, in the loop) until `signal` aborts. */
  start(signal: AbortSignal, options: { elect: boolean }): void;
  /** Resolves once every cache holds its first list; logs what it waits for; rejects after `timeoutMs` (0: never). */
  waitForCaches(signal: AbortSignal, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface KubeWiringDeps {
  readonly env: Environment;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

export function needsKubeConnection(config: Config): boolean {
  return needsKubernetes(config.source) || config.leaderElect || config.eventsEmit.length > 0;
}

export async function connectKubeParts(config: Config, deps: KubeWiringDeps): Promise<KubeParts> {
  const logger = deps.logger.child({ stage: 'kube' });
  // The Kubernetes client (undici, the watch caches) is loaded only by a run that connects (issue 22: idle memory).
  const [{ connectKube }, { createInformerHub }, { eventSink }, { createEventEmitter }] = await Promise.all([
    import('../kube/connect.ts'), import('../kube/informer-hub.ts'), import('../kube/event-sink.ts'), import('../controller/events.ts'),
  ]);
  const client = await connectKube({
    kubeconfig: config.kubeconfig, server: config.server,
    kubeApiQps: config.kubeApiQps, kubeApiBurst: config.kubeApiBurst, kubeApiRequestTimeout: config.kubeApiRequestTimeout,
  }, { env: readKubeEnvironmentWithPluginEnv(deps.env), clock: deps.clock, logger, userAgent: `extdns/${VERSION}` });
  const hub = createInformerHub({ client, clock: deps.clock, random: deps.random, logger });
  const elector = config.leaderElect ? await electorFor(config, client, deps) : undefined;
  const events = config.eventsEmit.length === 0 ? undefined
    : createEventEmitter({ reasons: config.eventsEmit, dryRun: config.dryRun }, { sink: eventSink(client), clock: deps.clock, logger });
  // The election ends after its signal aborts, with the lease released: close() waits for that before closing the client.
  let electing: Promise<void> = Promise.resolve();
  return {
    client, hub, elector, events,
    start(signal, options) {
      hub.start(signal);
      if (options.elect && elector !== undefined) electing = elector.run(signal);
    },
    waitForCaches: (signal, timeoutMs) => waitForCaches(hub, signal, timeoutMs, { clock: deps.clock, logger }),
    close: async () => {
      await electing;
      await client.close();
    },
  };
}

async function electorFor(config: Config, client: KubeClient, deps: KubeWiringDeps): Promise<LeaderElector> {
  const [{ createLeaderElector }, { leaseApi }] = await Promise.all([import('../controller/leader.ts'), import('../kube/lease.ts')]);
  const namespace = config.leaderElectionNamespace === '' ? client.defaultNamespace : config.leaderElectionNamespace;
  // client-go's identity: the host (pod) name plus a random suffix, so a restarted pod is a new candidate.
  const identity = `${hostname()}_${Math.floor(deps.random.next() * 0xffffffff).toString(16).padStart(8, '0')}`;
  return createLeaderElector({
    identity,
    leaseName: `${namespace}/${config.leaderElectionId}`,
    leaseDurationMs: config.leaderElectionLeaseDuration,
    renewDeadlineMs: config.leaderElectionRenewDeadline,
    retryPeriodMs: config.leaderElectionRetryPeriod,
  }, { leases: leaseApi(client, namespace, config.leaderElectionId), clock: deps.clock, random: deps.random, logger: deps.logger.child({ stage: 'leader' }) });
}

const PROGRESS_EVERY_MS = 10_000;

async function waitForCaches(hub: InformerHub, signal: AbortSignal, timeoutMs: number, deps: { clock: Clock; logger: Logger }): Promise<void> {
  const started = deps.clock.now();
  while (!hub.synced()) {
    signal.throwIfAborted();
    const waited = deps.clock.now() - started;
    if (timeoutMs > 0 && waited >= timeoutMs) {
      throw new ExtdnsError(SourceErrors.EXTDNS_SOURCE_NOT_SYNCED,
        `the Kubernetes caches were not filled within ${Math.round(timeoutMs / 1000)} s: ${hub.notSynced().join(', ')}; check the API server address, credentials and RBAC`);
    }
    if (waited > 0) deps.logger.warn('Waiting for the Kubernetes caches', { notSynced: hub.notSynced().join(', ') });
    await hub.waitForSync(signal, PROGRESS_EVERY_MS);
  }
}
