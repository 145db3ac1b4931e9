/**
 * `extdns webhook [provider flags]` (and ExternalDNS's `--webhook-server`):
 * serves the configured extdns provider over the ExternalDNS webhook
 * protocol, so the Go ExternalDNS (`--provider=webhook`) can use it as a
 * sidecar. The API listens on --webhook-server-address (127.0.0.1:8888);
 * /healthz, /readyz and /metrics on a separate address. Runs until the
 * signal aborts, then stops gracefully.
 */
import type { Environment } from '../config/process.ts';
import type { Config } from '../config/schema.ts';
import { ExtdnsError } from '../errors/errors.ts';
import type { Logger } from '../log/logger.ts';
import { runtimeBuildInfo } from '../metrics/external-dns.ts';
import { PROVIDERS } from '../provider/table.ts';
import { WebhookErrors } from '../provider/webhook/errors.ts';
import { startWebhookServer } from '../provider/webhook/server.ts';
import { startOperations } from '../server/operations.ts';
import type { Clock } from '../util/clock.ts';
import { assembleProvider, closeConnections, type HeldConnections } from './provider-wiring.ts';
import { VERSION } from './version.ts';

export interface WebhookCommandOptions {
  /** Where /healthz, /readyz and /metrics are served (--webhook-server-metrics-address; --metrics-address under --webhook-server). */
  metricsAddress: string;
}

export interface WebhookCommandDeps {
  logger: Logger;
  clock: Clock;
  env: Environment;
  /** Aborted on SIGTERM / SIGINT. */
  signal: AbortSignal;
  /** Told the bound addresses once serving (tests). */
  onListening?: ((addresses: { api: string; metricsPort: number }) => void) | undefined;
}

/** The run-time flags `extdns webhook` does not need but the parser requires: filled with inert values when absent. */
export function webhookCommandFlags(flags: readonly string[], env: Environment): string[] {
  const given = (name: string): boolean =>
    flags.some((f) => f === `--${name}` || f.startsWith(`--${name}=`)) || (env[`EXTERNAL_DNS_${name.toUpperCase()}`] ?? '') !== '';
  return [
    ...flags,
    // No controller runs: sources and policy are never read.
    // manifest is extdns's own source, always built in; it is never created here, so its path is never read.
    ...(given('source') ? [] : ['--source=manifest', '--manifest-path=(unused by extdns webhook)']),
    ...(given('policy') ? [] : ['--policy=sync']),
  ];
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => { resolve(); }, { once: true });
  });
}

export async function runWebhookCommand(config: Config, deps: WebhookCommandDeps, options: WebhookCommandOptions): Promise<number> {
  const descriptor = PROVIDERS[config.provider];
  if (descriptor === undefined || config.provider === 'webhook') {
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_CONFIG,
      `extdns webhook serves an extdns provider; --provider=${config.provider} cannot be served (choose one of ${Object.keys(PROVIDERS).filter((p) => p !== 'webhook').join(', ')})`);
  }
  const held: HeldConnections = { stores: [] };
  const ops = await startOperations({ address: options.metricsAddress, build: runtimeBuildInfo(VERSION), clock: deps.clock, logger: deps.logger, statusPage: false });
  try {
    const { provider, domainFilter } = await assembleProvider(config, deps, held);
    const server = await startWebhookServer({
      address: config.webhookServerAddress,
      maxBodySize: config.webhookProviderMaxBodySize,
      readTimeoutMs: config.webhookProviderReadTimeout,
      readHeaderTimeoutMs: config.webhookProviderReadHeaderTimeout,
      idleTimeoutMs: config.webhookProviderIdleTimeout,
    }, { provider, domainFilter: domainFilter.isConfigured() ? domainFilter : undefined, logger: deps.logger.child({ stage: 'webhook' }) });
    ops.readiness.markSynced();
    deps.onListening?.({ api: server.address, metricsPort: ops.port });
    await waitForAbort(deps.signal);
    deps.logger.info('Stopping the webhook server');
    await server.close();
    return 0;
  } finally {
    await closeConnections(held);
    await ops.close();
  }
}
