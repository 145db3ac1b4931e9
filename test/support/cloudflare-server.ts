/**
 * A Cloudflare API v4 test server, as documented, over HTTPS with a test CA,
 * for the calls extdns makes: GET /zones, GET /zones/{id}/dns_records (page,
 * per_page; result_info), POST /zones/{id}/dns_records/batch (deletes, patches,
 * puts, posts, run in that order, all or nothing; MX priority, SRV data, comment
 * and tags kept), custom hostnames and regional hostnames
 * (./cloudflare-hostnames.ts). Every answer is the v4
 * envelope {success, errors, messages, result, result_info}. It checks the
 * credentials (Bearer token, or X-Auth-Key + X-Auth-Email), rejects what
 * Cloudflare rejects (unknown record ids 81044, bad A/AAAA content 9005/9006,
 * identical records 81058, CNAME next to other records 81053), can answer
 * 429 with Retry-After on demand, and logs every request so tests count calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { createHostnameStore, type HostnameStore } from './cloudflare-hostnames.ts';
import { startHttpsServer } from './tls-servers.ts';

export interface CfStoredRecord {
  id: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  comment: string | null;
  tags: string[];
  priority?: number;
  data?: Record<string, string | number>;
}

export interface CfLoggedRequest {
  method: string;
  path: string;
  status: number;
  /** For batches: counts of each operation. */
  batch?: { deletes: number; patches: number; puts: number; posts: number };
}

export interface CloudflareServerOptions {
  chain: string;
  key: string;
  /** The API token accepted (Bearer); default 'test-token'. */
  token?: string;
  /** A global key and email accepted too. */
  globalKey?: { key: string; email: string };
}

export interface CloudflareServer {
  readonly url: string;
  /** The base URL the SDK takes (CLOUDFLARE_BASE_URL). */
  readonly baseUrl: string;
  /** A zone; `paid` sets plan.is_subscribed (record comments up to 500 characters instead of 100). */
  addZone(name: string, options?: { paid?: boolean }): string;
  records(zoneId: string): CfStoredRecord[];
  /** Writes a record behind extdns's back. */
  put(zoneId: string, record: Omit<CfStoredRecord, 'id' | 'comment' | 'proxied' | 'tags'> & { proxied?: boolean; comment?: string }): void;
  readonly hostnames: HostnameStore;
  /** The next `count` requests answer 429 with this Retry-After (seconds). */
  throttleNext(count: number, retryAfterSeconds: number): void;
  /** Any batch holding a record with this content is rejected (400, code 9005 style). */
  rejectContent(content: string): void;
  readonly requests: CfLoggedRequest[];
  count(method: string, pathPattern: RegExp): number;
  stop(): Promise<void>;
}

export interface Zone {
  id: string;
  name: string;
  paid: boolean;
  records: Map<string, CfStoredRecord>;
}

export interface CfError {
  code: number;
  message: string;
}

export class Rejection extends Error {
  readonly status: number;
  readonly errors: CfError[];
  constructor(status: number, errors: CfError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.status = status;
    this.errors = errors;
  }
}

interface RecordBody {
  id?: string;
  name?: string;
  type?: string;
  content?: string;
  ttl?: number;
  proxied?: boolean;
  comment?: string | null;
  tags?: string[];
  priority?: number;
  data?: Record<string, string | number>;
}

export async function startCloudflareServer(options: CloudflareServerOptions): Promise<CloudflareServer> {
  const zones = new Map<string, Zone>();
  const requests: CfLoggedRequest[] = [];
  const rejected = new Set<string>();
  let throttle = { count: 0, retryAfter: 0 };
  let serial = 0;
  const nextId = (): string => (++serial).toString(16).padStart(32, '0');
  const token = options.token ?? 'test-token';

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://x');
    const body = await readBody(req);
    const log: CfLoggedRequest = { method: req.method ?? '', path: url.pathname, status: 200 };
    requests.push(log);
    const send = (status: number, payload: object, headers: Record<string, string> = {}): void => {
      log.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (throttle.count > 0) {
      throttle.count--;
      send(429, envelope(false, null, [{ code: 971, message: 'Please wait and consider throttling your request speed' }]), { 'retry-after': String(throttle.retryAfter) });
      return;
    }
    if (!authorized(req, token, options.globalKey)) {
      send(403, envelope(false, null, [{ code: 9109, message: 'Invalid access token' }]));
      return;
    }
    try {
      const [status, payload] = route(req.method ?? '', url, body, log);
      send(status, payload);
    } catch (err) {
      if (!(err instanceof Rejection)) throw err;
      send(err.status, envelope(false, null, err.errors));
    }
  };

  const route = (method: string, url: URL, body: string, log: CfLoggedRequest): [number, object] => {
    const base = url.pathname.replace(/^\/client\/v4/, '');
    if (method === 'GET' && base === '/zones') {
      return [200, page([...zones.values()].map((z) => ({ id: z.id, name: z.name, status: 'active', plan: { id: z.paid ? 'pro' : 'free', is_subscribed: z.paid } })), url)];
    }
    const hostnameAnswer = hostnames.route(method, base, url, body);
    if (hostnameAnswer !== undefined) return hostnameAnswer;
    const list = /^\/zones\/([^/]+)\/dns_records$/.exec(base);
    if (method === 'GET' && list !== null) return [200, page([...zoneById(list[1] ?? '').records.values()], url)];
    const batch = /^\/zones\/([^/]+)\/dns_records\/batch$/.exec(base);
    if (method === 'POST' && batch !== null) return [200, envelope(true, applyBatch(zoneById(batch[1] ?? ''), parseJson(body), log))];
    throw new Rejection(404, [{ code: 7003, message: `Could not route to ${url.pathname}, perhaps your object identifier is invalid?` }]);
  };

  const zoneById = (id: string): Zone => {
    const z = zones.get(id);
    if (z === undefined) throw new Rejection(404, [{ code: 7003, message: 'Could not route to /zones/…: invalid zone identifier' }]);
    return z;
  };

  /** All or nothing: the operations run on a copy, which replaces the zone's records only when every one passed. */
  const applyBatch = (zone: Zone, input: Record<string, RecordBody[] | undefined>, log: CfLoggedRequest): object => {
    const ops = { deletes: input.deletes ?? [], patches: input.patches ?? [], puts: input.puts ?? [], posts: input.posts ?? [] };
    log.batch = { deletes: ops.deletes.length, patches: ops.patches.length, puts: ops.puts.length, posts: ops.posts.length };
    const next = new Map(zone.records);
    const byName = new Map<string, Set<string>>();
    for (const r of next.values()) nameSet(byName, r.name).add(r.id);
    const existing = (id: string | undefined): CfStoredRecord => {
      const r = id === undefined ? undefined : next.get(id);
      if (r === undefined) throw new Rejection(400, [{ code: 81044, message: 'Record does not exist.' }]);
      return r;
    };
    const out = { deletes: [] as CfStoredRecord[], patches: [] as CfStoredRecord[], puts: [] as CfStoredRecord[], posts: [] as CfStoredRecord[] };
    for (const d of ops.deletes) {
      const gone = existing(d.id);
      out.deletes.push(gone);
      next.delete(gone.id);
      nameSet(byName, gone.name).delete(gone.id);
    }
    for (const p of ops.patches) {
      const merged = patched(existing(p.id), p);
      nameSet(byName, existing(p.id).name).delete(merged.id);
      out.patches.push(store(next, byName, zone, merged));
    }
    for (const p of ops.puts) {
      const old = existing(p.id);
      nameSet(byName, old.name).delete(old.id);
      out.puts.push(store(next, byName, zone, { id: old.id, ...complete(p) }));
    }
    for (const p of ops.posts) out.posts.push(store(next, byName, zone, { id: nextId(), ...complete(p) }));
    zone.records = next;
    return out;
  };

  const store = (records: Map<string, CfStoredRecord>, byName: Map<string, Set<string>>, zone: Zone, r: CfStoredRecord): CfStoredRecord => {
    validate(r, zone, rejected);
    const others = [...nameSet(byName, r.name)].filter((id) => id !== r.id).map((id) => records.get(id)).filter((o) => o !== undefined);
    if (others.some((o) => o.type === r.type && o.content === r.content && o.priority === r.priority)) throw new Rejection(400, [{ code: 81058, message: 'An identical record already exists.' }]);
    if (others.some((o) => (o.type === 'CNAME') !== (r.type === 'CNAME') && ['A', 'AAAA', 'CNAME'].includes(o.type) && ['A', 'AAAA', 'CNAME'].includes(r.type))) {
      throw new Rejection(400, [{ code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' }]);
    }
    records.set(r.id, r);
    nameSet(byName, r.name).add(r.id);
    return r;
  };

  const hostnames = createHostnameStore(zoneById, nextId);
  const server = await startHttpsServer({ chain: options.chain, key: options.key, handler });
  return {
    url: server.url,
    baseUrl: `${server.url}/client/v4`,
    addZone(name, zoneOptions = {}) {
      const id = nextId();
      zones.set(id, { id, name, paid: zoneOptions.paid ?? false, records: new Map() });
      return id;
    },
    records: (zoneId) => [...zoneById(zoneId).records.values()].map((r) => ({ ...r })),
    put(zoneId, record) {
      const zone = zoneById(zoneId);
      const id = nextId();
      zone.records.set(id, { id, proxied: false, ...record, comment: record.comment ?? null, tags: [] });
    },
    hostnames,
    throttleNext(count, retryAfterSeconds) {
      throttle = { count, retryAfter: retryAfterSeconds };
    },
    rejectContent: (content) => rejected.add(content),
    requests,
    count: (method, pattern) => requests.filter((r) => r.method === method && pattern.test(r.path)).length,
    stop: () => server.close(),
  };
}

function nameSet(index: Map<string, Set<string>>, name: string): Set<string> {
  let set = index.get(name);
  if (set === undefined) index.set(name, set = new Set());
  return set;
}

function authorized(req: IncomingMessage, token: string, globalKey: { key: string; email: string } | undefined): boolean {
  if (req.headers.authorization === `Bearer ${token}`) return true;
  return globalKey !== undefined && req.headers['x-auth-key'] === globalKey.key && req.headers['x-auth-email'] === globalKey.email;
}

function validate(r: CfStoredRecord, zone: Zone, rejected: ReadonlySet<string>): void {
  if (r.name !== zone.name && !r.name.endsWith(`.${zone.name}`)) throw new Rejection(400, [{ code: 1004, message: `DNS Validation Error: name ${r.name} is outside zone ${zone.name}` }]);
  if (r.type === 'A' && !isIPv4(r.content)) throw new Rejection(400, [{ code: 9005, message: 'Content for A record must be a valid IPv4 address.' }]);
  if (r.type === 'AAAA' && !isIPv6(r.content)) throw new Rejection(400, [{ code: 9006, message: 'Content for AAAA record must be a valid IPv6 address.' }]);
  if (r.ttl !== 1 && (r.ttl < 30 || r.ttl > 86400)) throw new Rejection(400, [{ code: 9021, message: 'Invalid TTL. Must be between 30 and 86400 seconds, or 1 for Automatic.' }]);
  if (rejected.has(r.content)) throw new Rejection(400, [{ code: 1004, message: `DNS Validation Error: content ${r.content} refused` }]);
  validateSettings(r, zone);
}

/** Per-type and per-plan rules: unproxiable types, the MX priority, the comment length. */
function validateSettings(r: CfStoredRecord, zone: Zone): void {
  if (r.proxied && ['MX', 'TXT', 'SRV', 'NS'].includes(r.type)) throw new Rejection(400, [{ code: 9004, message: `This record type cannot be proxied: ${r.type}` }]);
  if (r.type === 'MX' && (r.priority === undefined || r.priority < 0 || r.priority > 65535)) throw new Rejection(400, [{ code: 9100, message: 'MX records require a priority between 0 and 65535.' }]);
  if ((r.comment ?? '').length > (zone.paid ? 500 : 100)) throw new Rejection(400, [{ code: 9102, message: `DNS record comment is too long for the zone's plan (${zone.paid ? 500 : 100} characters).` }]);
}

/** SRV content is Cloudflare's rendering of its data: "weight port target" (priority apart). */
function srvContent(p: RecordBody): string {
  const d = p.data;
  const fields = ['priority', 'weight', 'port', 'target'];
  if (d === undefined || fields.some((f) => d[f] === undefined)) throw new Rejection(400, [{ code: 9101, message: 'SRV records require data: priority, weight, port and target.' }]);
  return `${String(d.weight)} ${String(d.port)} ${String(d.target)}`;
}

function complete(p: RecordBody): Omit<CfStoredRecord, 'id'> {
  const content = p.type === 'SRV' ? srvContent(p) : p.content;
  if (p.name === undefined || p.type === undefined || content === undefined) throw new Rejection(400, [{ code: 9000, message: 'DNS name, type and content are required.' }]);
  return {
    name: p.name.toLowerCase(), type: p.type, content, ttl: p.ttl ?? 1, proxied: p.proxied ?? false, comment: p.comment === '' ? null : p.comment ?? null,
    tags: p.tags ?? [], ...(p.priority === undefined ? {} : { priority: p.priority }), ...(p.data === undefined ? {} : { data: p.data }),
  };
}

/** A PATCH: the fields sent replace the stored ones (an empty comment clears it; SRV content follows new data). */
function patched(old: CfStoredRecord, p: RecordBody): CfStoredRecord {
  const merged: CfStoredRecord = { ...old, ...Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== undefined && k !== 'id')) };
  if (merged.comment === '') merged.comment = null;
  if (merged.type === 'SRV' && p.data !== undefined) merged.content = srvContent(merged);
  merged.name = merged.name.toLowerCase();
  return merged;
}

export function envelope(success: boolean, result: unknown, errors: CfError[] = [], resultInfo?: object): object {
  return { success, errors, messages: [], result, ...(resultInfo === undefined ? {} : { result_info: resultInfo }) };
}

export function page(items: readonly unknown[], url: URL): object {
  const perPage = Number(url.searchParams.get('per_page') ?? '100');
  const n = Number(url.searchParams.get('page') ?? '1');
  const slice = items.slice((n - 1) * perPage, n * perPage);
  return envelope(true, slice, [], { page: n, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) });
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body's shape
export function parseJson<T = Record<string, RecordBody[] | undefined>>(body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new Rejection(400, [{ code: 6007, message: 'Malformed JSON in request body' }]);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
