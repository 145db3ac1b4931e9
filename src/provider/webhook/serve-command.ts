/**
 * `extdns webhook [provider flags]` (and ExternalDNS's `--webhook-server`):
 * serves the configured extdns provider over the ExternalDNS webhook
 * protocol, so the Go ExternalDNS (`--provider=webhook`) can use it as a
 * sidecar. The API listens on --webhook-server-address (127.0.0.1:8888);
 * /healthz, /readyz and /metrics on a separate address. Runs until the
 * signal aborts, then stops gracefully.
 *
 * The CLI's command table (src/cli/command-line.ts) lists it; the CLI hands
 * over how a provider is assembled and the operations server is started, so
 * this folder does not reach into src/cli.
 */
import type { Environment } from '../../config/process.ts';
import type { Config } from '../../config/schema.ts';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import type { Logger } from '../../log/logger.ts';
import type { Provider } from '../provider.ts';
import { PROVIDERS } from '../table.ts';
import { WebhookErrors } from './errors.ts';

/** A provider built from the flags, with the connections it holds. */
export interface AssembledProvider {
  provider: Provider;
  domainFilter: DomainFilter;
  /** Closes the trust stores the provider's connections hold. */
  close: () => Promise<unknown>;
}

/** The /healthz, /readyz and /metrics server. */
export interface ServeOperations {
  readonly readiness: { markSynced(): void };
  readonly port: number;
  close(): Promise<unknown>;
}

export interface ServeCommandDeps {
  logger: Logger;
  /** Aborted on SIGTERM / SIGINT. */
  signal: AbortSignal;
  /** Builds the --provider from the flags (src/cli/provider-wiring.ts). */
  assemble(config: Config): Promise<AssembledProvider>;
  /** Starts the operations server on this address (src/server/operations.ts). */
  operations(address: string): Promise<ServeOperations>;
  /** Told the bound addresses once serving (tests). */
  onListening?: ((addresses: { api: string; metricsPort: number }) => void) | undefined;
}

/** The run-time flags `extdns webhook` does not need but the parser requires: filled with inert values when absent. */
function completeFlags(flags: readonly string[], env: Environment): string[] {
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

async function serve(config: Config, deps: ServeCommandDeps, metricsAddress: string): Promise<number> {
  const descriptor = PROVIDERS[config.provider];
  if (descriptor === undefined || config.provider === 'webhook') {
    throw new ExtdnsError(WebhookErrors.EXTDNS_WEBHOOK_CONFIG,
      `extdns webhook serves an extdns provider; --provider=${config.provider} cannot be served (choose one of ${Object.keys(PROVIDERS).filter((p) => p !== 'webhook').join(', ')})`);
  }
  // The webhook server is loaded only by a process that serves (issue 22: idle memory).
  const { startWebhookServer } = await import('./server.ts');
  const ops = await deps.operations(metricsAddress);
  try {
    const { provider, domainFilter, close } = await deps.assemble(config);
    try {
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
      await close();
    }
  } finally {
    await ops.close();
  }
}

/** The `extdns webhook` entry of the command table. */
export const webhookServeCommand = {
  help: {
    usage: 'extdns webhook --provider=PROVIDER [provider flags]',
    summary: 'Serves the provider over the ExternalDNS webhook protocol on --webhook-server-address.',
    own: [],
    exits: [['0', 'stopped by SIGTERM or SIGINT'], ['1', 'error']],
  },
  completeFlags,
  /** `extdns webhook`: health and metrics on --webhook-server-metrics-address. */
  run: (config: Config, deps: ServeCommandDeps): Promise<number> => serve(config, deps, config.webhookServerMetricsAddress),
  /** ExternalDNS's --webhook-server: a plain run serves instead, health and metrics on --metrics-address as in Go. */
  runInstead: (config: Config, deps: ServeCommandDeps): Promise<number> | undefined =>
    (config.webhookServer ? serve(config, deps, config.metricsAddress) : undefined),
} as const;
