/**
 * Which proxy an outgoing connection goes through, decided as Go's
 * http.ProxyFromEnvironment decides it (golang.org/x/net/http/httpproxy):
 *
 * - https:// targets use HTTPS_PROXY, http:// targets HTTP_PROXY;
 * - `localhost` and loopback IPs are never proxied;
 * - NO_PROXY is a comma list: `*` (everything direct), IPs and CIDRs
 *   (`10.0.0.0/8`, `::1`), `ip:port`, and domains, where `example.com`
 *   matches itself and its subdomains, `.example.com` and `*.example.com`
 *   only subdomains, each optionally with `:port`;
 * - a proxy value without a scheme means http://.
 *
 * The kubeconfig's `proxy-url` is a fixed proxy for every request of that
 * cluster (client-go). Only http:// and https:// proxies are supported;
 * socks5 is refused at start-up with a coded error.
 */
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { ProxyEnvironment } from '../config/environment.ts';
import { ExtdnsError } from '../errors/errors.ts';
import { redactUrls, URL_SECRET_MASK } from '../util/url-secrets.ts';
import { TlsErrors } from './errors.ts';

export type { ProxyEnvironment } from '../config/environment.ts';

export type ProxyRoute =
  | { readonly kind: 'direct'; readonly why: string }
  | { readonly kind: 'proxy'; readonly url: URL; readonly from: string };

export interface ProxyConfig {
  /** The route to `target` (a URL, or `scheme://host:port`). */
  routeFor(target: string | URL): ProxyRoute;
  /** True when no proxy is configured at all (every route is direct). */
  readonly none: boolean;
  /** e.g. `HTTPS_PROXY=http://proxy:3128, NO_PROXY=.corp`, credentials masked. */
  readonly summary: string;
}

/** No proxy: every connection direct. */
export const NO_PROXY_CONFIG: ProxyConfig = { none: true, summary: 'no proxy configured', routeFor: () => ({ kind: 'direct', why: 'no proxy configured' }) };

/** The proxies of the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). Throws on a proxy URL extdns cannot use. */
export function environmentProxy(env: ProxyEnvironment): ProxyConfig {
  const https = env.httpsProxy === undefined ? undefined : { url: parseProxyUrl(env.httpsProxy.value, env.httpsProxy.from), from: env.httpsProxy.from };
  const http = env.httpProxy === undefined ? undefined : { url: parseProxyUrl(env.httpProxy.value, env.httpProxy.from), from: env.httpProxy.from };
  if (https === undefined && http === undefined) return NO_PROXY_CONFIG;
  const noProxy = parseNoProxy(env.noProxy ?? '');
  const summary = [
    ...(https === undefined ? [] : [`${https.from}=${maskedProxy(https.url)}`]),
    ...(http === undefined ? [] : [`${http.from}=${maskedProxy(http.url)}`]),
    ...(env.noProxy === undefined ? [] : [`NO_PROXY=${env.noProxy}`]),
  ].join(', ');
  return {
    none: false,
    summary,
    routeFor(target) {
      const u = typeof target === 'string' ? new URL(target) : target;
      const proxy = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
      if (proxy === undefined) return { kind: 'direct', why: `no ${u.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} set` };
      const why = directReason(u, noProxy);
      return why === undefined ? { kind: 'proxy', url: proxy.url, from: proxy.from } : { kind: 'direct', why };
    },
  };
}

/** Never proxied, whatever the environment says (a cloud metadata or managed identity endpoint): `why` is what the report prints. */
export function neverProxied(why: string): ProxyConfig {
  return { none: true, summary: `direct (${why})`, routeFor: () => ({ kind: 'direct', why }) };
}

/** A kubeconfig cluster's `proxy-url`: every request of that cluster through it (client-go; loopback too). */
export function fixedProxy(value: string, from: string): ProxyConfig {
  const url = parseProxyUrl(value, from);
  return { none: false, summary: `${from}=${maskedProxy(url)}`, routeFor: () => ({ kind: 'proxy', url, from }) };
}

/** The route in one line for reports and logs; credentials masked. */
export function describeRoute(route: ProxyRoute): string {
  return route.kind === 'direct' ? `direct (${route.why})` : `proxy ${maskedProxy(route.url)} (${route.from})`;
}

/** The route to `endpoint` in one line; "unknown" when it is not a URL (the provider then refuses it). */
export function describeRouteTo(proxy: ProxyConfig, endpoint: string): string {
  try {
    return describeRoute(proxy.routeFor(endpoint));
  } catch {
    return 'unknown (not a URL)';
  }
}

/** `http://user:*****@proxy:3128`: the proxy URL as printed anywhere. */
export function maskedProxy(url: URL): string {
  const user = url.username === '' ? '' : `${url.username}${url.password === '' ? '' : `:${URL_SECRET_MASK}`}@`;
  return `${url.protocol}//${user}${url.host}`;
}

function parseProxyUrl(value: string, from: string): URL {
  // Go: a value without a scheme (host:port) is read as http://<value>.
  const url = tryUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  if (url === undefined || url.hostname === '') {
    throw new ExtdnsError(TlsErrors.EXTDNS_PROXY_INVALID, `${from}="${redactUrls(value)}" is not a proxy URL; give one like http://proxy.example.com:3128`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ExtdnsError(TlsErrors.EXTDNS_PROXY_INVALID,
      `${from} uses ${url.protocol.replace(':', '')}://, which extdns does not support; use an http:// or https:// proxy (HTTP CONNECT)`);
  }
  return url;
}

function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

interface NoProxy {
  readonly all: boolean;
  readonly ips: readonly { readonly list: BlockList; readonly port: string }[];
  readonly domains: readonly { readonly host: string; readonly port: string; readonly matchHost: boolean }[];
}

/** Go's config.init(): one matcher per NO_PROXY entry. */
export function parseNoProxy(text: string): NoProxy {
  const ips: { list: BlockList; port: string }[] = [];
  const domains: { host: string; port: string; matchHost: boolean }[] = [];
  for (const raw of text.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return { all: true, ips: [], domains: [] };
    const cidr = parseCidr(p);
    if (cidr !== undefined) {
      ips.push({ list: cidr, port: '' });
      continue;
    }
    const split = splitHostPort(p) ?? { host: p, port: '' };
    const port = split.port;
    if (split.host === '') continue;
    let host = split.host.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(host);
    if (family !== 0) {
      const list = new BlockList();
      list.addAddress(host, family === 4 ? 'ipv4' : 'ipv6');
      ips.push({ list, port });
      continue;
    }
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    const bare = matchHost ? host : host.slice(1);
    domains.push({ host: `.${domainToASCII(bare) || bare}`, port, matchHost });
  }
  return { all: false, ips, domains };
}

/** Why `u` goes direct, or undefined when it goes through the proxy (Go's useProxy). */
function directReason(u: URL, noProxy: NoProxy): string | undefined {
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = u.port === '' ? (u.protocol === 'https:' ? '443' : '80') : u.port;
  const family = isIP(host);
  if (host === 'localhost') return 'localhost is never proxied';
  if (family !== 0 && isLoopback(host, family)) return 'loopback is never proxied';
  if (noProxy.all) return 'NO_PROXY=*';
  return noProxyMatches(host, family, port, noProxy) ? 'NO_PROXY matches' : undefined;
}

function noProxyMatches(host: string, family: number, port: string, noProxy: NoProxy): boolean {
  const portOk = (p: string): boolean => p === '' || p === port;
  if (family !== 0) {
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (noProxy.ips.some((m) => m.list.check(host, type) && portOk(m.port))) return true;
  }
  const ascii = family === 0 ? (domainToASCII(host) || host) : host;
  return noProxy.domains.some((m) => (ascii.endsWith(m.host) || (m.matchHost && ascii === m.host.slice(1))) && portOk(m.port));
}

function isLoopback(host: string, family: number): boolean {
  if (family === 4) return host.startsWith('127.');
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (v4 !== null) return (v4[1] ?? '').startsWith('127.');
  // The URL parser writes an IPv4-mapped address in hex: ::ffff:7f00:1 is 127.0.0.1.
  const hex = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/i.exec(host);
  if (hex !== null) return parseInt(hex[1] ?? '0', 16) >> 8 === 127;
  return LOOPBACK6.check(host, 'ipv6');
}

const LOOPBACK6 = (() => {
  const list = new BlockList();
  list.addAddress('::1', 'ipv6');
  return list;
})();

function parseCidr(p: string): BlockList | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(p);
  if (m === null) return undefined;
  const address = m[1] ?? '';
  const family = isIP(address);
  const prefix = Number(m[2]);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  const list = new BlockList();
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list;
}

/** Go's net.SplitHostPort for NO_PROXY entries: `host:port`, `[v6]:port`; undefined when there is no port. */
function splitHostPort(p: string): { host: string; port: string } | undefined {
  const bracket = /^\[([^\]]*)\]:([^:]*)$/.exec(p);
  if (bracket !== null) return { host: bracket[1] ?? '', port: bracket[2] ?? '' };
  const parts = p.split(':');
  if (parts.length !== 2) return undefined;
  return { host: parts[0] ?? '', port: parts[1] ?? '' };
}
