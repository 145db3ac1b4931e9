/**
 * promhttp's own metrics, which Go's /metrics handler adds: scrapes in flight
 * (the current one included) and scrapes served by status code, the codes
 * 200, 500 and 503 present from the start.
 */
import type { MetricsRegistry } from './prometheus.ts';

/** Returns the /metrics body renderer that counts itself. */
export function countedExposition(registry: MetricsRegistry): () => string {
  const inFlight = registry.gauge({ name: 'promhttp_metric_handler_requests_in_flight', help: 'Current number of scrapes being served.' });
  const total = registry.counter({ name: 'promhttp_metric_handler_requests_total', help: 'Total number of scrapes by HTTP status code.', labelNames: ['code'] });
  for (const code of ['200', '500', '503']) total.inc({ code }, 0);
  return () => {
    inFlight.add(1);
    try {
      return registry.expose();
    } finally {
      inFlight.add(-1);
      total.inc({ code: '200' });
    }
  };
}
