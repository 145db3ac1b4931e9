/**
 * Feeds external_dns_http_request_duration_seconds from every outgoing HTTP
 * request of the process, as ExternalDNS's instrumented transport does:
 * undici (fetch, the trust module's dispatchers, the Kubernetes client) and
 * node:http/https (the AWS SDK), through Node's diagnostics channels, so no
 * client needs wrapping. Time runs to the response headers; a failed request
 * has status "". The path label is the last path segment and the method is
 * as sent (`GET`), as in ExternalDNS.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Clock } from '../util/clock.ts';
import type { Summary } from './prometheus.ts';

interface RequestLabels {
  scheme: string;
  host: string;
  path: string;
  method: string;
}

/** Starts listening; returns the function that stops it. */
export function instrumentHttp(summary: Summary, clock: Clock): () => void {
  const started = new WeakMap<object, { at: number; labels: RequestLabels }>();
  const begin = (request: object, labels: RequestLabels | undefined): void => {
    if (labels !== undefined) started.set(request, { at: clock.now(), labels });
  };
  const end = (request: object, status: string): void => {
    const s = started.get(request);
    if (s === undefined) return;
    started.delete(request);
    summary.observe((clock.now() - s.at) / 1000, { ...s.labels, status });
  };
  const subscriptions: [string, (message: unknown) => void][] = [
    ['undici:request:create', (m) => { const r = requestOf(m); if (r) begin(r, undiciLabels(r)); }],
    ['undici:request:headers', (m) => { const r = requestOf(m); if (r) end(r, String(statusOf(m))); }],
    ['undici:request:error', (m) => { const r = requestOf(m); if (r) end(r, ''); }],
    ['http.client.request.start', (m) => { const r = requestOf(m); if (r) begin(r, nodeHttpLabels(r)); }],
    ['http.client.response.finish', (m) => { const r = requestOf(m); if (r) end(r, String(statusOf(m))); }],
    ['http.client.request.error', (m) => { const r = requestOf(m); if (r) end(r, ''); }],
  ];
  for (const [name, fn] of subscriptions) diagnostics.subscribe(name, fn);
  return () => {
    for (const [name, fn] of subscriptions) diagnostics.unsubscribe(name, fn);
  };
}

/** `/api/v1/servers/localhost/zones/example.org.` → `example.org.` (bounded label values). */
export function lastPathSegment(path: string): string {
  const noQuery = path.split('?')[0] ?? '';
  const parts = noQuery.split('/');
  return parts[parts.length - 1] ?? '';
}

function requestOf(message: unknown): Record<string, unknown> | undefined {
  const r = (message as { request?: unknown } | null)?.request;
  return typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : undefined;
}

function statusOf(message: unknown): number | string {
  const response = (message as { response?: { statusCode?: unknown } }).response;
  return typeof response?.statusCode === 'number' ? response.statusCode : '';
}

/** A string field of a request object, '' when absent (origin may be a URL object). */
function text(r: Record<string, unknown>, key: string): string {
  const v = r[key];
  if (typeof v === 'string') return v;
  return v instanceof URL ? v.href : '';
}

function undiciLabels(r: Record<string, unknown>): RequestLabels | undefined {
  try {
    const origin = new URL(text(r, 'origin'));
    return { scheme: origin.protocol.replace(/:$/, ''), host: origin.host, path: lastPathSegment(text(r, 'path')), method: text(r, 'method') };
  } catch {
    return undefined;
  }
}

function nodeHttpLabels(r: Record<string, unknown>): RequestLabels {
  const scheme = (text(r, 'protocol') || 'http:').replace(/:$/, '');
  // The Host header carries the port (ClientRequest.host does not).
  const header = typeof r.getHeader === 'function' ? (r.getHeader as (n: string) => unknown).call(r, 'host') : undefined;
  const host = typeof header === 'string' ? header : text(r, 'host');
  return { scheme, host, path: lastPathSegment(text(r, 'path')), method: text(r, 'method') };
}
