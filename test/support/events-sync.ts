/**
 * One --events-emit sync through the pipeline the CLI builds (service source,
 * in-memory provider, TXT registry owner "events-test"), for the Events tests
 * against the real kube-apiserver and the test API server; and the fields of
 * an events.k8s.io/v1 Event they read back.
 */
import { buildPipeline } from '../../src/cli/build.ts';
import { parseConfig } from '../../src/config/parse.ts';
import type { ApiObject } from '../../src/kube/types.ts';
import { SUPPORTED_PROVIDERS } from '../../src/provider/table.ts';
import { SUPPORTED_REGISTRIES } from '../../src/registry/table.ts';
import { SUPPORTED_SOURCES } from '../../src/source/table.ts';
import { captureLogger } from './capture-logger.ts';
import { seededRandom, type FakeClock } from './fake-clock.ts';

export interface EventObject extends ApiObject {
  reason?: string;
  action?: string;
  note?: string;
  type?: string;
  reportingController?: string;
  reportingInstance?: string;
  eventTime?: string;
  regarding?: Record<string, unknown>;
}

export interface SyncOutcome {
  readonly ok: boolean;
  readonly error: unknown;
  readonly logs: ReturnType<typeof captureLogger>;
}

/** One sync with `kubeconfig` and `args`; resolves after the events were sent. */
export async function syncOnceWithEvents(kubeconfig: string, clock: FakeClock, args: readonly string[]): Promise<SyncOutcome> {
  const config = parseConfig(['--source=service', '--provider=inmemory', '--policy=sync', '--txt-owner-id=events-test', `--kubeconfig=${kubeconfig}`,
    // The client's rate limiter runs on the fake clock, which a sync does not move.
    '--kube-api-qps=1000', '--kube-api-burst=1000', ...args], {}, {
    sources: SUPPORTED_SOURCES, providers: SUPPORTED_PROVIDERS, registries: SUPPORTED_REGISTRIES,
  });
  const logs = captureLogger();
  const pipeline = await buildPipeline(config, { logger: logs.logger, clock, random: seededRandom(4), env: {} });
  const stop = new AbortController();
  let error: unknown;
  try {
    await pipeline.start(stop.signal, { loop: false, cacheTimeoutMs: 10_000 });
    await pipeline.controller.runOnce(stop.signal);
  } catch (err) {
    error = err;
  } finally {
    stop.abort();
    // close() waits for the events queued by the sync.
    await pipeline.close();
  }
  return { ok: error === undefined, error, logs };
}
