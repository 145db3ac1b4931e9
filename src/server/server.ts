/**
 * The HTTP server on --metrics-address: /healthz (liveness), /readyz
 * (readiness), /metrics (Prometheus text format). GET and HEAD only; 404
 * for any other path. Bodies are plain text that says what is wrong, so
 * `kubectl describe pod` shows the reason a probe fails.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExtdnsError } from '../errors/errors.ts';
import { CONTENT_TYPE } from '../metrics/exposition.ts';
import { formatListenAddress, parseListenAddress } from './address.ts';
import { ServerErrors } from './errors.ts';
import type { ReadinessStatus } from './readiness.ts';
import { closeServer, createServer } from '../util/http-server.ts';
import type { StatusSnapshot } from '../status/status.ts';
import { renderStatusPage } from '../status/html.ts';

export interface OpsHandlers {
  /** true while the process should be left running; a reason when it should be restarted. */
  alive: () => true | string;
  readiness: () => ReadinessStatus;
  /** The /metrics body. */
  metrics: () => string;
  /** /status.json and /status (absent with --no-status-page: those paths are 404). */
  status?: (() => StatusSnapshot) | undefined;
}

export interface OpsServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  readonly address: string;
  /** Stops accepting, drops idle keep-alive connections, resolves when closed. */
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

export async function startOpsServer(address: string, handlers: OpsHandlers): Promise<OpsServer> {
  const listen = parseListenAddress(address);
  const server = createServer((req, res) => {
    handle(req, res, handlers);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(bindError(err, address));
    };
    server.once('error', onError);
    server.listen({ port: listen.port, ...(listen.host === undefined ? {} : { host: listen.host }) }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return { port, address: formatListenAddress({ host: listen.host, port }), close: () => closeServer(server) };
}

function bindError(err: NodeJS.ErrnoException, address: string): ExtdnsError {
  if (err.code === 'EADDRINUSE') {
    return new ExtdnsError(ServerErrors.EXTDNS_SERVER_ADDRESS_IN_USE,
      `Cannot serve /metrics, /healthz and /readyz on ${address}: the address is in use by another process; stop it or pick another --metrics-address.`, { cause: err });
  }
  return new ExtdnsError(ServerErrors.EXTDNS_SERVER_BIND,
    `Cannot serve /metrics, /healthz and /readyz on ${address} (${err.code ?? err.message}): pick another --metrics-address` +
      `${err.code === 'EACCES' ? ' (ports below 1024 need privileges extdns should not have)' : ''}.`, { cause: err });
}

interface Answer {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

function handle(req: IncomingMessage, res: ServerResponse, handlers: OpsHandlers): void {
  const path = (req.url ?? '/').split('?')[0] ?? '';
  const route = handlers.status === undefined ? ROUTES[path] : (ROUTES[path] ?? STATUS_ROUTES[path]);
  if (route === undefined) {
    const served = handlers.status === undefined ? '/healthz, /readyz and /metrics' : '/healthz, /readyz, /metrics, /status and /status.json';
    reply(req, res, { status: 404, type: TEXT, body: `404 page not found: ${path} (serving ${served})\n` });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    reply(req, res, { status: 405, type: TEXT, body: `${req.method ?? ''} not allowed on ${path}; use GET or HEAD\n` });
    return;
  }
  try {
    reply(req, res, route(handlers));
  } catch (err) {
    reply(req, res, { status: 500, type: TEXT, body: `internal error: ${err instanceof Error ? err.message : String(err)}\n` });
  }
}

type Route = (h: OpsHandlers) => Answer;

const ROUTES: Readonly<Record<string, Route>> = {
  '/healthz': (h) => {
    const alive = h.alive();
    return alive === true ? { status: 200, type: TEXT, body: 'OK' } : { status: 503, type: TEXT, body: `not alive: ${alive}\n` };
  },
  '/readyz': (h) => {
    const s = h.readiness();
    return s.ready ? { status: 200, type: TEXT, body: 'ok\n' } : { status: 503, type: TEXT, body: `not ready:\n${s.notReady.map((r) => `- ${r}\n`).join('')}` };
  },
  '/metrics': (h) => ({ status: 200, type: CONTENT_TYPE, body: h.metrics() }),
};

/** The page loads nothing: no scripts, no fetches, only its own inline style. */
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** Only reached when handlers.status is set. */
const STATUS_ROUTES: Readonly<Record<string, Route>> = {
  '/status.json': (h) => ({ status: 200, type: JSON_TYPE, body: `${JSON.stringify(h.status?.(), null, 2)}\n` }),
  '/status': (h) => {
    const snapshot = h.status?.();
    return snapshot === undefined ? { status: 404, type: TEXT, body: 'status page turned off\n' } : { status: 200, type: HTML, body: renderStatusPage(snapshot), headers: { 'Content-Security-Policy': PAGE_POLICY } };
  },
};

function reply(req: IncomingMessage, res: ServerResponse, { status, type, body, headers }: Answer): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

