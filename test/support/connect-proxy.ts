/**
 * A small HTTP CONNECT proxy for tests (plain tunnelling, no inspection):
 * it resolves host names through its own table (so a name only the proxy
 * knows reaches a loopback server), records every tunnel it opens, and can
 * demand credentials (407) or refuse targets (403).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxyOptions {
  /** Host name → address the proxy connects to (e.g. { 'r53.proxy-only.test': '127.0.0.1' }). */
  readonly hosts?: Readonly<Record<string, string>>;
  /** `host:port` → the local port the tunnel goes to instead (for fixed ports such as a token endpoint's 443). */
  readonly ports?: Readonly<Record<string, number>>;
  /** `user:password` the client must send in Proxy-Authorization. */
  readonly credentials?: string;
  /** Serve the proxy itself over TLS (an https:// proxy URL) with this chain and key. */
  readonly tls?: { readonly chain: string; readonly key: string };
}

export interface ConnectProxy {
  /** http://127.0.0.1:<port> (https:// with `tls`) */
  readonly url: string;
  readonly port: number;
  /** `host:port` of every CONNECT, in order. */
  readonly tunnels: string[];
  /** Proxy-Authorization headers received (to check they were sent, and never logged). */
  readonly authorizations: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<Socket>();
  const refuse = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this test proxy only tunnels (CONNECT)\n');
  };
  const server: Server = options.tls === undefined ? createServer(refuse) : createHttpsServer({ cert: options.tls.chain, key: options.tls.key }, refuse);
  server.on('tlsClientError', () => undefined);
  server.on(options.tls === undefined ? 'connection' : 'secureConnection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    const auth = req.headers['proxy-authorization'];
    if (auth !== undefined) authorizations.push(auth);
    if (options.credentials !== undefined && auth !== `Basic ${Buffer.from(options.credentials).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
    if (m === null) {
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const host = m[1] ?? '';
    const address = options.hosts?.[host.toLowerCase()] ?? host;
    tunnels.push(authority);
    const upstream = connect({ host: address, port: options.ports?.[authority.toLowerCase()] ?? Number(m[2]) });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.once('error', () => {
      if (!client.writableEnded) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
    client.once('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`, port, tunnels, authorizations,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}
