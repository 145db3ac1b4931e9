/** `--provider=webhook`: an out-of-tree provider behind the ExternalDNS webhook protocol. */
import type { Config } from '../../config/schema.ts';
import { connectionDispatcher, httpUrlIssue, type ProviderDescriptor, type TlsConnection } from '../descriptor.ts';
import { WebhookErrors } from './errors.ts';
import { WEBHOOK_PROVIDER_FLAGS } from './flags.ts';
import { defineWebhookMetrics } from './metrics.ts';

export const webhook: ProviderDescriptor = {
  name: 'webhook',
  description: 'an out-of-tree provider behind the ExternalDNS webhook protocol (--webhook-provider-url)',
  usesTls: true,
  flags: WEBHOOK_PROVIDER_FLAGS,
  errors: WebhookErrors,
  validate: (c) => httpUrlIssue('webhook-provider-url', c.webhookProviderUrl, 'http://localhost:8888'),
  tlsConnections: webhookConnections,
  metrics: defineWebhookMetrics,
  create: async (config, deps) => {
    const { createWebhookProvider } = await import('./client.ts');
    const { dispatcher, onTlsFailure } = connectionDispatcher(webhookConnections(config)[0], config.webhookProviderUrl, deps);
    // A failed negotiation throws; buildPipeline then closes the trust store made here.
    return await createWebhookProvider({
      url: config.webhookProviderUrl,
      readTimeoutMs: config.webhookProviderReadTimeout,
      writeTimeoutMs: config.webhookProviderWriteTimeout,
      maxBodySize: config.webhookProviderMaxBodySize,
    }, { logger: deps.logger, clock: deps.clock, dispatcher, onTlsFailure });
  },
};

/** The webhook over https:// gets its trust from src/tls; plain http:// needs none. */
function webhookConnections(config: Config): TlsConnection[] {
  return config.webhookProviderUrl.startsWith('https://') ? [{ name: 'webhook', endpoint: config.webhookProviderUrl }] : [];
}
