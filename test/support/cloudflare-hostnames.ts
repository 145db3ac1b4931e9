/**
 * The custom hostname (Cloudflare for SaaS) and regional hostname (Regional
 * Services) endpoints of the Cloudflare test server, as documented:
 * - GET/POST /zones/{id}/custom_hostnames (page, per_page, result_info),
 *   DELETE /zones/{id}/custom_hostnames/{custom_hostname_id}; POST answers 201;
 *   refusals as Cloudflare lists them: 1407 invalid hostname, 1411 hostnames
 *   under example.com/net/org, 1415 invalid custom origin, 409 for a hostname
 *   the zone already has, 400 for an unknown certificate authority or TLS version;
 * - GET/POST /zones/{id}/addressing/regional_hostnames (one page, no
 *   result_info), PATCH/DELETE …/regional_hostnames/{hostname}; only the
 *   region_key is mutable, a hostname must belong to the zone.
 */
import { envelope, page, parseJson, Rejection, type Zone } from './cloudflare-server.ts';

export interface StoredCustomHostname {
  id: string;
  hostname: string;
  custom_origin_server: string;
  ssl: Record<string, unknown>;
  status: string;
}

export interface StoredRegionalHostname {
  hostname: string;
  region_key: string;
  created_on: string;
}

export interface HostnameStore {
  customHostnames(zoneId: string): StoredCustomHostname[];
  /** A custom hostname made behind extdns's back. */
  putCustomHostname(zoneId: string, hostname: string, origin: string): void;
  regionalHostnames(zoneId: string): StoredRegionalHostname[];
  putRegionalHostname(zoneId: string, hostname: string, regionKey: string): void;
  /** Undefined when the path is not a hostname endpoint. */
  route(method: string, base: string, url: URL, body: string): [number, object] | undefined;
}

/** The region keys GET /accounts/{id}/addressing/regional_hostnames/regions lists. */
const REGION_KEYS: ReadonlySet<string> = new Set(['au', 'br', 'ca', 'eu', 'in', 'jp', 'kr', 'sg', 'uk', 'us', 'za', 'fedramp']);
const HOSTNAME = /^(?=.{1,255}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const TLS_VERSIONS: ReadonlySet<string> = new Set(['1.0', '1.1', '1.2', '1.3']);
const AUTHORITIES: ReadonlySet<string> = new Set(['google', 'lets_encrypt', 'ssl_com']);

interface ZoneHostnames {
  custom: Map<string, StoredCustomHostname>;
  regional: Map<string, StoredRegionalHostname>;
}

const fail = (status: number, code: number, message: string): Rejection => new Rejection(status, [{ code, message }]);

export function createHostnameStore(zoneById: (id: string) => Zone, nextId: () => string): HostnameStore {
  const byZone = new Map<string, ZoneHostnames>();
  const of = (zoneId: string): ZoneHostnames => {
    zoneById(zoneId);
    let z = byZone.get(zoneId);
    if (z === undefined) byZone.set(zoneId, z = { custom: new Map(), regional: new Map() });
    return z;
  };
  const createCustom = (zone: Zone, body: { hostname?: string; custom_origin_server?: string; ssl?: Record<string, unknown> }): StoredCustomHostname => {
    const hostname = (body.hostname ?? '').toLowerCase();
    if (!HOSTNAME.test(hostname)) throw fail(400, 1407, 'Invalid custom hostname. Custom hostnames have to be smaller than 256 characters in length, cannot be IP addresses, cannot contain any special characters.');
    if (/(^|\.)example\.(com|net|org)$/.test(hostname)) throw fail(400, 1411, 'Custom hostnames ending in example.com, example.net, or example.org are prohibited.');
    const origin = (body.custom_origin_server ?? '').toLowerCase();
    if (origin !== '' && origin !== zone.name && !origin.endsWith(`.${zone.name}`)) throw fail(400, 1415, 'Invalid custom origin hostname: it must be a hostname of the zone.');
    checkSsl(body.ssl ?? {});
    const custom = of(zone.id).custom;
    if ([...custom.values()].some((c) => c.hostname === hostname)) throw fail(409, 1406, 'Duplicate custom hostname found.');
    const stored = { id: nextId(), hostname, custom_origin_server: origin, ssl: { ...body.ssl, status: 'initializing' }, status: 'pending' };
    custom.set(stored.id, stored);
    return stored;
  };
  const customRoute = (method: string, zone: Zone, id: string | undefined, request: { url: URL; body: string }): [number, object] => {
    const { url, body } = request;
    const custom = of(zone.id).custom;
    if (id === undefined && method === 'GET') return [200, page([...custom.values()], url)];
    if (id === undefined && method === 'POST') return [201, envelope(true, createCustom(zone, parseJson(body)))];
    if (id !== undefined && method === 'DELETE') {
      if (!custom.delete(id)) throw fail(404, 1436, 'The custom hostname was not found.');
      return [200, envelope(true, { id })];
    }
    throw fail(405, 10000, `${method} is not allowed here`);
  };
  const regionalRoute = (method: string, zone: Zone, hostname: string | undefined, body: string): [number, object] => {
    const regional = of(zone.id).regional;
    if (hostname === undefined && method === 'GET') return [200, envelope(true, [...regional.values()])];
    const input = method === 'POST' || method === 'PATCH' ? parseJson<{ hostname?: string; region_key?: string }>(body) : {};
    const name = (hostname ?? input.hostname ?? '').toLowerCase();
    if (method === 'POST' && hostname === undefined) {
      if (name !== zone.name && !name.endsWith(`.${zone.name}`)) throw fail(400, 1000, `hostname ${name} is not part of zone ${zone.name}`);
      if (regional.has(name)) throw fail(409, 1001, `a regional hostname already exists for ${name}`);
      return [200, envelope(true, storeRegional(regional, name, input.region_key))];
    }
    const current = regional.get(name);
    if (current === undefined) throw fail(404, 1002, `no regional hostname ${name}`);
    if (method === 'PATCH') return [200, envelope(true, storeRegional(regional, name, input.region_key, current.created_on))];
    if (method === 'DELETE') {
      regional.delete(name);
      return [200, envelope(true, null)];
    }
    throw fail(405, 10000, `${method} is not allowed here`);
  };
  return {
    customHostnames: (zoneId) => [...of(zoneId).custom.values()].map((c) => ({ ...c })),
    putCustomHostname(zoneId, hostname, origin) {
      const id = nextId();
      of(zoneId).custom.set(id, { id, hostname, custom_origin_server: origin, ssl: {}, status: 'active' });
    },
    regionalHostnames: (zoneId) => [...of(zoneId).regional.values()].map((r) => ({ ...r })),
    putRegionalHostname(zoneId, hostname, regionKey) {
      of(zoneId).regional.set(hostname, { hostname, region_key: regionKey, created_on: '2026-01-01T00:00:00Z' });
    },
    route(method, base, url, body) {
      const custom = /^\/zones\/([^/]+)\/custom_hostnames(?:\/([^/]+))?$/.exec(base);
      if (custom !== null) return customRoute(method, zoneById(custom[1] ?? ''), custom[2], { url, body });
      const regional = /^\/zones\/([^/]+)\/addressing\/regional_hostnames(?:\/([^/]+))?$/.exec(base);
      if (regional !== null) return regionalRoute(method, zoneById(regional[1] ?? ''), regional[2], body);
      return undefined;
    },
  };
}

function storeRegional(regional: Map<string, StoredRegionalHostname>, hostname: string, regionKey: string | undefined, createdOn = '2026-01-01T00:00:00Z'): StoredRegionalHostname {
  if (regionKey === undefined || !REGION_KEYS.has(regionKey)) throw fail(400, 1003, `unknown region_key ${String(regionKey)}`);
  const stored = { hostname, region_key: regionKey, created_on: createdOn };
  regional.set(hostname, stored);
  return stored;
}

function checkSsl(ssl: Record<string, unknown>): void {
  const settings = (ssl.settings ?? {}) as Record<string, unknown>;
  const tls = settings.min_tls_version;
  if (tls !== undefined && (typeof tls !== 'string' || !TLS_VERSIONS.has(tls))) throw fail(400, 1400, `ssl.settings.min_tls_version ${JSON.stringify(tls)} is not one of 1.0, 1.1, 1.2, 1.3`);
  const ca = ssl.certificate_authority;
  if (ca !== undefined && (typeof ca !== 'string' || !AUTHORITIES.has(ca))) throw fail(400, 1400, `ssl.certificate_authority ${JSON.stringify(ca)} is not one of google, lets_encrypt, ssl_com`);
}
