/**
 * --metrics-address as Go's net.Listen reads it: `[host]:port`. An empty host
 * (":7979") means every interface; IPv6 hosts are bracketed ("[::1]:7979").
 */
import { ExtdnsError } from '../errors/errors.ts';
import { ServerErrors } from './errors.ts';

export interface ListenAddress {
  /** undefined = every interface. */
  host: string | undefined;
  port: number;
}

export function parseListenAddress(address: string): ListenAddress {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(address.trim());
  const port = match === null ? NaN : Number(match[3]);
  if (match === null || !(port >= 0 && port <= 65535)) {
    throw new ExtdnsError(ServerErrors.EXTDNS_SERVER_ADDRESS_INVALID,
      `--metrics-address "${address}" is not [host]:port; use e.g. ":7979" (every interface), "127.0.0.1:7979" or "[::1]:7979".`);
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? undefined : host, port };
}

/** For log lines: `:7979`, `127.0.0.1:7979`, `[::1]:7979`. */
export function formatListenAddress(a: ListenAddress): string {
  if (a.host === undefined) return `:${a.port}`;
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
