/**
 * Loopback HTTPS (and plain HTTP) servers on port 0 for tests. They answer
 * every request with 200 "ok" unless given a handler (the Route53 and STS
 * test servers pass theirs).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  /** e.g. https://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface HttpsServerOptions {
  /** Certificate chain the server presents, leaf first (PEM). */
  chain: string;
  key: string;
  /** Require a client certificate issued by this CA (PEM). */
  clientCa?: string;
  /** Highest protocol version offered, to exercise TLS 1.2 behaviour. */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Answers requests (default: 200 "ok"); a rejection becomes a 500 carrying its text. */
  handler?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

export async function startHttpsServer(options: HttpsServerOptions): Promise<TestServer> {
  const server = createHttpsServer({
    cert: options.chain,
    key: options.key,
    ...(options.clientCa === undefined ? {} : { ca: options.clientCa, requestCert: true, rejectUnauthorized: true }),
    ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
  }, (req, res) => {
    if (options.handler === undefined) {
      res.end('ok');
      return;
    }
    options.handler(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  server.on('tlsClientError', () => undefined);
  return listen(server, 'https');
}

export async function startHttpServer(): Promise<TestServer> {
  return listen(createHttpServer((_req, res) => {
    res.end('ok');
  }), 'http');
}

async function listen(server: HttpServer, scheme: 'http' | 'https'): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = createHttpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => { resolve(); }));
  return port;
}
