/**
 * ExternalDNS's webhook gauges (gauges holding running totals, as in v0.22),
 * read at each scrape from the webhook provider's call stats (its operations
 * are named `records`, `applychanges`, `adjustendpoints` for this). Registered
 * through the descriptor (ProviderDescriptor.metrics).
 */
import { NS } from '../../metrics/external-dns.ts';
import type { MetricsRegistry } from '../../metrics/prometheus.ts';
import type { ProviderStats } from '../stats.ts';

const OPERATIONS = ['records', 'applychanges', 'adjustendpoints'] as const;
type Operation = (typeof OPERATIONS)[number];

const HELP: Record<Operation, string> = { records: 'Records', applychanges: 'ApplyChanges', adjustendpoints: 'AdjustEndpoints' };

export function defineWebhookMetrics(registry: MetricsRegistry, stats: () => ProviderStats | undefined): void {
  const read = (op: Operation): { calls: number; errors: number } => {
    const found = stats()?.stats().calls.find((c) => c.operation === op);
    return { calls: found?.calls ?? 0, errors: found?.errors ?? 0 };
  };
  for (const op of OPERATIONS) {
    registry.collected('gauge', { name: `${NS}_webhook_provider_${op}_errors_total`, help: `Errors with ${HELP[op]} method` },
      () => [{ labels: {}, value: read(op).errors }]);
    registry.collected('gauge', { name: `${NS}_webhook_provider_${op}_requests_total`, help: `Requests with ${HELP[op]} method` },
      () => [{ labels: {}, value: read(op).calls }]);
  }
}
