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
import type { Clock } from '../util/clock.ts';
import { Readiness } from './readiness.ts';
import { startOpsServer } from './server.ts';

export interface OperationsOptions {
  /** --metrics-address. */
  address: string;
  build: BuildInfo;
  clock: Clock;
  logger: Logger;
}

export interface Operations {
  readonly telemetry: Telemetry;
  readonly readiness: Readiness;
  /** For buildPipeline: the controller's observer once the pipeline parts exist. */
  readonly observe: AttachObserver;
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
  let stopping = false;
  let server;
  try {
    server = await startOpsServer(options.address, {
      alive: () => (stopping ? 'shutting down' : true),
      readiness: () => readiness.status(),
      metrics: exposition,
    });
  } catch (err) {
    telemetry.close();
    throw err;
  }
  options.logger.info(`serving /healthz, /readyz and /metrics on ${server.address}`);
  const bound = server;
  return {
    telemetry,
    readiness,
    observe: telemetry.attach,
    port: bound.port,
    close: async () => {
      stopping = true;
      await bound.close();
      telemetry.close();
    },
  };
}
