/**
 * extdns's webhook client talking to extdns's webhook server in front of a
 * real extdns provider, all in one process on a loopback port: the provider
 * the conformance suite and the wire tests drive.
 */
import type { DomainFilter } from '../../src/endpoint/domain-filter.ts';
import type { Provider } from '../../src/provider/provider.ts';
import { createWebhookProvider, type WebhookProvider } from '../../src/provider/webhook/client.ts';
import { startWebhookServer, type WebhookServer } from '../../src/provider/webhook/server.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';

export interface Bridge {
  client: WebhookProvider;
  server: WebhookServer;
  url: string;
  close(): Promise<void>;
}

export async function bridge(backend: Provider, options: { domainFilter?: DomainFilter; maxBodySize?: number } = {}): Promise<Bridge> {
  const server = await startWebhookServer(
    { address: '127.0.0.1:0', maxBodySize: options.maxBodySize ?? 32 * 1024 * 1024, readTimeoutMs: 10_000, readHeaderTimeoutMs: 5_000, idleTimeoutMs: 30_000 },
    { provider: backend, domainFilter: options.domainFilter, logger: captureLogger().logger },
  );
  const url = `http://127.0.0.1:${server.port}`;
  const client = await createWebhookProvider(
    { url, readTimeoutMs: 5_000, writeTimeoutMs: 10_000, maxBodySize: 32 * 1024 * 1024 },
    { logger: captureLogger().logger, clock: new FakeClock() },
  );
  return { client, server, url, close: () => server.close() };
}
