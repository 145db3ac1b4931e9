/**
 * Everything an operator watches, started once by the run command before the
 * pipeline is built (as ExternalDNS serves /metrics before its sources sync,
 * so /healthz answers while caches fill): the metrics, readiness and the
 * HTTP server on --metrics-address.
 */
import type { Logger } from '../log/logger.ts';
import type { BuildInfo } from '../metrics/external-dns.ts';
import { countedExposition } from '../metrics/scrape.ts';
import { createTelemetry, type AttachObserver, type Telemetry } from '../metrics/telemetry.ts';
import { combineObservers } from '../controller/controller.ts';
import { providerStatsOf } from '../metrics/provider-stats.ts';
import { StatusTracker } from '../status/tracker.ts';
import type { Clock } from '../util/clock.ts';
import { Readiness } from './readiness.ts';
import { startOpsServer } from './server.ts';

export interface OperationsOptions {
  /** --metrics-address. */
  address: string;
  build: BuildInfo;
  clock: Clock;
  logger: Logger;
  /** --status-page: serve /status and /status.json. */
  statusPage: boolean;
}

export interface Operations {
  readonly telemetry: Telemetry;
  readonly readiness: Readiness;
  /** For buildPipeline: the controller's observer once the pipeline parts exist (metrics and the status page). */
  readonly observe: AttachObserver;
  /** What /status shows; undefined with --no-status-page. */
  readonly status: StatusTracker | undefined;
  /** The bound port. */
  readonly port: number;
  /** /healthz turns 503, then the server closes and HTTP instrumentation stops. */
  close(): Promise<void>;
}

export async function startOperations(options: OperationsOptions): Promise<Operations> {
  const telemetry = createTelemetry({ clock: options.clock, build: options.build });
  const readiness = new Readiness();
  telemetry.onSynced(() => {
    readiness.markSynced();
  });
  const exposition = countedExposition(telemetry.registry);
  const status = options.statusPage ? new StatusTracker({ version: options.build.version, clock: options.clock }) : undefined;
  let stopping = false;
  let server;
  try {
    server = await startOpsServer(options.address, {
      alive: () => (stopping ? 'shutting down' : true),
      readiness: () => readiness.status(),
      metrics: exposition,
      status: status === undefined ? undefined : () => status.snapshot(),
    });
  } catch (err) {
    telemetry.close();
    throw err;
  }
  options.logger.info(`Serving /healthz, /readyz and /metrics on ${server.address}`);
  if (status !== undefined) options.logger.info(`Serving the status page on http://${server.address}/status (and /status.json)`);
  const bound = server;
  return {
    telemetry,
    readiness,
    observe: (parts) => combineObservers(telemetry.attach(parts), status?.attach({
      ownerId: parts.ownerId, providerName: parts.providerName, trustStores: parts.trustStores, providerStats: providerStatsOf(parts.provider),
      policy: parts.policy ?? '', dryRun: parts.dryRun ?? false, zones: parts.zones ?? [],
    })),
    status,
    port: bound.port,
    close: async () => {
      stopping = true;
      await bound.close();
      telemetry.close();
    },
  };
}
