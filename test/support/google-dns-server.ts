/**
 * A Google Cloud DNS test server: the DNS v1 REST API as documented, over
 * HTTPS with a test CA, for the calls extdns makes: managedZones.list and
 * resourceRecordSets.list (paged with pageToken / nextPageToken, page size
 * set by the test), changes.create (atomic: every deletion must match the
 * held record set exactly, else 412 conditionNotMet or 404 notFound; an
 * existing addition is 409 alreadyExists; malformed data 400 invalid), with
 * Google's error envelope. The same server answers the OAuth token endpoint
 * (`POST /token`: service-account JWT grant, gcloud user refresh token), STS (`POST /v1/token`:
 * workload identity federation token exchange; `POST /v1/oauthtoken`: a workforce
 * identity federation user's refresh token, client credentials in Basic auth) and
 * IAM Credentials (`POST /v1/projects/-/serviceAccounts/SA:generateAccessToken`,
 * for a bearer token it issued); a plain-HTTP metadata server
 * (GCE_METADATA_HOST) gives the project and a token. Every request is logged
 * so tests count calls; 429s and refusals can be injected.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHttpsServer } from './tls-servers.ts';

export interface GoogleRrset {
  name: string;
  type: string;
  ttl: number;
  rrdatas: string[];
}

export interface GoogleZoneSpec {
  /** Managed zone name, e.g. `example-com`. */
  name: string;
  /** `example.com.` */
  dnsName: string;
  visibility?: 'public' | 'private';
  peering?: boolean;
}

interface Zone extends GoogleZoneSpec {
  id: string;
  sets: Map<string, GoogleRrset>;
}

export interface GoogleLogged {
  method: string;
  path: string;
  status: number;
  /** `changes`, `rrsets`, `managedZones`, `token`, `sts`, `impersonation`, or `other`. */
  operation: string;
  /** The OAuth grant_type of a token request. */
  grant?: string | undefined;
  /** The bearer token a DNS API or IAM Credentials request carried. */
  bearer?: string | undefined;
  additions?: number;
  deletions?: number;
}

export interface GoogleDnsServerOptions {
  chain: string;
  key: string;
  project: string;
  zones: GoogleZoneSpec[];
  /** Items per page of managedZones.list and rrsets.list (default 100, as small as 1 in tests). */
  pageSize?: number;
  /** The bearer token the DNS API accepts (default: any token this server or the metadata server issued). */
  token?: string;
}

export interface GoogleDnsServer {
  readonly url: string;
  /** The base URL for CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS. */
  readonly apiBase: string;
  readonly log: GoogleLogged[];
  readonly tokensIssued: string[];
  /** The zone's record sets, by `name/TYPE`. */
  rrsets(zone: string): GoogleRrset[];
  seed(zone: string, rrset: GoogleRrset): void;
  /** The next n DNS API requests are answered 429 rateLimitExceeded. */
  throttle(n: number): void;
  /** Additions whose name is in this set make their change fail with 400 invalid. */
  readonly refuseNames: Set<string>;
  /** The next change is answered 412 (the zone "moved"), before anything is applied. */
  conflictNext(status: 409 | 412): void;
  close(): Promise<void>;
}

const SOA = (dns: string): GoogleRrset => ({ name: dns, type: 'SOA', ttl: 21600, rrdatas: [`ns-cloud-a1.googledomains.com. cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300`] });
const NS = (dns: string): GoogleRrset => ({ name: dns, type: 'NS', ttl: 21600, rrdatas: ['ns-cloud-a1.googledomains.com.', 'ns-cloud-a2.googledomains.com.'] });

export async function startGoogleDnsServer(options: GoogleDnsServerOptions): Promise<GoogleDnsServer> {
  const state = new ServerState(options);
  const server = await startHttpsServer({ chain: options.chain, key: options.key, handler: (req, res) => state.handle(req, res) });
  return {
    url: server.url,
    apiBase: `${server.url}/dns/v1/`,
    log: state.log,
    tokensIssued: state.tokens,
    rrsets: (zone) => [...state.zone(zone).sets.values()].map((s) => ({ ...s, rrdatas: [...s.rrdatas] })),
    seed: (zone, rrset) => { state.zone(zone).sets.set(key(rrset), { ...rrset, rrdatas: [...rrset.rrdatas] }); },
    throttle: (n) => { state.throttleLeft = n; },
    refuseNames: state.refuseNames,
    conflictNext: (status) => { state.conflict = status; },
    close: () => server.close(),
  };
}

type Answer = [number, unknown];

function key(r: { name: string; type: string }): string {
  return `${r.name.toLowerCase()}/${r.type}`;
}

class ServerState {
  readonly log: GoogleLogged[] = [];
  readonly tokens: string[] = [];
  readonly refuseNames = new Set<string>();
  throttleLeft = 0;
  conflict: 409 | 412 | undefined;
  private readonly zones: Zone[];
  private readonly pageSize: number;
  private readonly options: GoogleDnsServerOptions;

  constructor(options: GoogleDnsServerOptions) {
    this.options = options;
    this.pageSize = options.pageSize ?? 100;
    this.zones = options.zones.map((z, i) => ({
      ...z, id: String(1000 + i),
      sets: new Map([[key(SOA(z.dnsName)), SOA(z.dnsName)], [key(NS(z.dnsName)), NS(z.dnsName)]]),
    }));
  }

  zone(name: string): Zone {
    const z = this.zones.find((x) => x.name === name);
    if (z === undefined) throw new Error(`no zone ${name}`);
    return z;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'https://x');
    const entry: GoogleLogged = { method: req.method ?? '', path: url.pathname, status: 200, operation: 'other' };
    this.log.push(entry);
    const [status, payload] = this.route(req, url, body, entry);
    entry.status = status;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(payload));
  }

  private route(req: IncomingMessage, url: URL, body: string, entry: GoogleLogged): Answer {
    const tokenPath = TOKEN_PATHS[url.pathname];
    if (tokenPath !== undefined) {
      entry.operation = tokenPath.operation;
      return this.issueToken(entry, { body, grants: tokenPath.grants, basic: req.headers.authorization });
    }
    const impersonate = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url.pathname);
    if (impersonate !== null && req.method === 'POST') return this.impersonate(req, entry);
    const m = /^\/dns\/v1\/projects\/([^/]+)\/managedZones(?:\/([^/]+)\/(rrsets|changes))?$/.exec(url.pathname);
    if (m === null) return [404, envelope(404, 'notFound', `no route ${url.pathname}`)];
    entry.operation = m[3] ?? 'managedZones';
    const refused = this.gate(req, decodeURIComponent(m[1] ?? ''));
    if (refused !== undefined) return refused;
    const pageToken = url.searchParams.get('pageToken');
    if (m[2] === undefined) return [200, this.page('dns#managedZonesListResponse', 'managedZones', this.zones.map(zoneJson), pageToken)];
    const zone = this.zones.find((z) => z.name === decodeURIComponent(m[2] ?? ''));
    if (zone === undefined) return [404, envelope(404, 'notFound', `The 'parameters.managedZone' resource named '${m[2] ?? ''}' does not exist.`)];
    if (m[3] === 'rrsets' && req.method === 'GET') {
      const sets = [...zone.sets.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((s) => ({ kind: 'dns#resourceRecordSet', ...s }));
      return [200, this.page('dns#resourceRecordSetsListResponse', 'rrsets', sets, pageToken)];
    }
    if (m[3] === 'changes' && req.method === 'POST') return this.change(zone, body, entry);
    return [405, envelope(405, 'methodNotAllowed', 'method not allowed')];
  }

  /** The bearer token, the injected throttling, the project: an error answer, or undefined to go on. */
  private gate(req: IncomingMessage, project: string): Answer | undefined {
    if (!this.knownBearer(req)) return [401, envelope(401, 'authError', 'Request had invalid authentication credentials.')];
    if (this.throttleLeft > 0) {
      this.throttleLeft--;
      return [429, envelope(429, 'rateLimitExceeded', 'Quota exceeded for quota metric \'Write requests\'.')];
    }
    if (project !== this.options.project) return [403, envelope(403, 'forbidden', `The caller does not have permission in project ${project}`)];
    return undefined;
  }

  private knownBearer(req: IncomingMessage): boolean {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const entry = this.log.at(-1);
    if (entry !== undefined) entry.bearer = token;
    return this.options.token === undefined ? this.tokens.includes(token) : token === this.options.token;
  }

  /** IAM Credentials' generateAccessToken: a token for the service account, to a caller holding a token of this server. */
  private impersonate(req: IncomingMessage, entry: GoogleLogged): Answer {
    entry.operation = 'impersonation';
    if (!this.knownBearer(req)) return [401, envelope(401, 'authError', 'Request had invalid authentication credentials.')];
    const token = `ya29.test-impersonated-${this.tokens.length + 1}`;
    this.tokens.push(token);
    // The server keeps no clock: its tokens outlive any test.
    return [200, { accessToken: token, expireTime: '2999-01-01T00:00:00Z' }];
  }

  private page(kind: string, field: string, items: unknown[], pageToken: string | null): Record<string, unknown> {
    const start = pageToken === null ? 0 : Number(pageToken);
    const slice = items.slice(start, start + this.pageSize);
    const next = start + this.pageSize < items.length ? String(start + this.pageSize) : undefined;
    return { kind, [field]: slice, ...(next === undefined ? {} : { nextPageToken: next }) };
  }

  private issueToken(entry: GoogleLogged, req: { body: string; grants: readonly string[]; basic: string | undefined }): Answer {
    const form = new URLSearchParams(req.body);
    const grant = form.get('grant_type') ?? (tryJson(req.body)?.grant_type as string | undefined);
    entry.grant = grant;
    const operation = entry.operation;
    if (grant === undefined || !req.grants.includes(grant)) return [400, { error: 'unsupported_grant_type', error_description: `expected ${req.grants.join(' or ')}` }];
    if (grant === 'refresh_token' && ((form.get('refresh_token') ?? '') === '' || !hasClientCredentials(form, req.basic))) {
      return [400, { error: 'invalid_request', error_description: 'refresh_token, client_id and client_secret (in the form or Basic auth) are required' }];
    }
    const token = `ya29.test-${operation}-${this.tokens.length + 1}`;
    this.tokens.push(token);
    return [200, grant !== 'urn:ietf:params:oauth:grant-type:token-exchange'
      ? { access_token: token, expires_in: 3599, token_type: 'Bearer' }
      : { access_token: token, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 }];
  }

  private change(zone: Zone, body: string, entry: GoogleLogged): Answer {
    const change = tryJson(body) as { additions?: GoogleRrset[]; deletions?: GoogleRrset[] } | undefined;
    if (change === undefined) return [400, envelope(400, 'parseError', 'Parse Error')];
    const additions = change.additions ?? [];
    const deletions = change.deletions ?? [];
    entry.additions = additions.length;
    entry.deletions = deletions.length;
    if (this.conflict !== undefined) {
      const status = this.conflict;
      this.conflict = undefined;
      return [status, envelope(status, status === 409 ? 'alreadyExists' : 'conditionNotMet', 'Precondition not met for \'entity.change\'')];
    }
    const problem = validate(zone, additions, deletions, this.refuseNames);
    if (problem !== undefined) return problem;
    for (const d of deletions) zone.sets.delete(key(d));
    for (const a of additions) zone.sets.set(key(a), { name: a.name, type: a.type, ttl: a.ttl, rrdatas: [...a.rrdatas] });
    return [200, { kind: 'dns#change', id: String(this.log.length), status: 'done', startTime: new Date(0).toISOString(), additions, deletions }];
  }
}

function validate(zone: Zone, additions: GoogleRrset[], deletions: GoogleRrset[], refuse: ReadonlySet<string>): Answer | undefined {
  const removed = new Set<string>();
  for (const [i, d] of deletions.entries()) {
    const held = zone.sets.get(key(d));
    if (held === undefined) return [404, envelope(404, 'notFound', `The 'entity.change.deletions[${i}]' resource named '${d.name} (${d.type})' does not exist.`)];
    if (held.ttl !== d.ttl || JSON.stringify([...held.rrdatas].sort()) !== JSON.stringify([...d.rrdatas].sort())) {
      return [412, envelope(412, 'conditionNotMet', `Precondition not met for 'entity.change.deletions[${i}]'`)];
    }
    removed.add(key(d));
  }
  for (const [i, a] of additions.entries()) {
    const bad = invalidAddition(zone, a, refuse);
    if (bad !== undefined) return [400, envelope(400, 'invalid', `Invalid value for 'entity.change.additions[${i}]': ${bad}`)];
    if (zone.sets.has(key(a)) && !removed.has(key(a))) {
      return [409, envelope(409, 'alreadyExists', `The resource 'entity.change.additions[${i}]' named '${a.name} (${a.type})' already exists`)];
    }
  }
  return undefined;
}

function invalidAddition(zone: Zone, a: GoogleRrset, refuse: ReadonlySet<string>): string | undefined {
  if (!a.name.endsWith('.') || !(a.name === zone.dnsName || a.name.endsWith(`.${zone.dnsName}`))) return `'${a.name}' is not a name in ${zone.dnsName}`;
  if (refuse.has(a.name)) return `'${a.name}' refused by the test`;
  if (!Number.isInteger(a.ttl) || a.ttl < 0) return `ttl ${String(a.ttl)}`;
  if (!Array.isArray(a.rrdatas) || a.rrdatas.length === 0) return 'no rrdatas';
  if (a.type === 'A' && !a.rrdatas.every((r) => /^\d{1,3}(\.\d{1,3}){3}$/.test(r))) return `'${a.rrdatas.join(',')}' is not an IPv4 address`;
  if (a.type === 'CNAME' && (a.rrdatas.length !== 1 || !a.rrdatas.every((r) => r.endsWith('.')))) return 'a CNAME holds one absolute name';
  return undefined;
}

function zoneJson(z: Zone): Record<string, unknown> {
  return {
    kind: 'dns#managedZone', name: z.name, dnsName: z.dnsName, id: z.id, visibility: z.visibility ?? 'public',
    ...(z.peering === true ? { peeringConfig: { kind: 'dns#managedZonePeeringConfig' } } : {}),
  };
}

function envelope(code: number, reason: string, message: string): unknown {
  return { error: { code, message, errors: [{ domain: 'global', reason, message }] } };
}

function tryJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface MetadataServer {
  /** `127.0.0.1:<port>` for GCE_METADATA_HOST. */
  readonly host: string;
  readonly log: string[];
  close(): Promise<void>;
}

/** The GCE/GKE metadata server: plain HTTP, `Metadata-Flavor: Google` both ways. */
export async function startMetadataServer(options: { project: string; issue: () => string }): Promise<MetadataServer> {
  const log: string[] = [];
  const server = createServer((req, res) => {
    log.push(req.url ?? '');
    if (req.headers['metadata-flavor'] !== 'Google') {
      res.writeHead(403);
      res.end('Missing Metadata-Flavor header');
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    res.setHeader('Metadata-Flavor', 'Google');
    if (path === '/computeMetadata/v1/project/project-id') {
      res.end(options.project);
    } else if (path === '/computeMetadata/v1/instance/service-accounts/default/token') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: options.issue(), expires_in: 3599, token_type: 'Bearer' }));
    } else if (path === '/computeMetadata/v1/instance' || path === '/' || path === '') {
      res.end('ok');
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

/** A token the DNS server accepts, issued outside it (by the metadata server). */
export function metadataIssuer(server: GoogleDnsServer): () => string {
  return () => {
    const token = `ya29.test-metadata-${server.tokensIssued.length + 1}`;
    server.tokensIssued.push(token);
    return token;
  };
}

/** The token endpoints this server answers, with the grants each takes. */
const TOKEN_PATHS: Readonly<Record<string, { operation: string; grants: readonly string[] }>> = {
  // OAuth: service-account JWT grants and gcloud users' refresh tokens.
  '/token': { operation: 'token', grants: ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'refresh_token'] },
  // STS: workload identity federation's token exchange, and workforce identity federation users' refresh tokens.
  '/v1/token': { operation: 'sts', grants: ['urn:ietf:params:oauth:grant-type:token-exchange'] },
  '/v1/oauthtoken': { operation: 'sts', grants: ['refresh_token'] },
};

/** client_id and client_secret in the form, or as HTTP Basic credentials (STS's confidential clients). */
function hasClientCredentials(form: URLSearchParams, authorization: string | undefined): boolean {
  if ((form.get('client_id') ?? '') !== '' && (form.get('client_secret') ?? '') !== '') return true;
  if (authorization?.startsWith('Basic ') !== true) return false;
  const [id = '', secret = ''] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
  return id !== '' && secret !== '';
}
