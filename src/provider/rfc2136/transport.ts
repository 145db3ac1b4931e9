/**
 * DNS over TCP, or over TLS (RFC 7858, ALPN `dot` as RFC 9103 asks for
 * zone transfers): messages framed by a two-byte length. The connection is
 * opened by the trust module's connector, so DoT gets the same trust,
 * client certificate and error wording as every other connection.
 */
import type { Socket } from 'node:net';
import { openConnection, type TlsParams } from '../../tls/connect.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { Rfc2136Errors } from './errors.ts';

export interface DnsServer {
  readonly host: string;
  readonly port: number;
}

export interface TransportOptions {
  /** TLS parameters per connection (read at each open, so a trust reload applies); absent = plain TCP. */
  readonly tls?: (() => TlsParams) | undefined;
  readonly timeoutMs?: number | undefined;
}

export function describeServer(server: DnsServer, tls: boolean): string {
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${tls ? 'tls' : 'tcp'}://${host}:${server.port}`;
}

function unreachable(server: string, err: Error): ExtdnsError {
  return new ExtdnsError(Rfc2136Errors.EXTDNS_RFC2136_UNREACHABLE, `cannot talk to the DNS server ${server}: ${err.message}`, { cause: err });
}

/** One TCP/TLS connection carrying DNS messages. */
export class DnsConnection {
  private buffered = Buffer.alloc(0);
  private readonly queue: Buffer[] = [];
  private waiter: { resolve: (m: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly socket: Socket;
  readonly label: string;

  private constructor(socket: Socket, label: string, timeoutMs: number) {
    this.socket = socket;
    this.label = label;
    socket.on('data', (chunk: Buffer) => { this.onData(chunk); });
    socket.on('error', (err: Error) => { this.fail(unreachable(label, err)); });
    socket.on('close', () => { this.fail(unreachable(label, new Error('the server closed the connection'))); });
    socket.setTimeout(timeoutMs, () => {
      this.fail(unreachable(label, new Error(`no answer within ${timeoutMs} ms`)));
      socket.destroy();
    });
  }

  static open(server: DnsServer, options: TransportOptions): Promise<DnsConnection> {
    const tls = options.tls?.();
    const label = describeServer(server, tls !== undefined);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      openConnection({ protocol: tls === undefined ? 'http:' : 'https:', host: server.host, port: server.port }, tls,
        { route: { kind: 'direct', why: 'DNS connections are not proxied' }, timeoutMs }, (err, socket) => {
          if (err !== null || socket === null) reject(unreachable(label, err ?? new Error('no connection')));
          else resolve(new DnsConnection(socket, label, timeoutMs));
        });
    });
  }

  send(message: Buffer): void {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(message.length);
    this.socket.write(Buffer.concat([len, message]));
  }

  /** The next whole message from the server. */
  next(): Promise<Buffer> {
    const ready = this.queue.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => { this.waiter = { resolve, reject }; });
  }

  close(): void {
    this.failure ??= unreachable(this.label, new Error('connection closed by extdns'));
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 2) {
      const len = this.buffered.readUInt16BE(0);
      if (this.buffered.length < 2 + len) break;
      this.deliver(Buffer.from(this.buffered.subarray(2, 2 + len)));
      this.buffered = this.buffered.subarray(2 + len);
    }
  }

  private deliver(message: Buffer): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter === undefined) this.queue.push(message);
    else waiter.resolve(message);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }
}
