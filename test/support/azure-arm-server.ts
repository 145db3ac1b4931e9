/**
 * A test server following Azure Resource Manager for Azure DNS
 * (`Microsoft.Network/dnsZones`, api-version 2018-05-01, capitalised record
 * properties: `TTL`, `ARecords`, `CNAMERecord`…) and Azure Private DNS
 * (`Microsoft.Network/privateDnsZones`, 2018-09-01, camel case: `ttl`,
 * `aRecords`…), as documented in the ARM REST reference: lists paged through
 * `nextLink`, record sets written with PUT and removed with DELETE under
 * `If-Match` / `If-None-Match` (412 PreconditionFailed), errors in ARM's
 * envelope `{"error":{"code","message"}}`, bearer tokens required, 429 with
 * Retry-After on demand. It also serves the token endpoints the credentials
 * use: Active Directory's (`/{tenant}/v2.0/.well-known/openid-configuration`,
 * `POST /{tenant}/oauth2/v2.0/token`) and a managed identity endpoint
 * (`GET /msi/token?resource=…&api-version=2019-08-01`, header
 * `X-IDENTITY-HEADER`). Checked through the official SDKs by the provider tests
 * (test/conformance/azure.test.ts, test/azure/provider.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttpsServer, type TestServer } from './tls-servers.ts';

export type ZoneKind = 'dns' | 'private';

/** A record set in the SDK's (camel-case) field names; the wire form is made per kind. */
export type RecordProps = Record<string, unknown>;

interface StoredSet {
  name: string;
  type: string;
  etag: string;
  props: RecordProps;
}

interface Zone {
  name: string;
  sets: Map<string, StoredSet>;
}

export interface ArmRequest {
  method: string;
  path: string;
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

export interface AzureArmServer extends TestServer {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly tenantId: string;
  /** Every ARM request answered (token requests are in tokenRequests, throttled ones in throttled). */
  readonly requests: ArmRequest[];
  /** The ARM requests answered 429, in order. */
  readonly throttled: ArmRequest[];
  readonly tokenRequests: { path: string; body: string; headers: Record<string, string | string[] | undefined> }[];
  addZone(kind: ZoneKind, name: string): void;
  /** Writes a record set as someone else would (new ETag). */
  putSet(at: { kind: ZoneKind; zone: string; name: string; type: string }, props: RecordProps): void;
  getSet(kind: ZoneKind, zone: string, relativeName: string, type: string): { etag: string; props: RecordProps } | undefined;
  /** Every record set of a zone as `name type` → props, for assertions. */
  dump(kind: ZoneKind, zone: string): Map<string, RecordProps>;
  /** The next `count` ARM requests answer 429 with this Retry-After (seconds). */
  throttle(count: number, retryAfterSeconds: number): void;
  /** Writes counted from the request log. */
  writes(): number;
  /** A token ARM accepts, issued elsewhere (the managed identity server of test/support/azure-identity-server.ts). */
  issueToken(): string;
}

export interface AzureArmServerOptions {
  chain: string;
  key: string;
  /** Items per page of every list (default 100, ARM's usual). */
  pageSize?: number;
  clientId?: string;
  clientSecret?: string;
  identityHeader?: string;
}

const PUBLIC_KEYS: Readonly<Record<string, string>> = {
  ttl: 'TTL', aRecords: 'ARecords', aaaaRecords: 'AAAARecords', cnameRecord: 'CNAMERecord', mxRecords: 'MXRecords',
  nsRecords: 'NSRecords', txtRecords: 'TXTRecords', soaRecord: 'SOARecord', srvRecords: 'SRVRecords', ptrRecords: 'PTRRecords',
  caaRecords: 'caaRecords', metadata: 'metadata', fqdn: 'fqdn', provisioningState: 'provisioningState',
};
const VERSIONS: Record<ZoneKind, string> = { dns: '2018-05-01', private: '2018-09-01' };
const RESOURCE: Record<ZoneKind, string> = { dns: 'dnszones', private: 'privatednszones' };
const TYPE_PREFIX: Record<ZoneKind, string> = { dns: 'Microsoft.Network/dnszones', private: 'Microsoft.Network/privateDnsZones' };

export async function startAzureArmServer(options: AzureArmServerOptions): Promise<AzureArmServer> {
  const subscriptionId = '00000000-0000-0000-0000-00000000beef';
  const resourceGroup = 'dns-rg';
  const tenantId = '11111111-2222-3333-4444-555555555555';
  const clientId = options.clientId ?? 'extdns-client';
  const clientSecret = options.clientSecret ?? 'extdns-secret';
  const identityHeader = options.identityHeader ?? 'identity-header-secret';
  const pageSize = options.pageSize ?? 100;
  const zones: Record<ZoneKind, Map<string, Zone>> = { dns: new Map(), private: new Map() };
  const tokens = new Set<string>();
  const requests: ArmRequest[] = [];
  const throttledLog: ArmRequest[] = [];
  const tokenRequests: AzureArmServer['tokenRequests'] = [];
  let etagCounter = 0;
  let throttled = { count: 0, retryAfter: 0 };
  let baseUrl = '';

  const newEtag = (): string => `"${(++etagCounter).toString(16).padStart(8, '0')}-etag"`;
  const key = (name: string, type: string): string => `${name.toLowerCase()} ${type.toUpperCase()}`;
  const store = (zone: Zone, at: { name: string; type: string }, props: RecordProps): StoredSet => {
    const set = { name: at.name, type: at.type.toUpperCase(), etag: newEtag(), props };
    zone.sets.set(key(at.name, at.type), set);
    return set;
  };
  const zoneOf = (kind: ZoneKind, name: string): Zone => {
    const zone = zones[kind].get(name.toLowerCase());
    if (zone === undefined) throw new Error(`no ${kind} zone ${name}`);
    return zone;
  };

  const wireSet = (kind: ZoneKind, zoneName: string, set: StoredSet): object => {
    const base = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${TYPE_PREFIX[kind].replace('dnszones', 'dnsZones')}/${zoneName}`;
    const properties: Record<string, unknown> = { fqdn: `${set.name === '@' ? '' : `${set.name}.`}${zoneName}.` };
    for (const [k, v] of Object.entries(set.props)) properties[kind === 'dns' ? PUBLIC_KEYS[k] ?? k : k] = v;
    if (kind === 'private') properties['isAutoRegistered'] = false;
    return { id: `${base}/${set.type}/${set.name}`, name: set.name, type: `${TYPE_PREFIX[kind]}/${set.type}`, etag: set.etag, properties };
  };
  const readProps = (kind: ZoneKind, properties: Record<string, unknown>): RecordProps => {
    const out: RecordProps = {};
    const byLower = new Map(Object.keys(PUBLIC_KEYS).map((k) => [(kind === 'dns' ? PUBLIC_KEYS[k] ?? k : k).toLowerCase(), k]));
    for (const [k, v] of Object.entries(properties)) {
      const internal = byLower.get(k.toLowerCase());
      if (internal !== undefined && internal !== 'fqdn' && internal !== 'provisioningState') out[internal] = v;
    }
    return out;
  };

  const page = (res: ServerResponse, url: URL, items: object[]): void => {
    const skip = Number(url.searchParams.get('$skipToken') ?? '0');
    const slice = items.slice(skip, skip + pageSize);
    const body: Record<string, unknown> = { value: slice };
    if (skip + pageSize < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skipToken', String(skip + pageSize));
      body['nextLink'] = `${url.origin}${next.pathname}${next.search}`;
    }
    json(res, 200, body);
  };

  const authorised = (req: IncomingMessage, res: ServerResponse): boolean => {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) {
      armError(res, 401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing or its token is invalid.');
      return false;
    }
    if (throttled.count > 0) {
      throttled.count--;
      throttledLog.push({ method: req.method ?? '', path: req.url ?? '' });
      res.setHeader('Retry-After', String(throttled.retryAfter));
      armError(res, 429, 'TooManyRequests', 'The request is being throttled.');
      return false;
    }
    return true;
  };

  /** subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/{resource}[/{zone}[/{type}[/{name}]]] */
  const locate = (res: ServerResponse, url: URL): { kind: ZoneKind; parts: string[] } | undefined => {
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const lower = parts.map((p) => p.toLowerCase());
    if (lower[0] !== 'subscriptions' || lower[2] !== 'resourcegroups' || lower[4] !== 'providers' || lower[5] !== 'microsoft.network') {
      armError(res, 404, 'InvalidResourceType', `no such resource path ${url.pathname}`);
      return undefined;
    }
    if (parts[1] !== subscriptionId || lower[3] !== resourceGroup) {
      armError(res, 404, 'ResourceGroupNotFound', `Resource group '${parts[3] ?? ''}' could not be found.`);
      return undefined;
    }
    const kind: ZoneKind | undefined = lower[6] === RESOURCE.dns ? 'dns' : lower[6] === RESOURCE.private ? 'private' : undefined;
    if (kind === undefined) {
      armError(res, 404, 'InvalidResourceType', `The resource type '${parts[6] ?? ''}' could not be found in the namespace 'Microsoft.Network'.`);
      return undefined;
    }
    const version = url.searchParams.get('api-version');
    if (version !== VERSIONS[kind]) {
      armError(res, 400, 'InvalidApiVersionParameter', `The api-version '${version ?? ''}' is invalid here; this server speaks '${VERSIONS[kind]}'.`);
      return undefined;
    }
    return { kind, parts };
  };

  const listZones = (res: ServerResponse, url: URL, kind: ZoneKind): void => {
    page(res, url, [...zones[kind].values()].map((z) => ({
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/${kind === 'dns' ? 'dnsZones' : 'privateDnsZones'}/${z.name}`,
      name: z.name, type: kind === 'dns' ? 'Microsoft.Network/dnszones' : 'Microsoft.Network/privateDnsZones', etag: '"zone"', location: 'global',
      properties: { numberOfRecordSets: z.sets.size, ...(kind === 'dns' ? { zoneType: 'Public' } : {}) },
    })));
  };

  const handleArm = (req: IncomingMessage, res: ServerResponse, url: URL, body: string): void => {
    if (!authorised(req, res)) return;
    const target = locate(res, url);
    if (target === undefined) return;
    const { kind, parts } = target;
    requests.push({ method: req.method ?? '', path: url.pathname, ifMatch: header(req, 'if-match'), ifNoneMatch: header(req, 'if-none-match') });
    const zoneName = parts[7]?.toLowerCase();
    if (zoneName === undefined) {
      listZones(res, url, kind);
      return;
    }
    const zone = zones[kind].get(zoneName);
    if (zone === undefined) {
      armError(res, 404, 'ResourceNotFound', `The Resource '${zoneName}' under resource group '${resourceGroup}' was not found.`);
      return;
    }
    const type = parts[8];
    if (type === undefined || (parts[9] === undefined && ['all', 'recordsets'].includes(type.toLowerCase()))) {
      const sorted = [...zone.sets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : 1));
      page(res, url, sorted.map((set) => wireSet(kind, zone.name, set)));
      return;
    }
    handleRecordSet(req, res, { kind, zone, type, name: decodeURIComponent(parts[9] ?? '') }, body);
  };

  const handleRecordSet = (req: IncomingMessage, res: ServerResponse, at: { kind: ZoneKind; zone: Zone; type: string; name: string }, body: string): void => {
    const { kind, zone, type, name } = at;
    const existing = zone.sets.get(key(name, type));
    const ifMatch = header(req, 'if-match');
    const ifNoneMatch = header(req, 'if-none-match');
    if ((ifMatch !== undefined && (existing === undefined || (ifMatch !== '*' && ifMatch !== existing.etag))) || (ifNoneMatch === '*' && existing !== undefined)) {
      armError(res, 412, 'PreconditionFailed', `The condition '${ifMatch !== undefined ? `If-Match: ${ifMatch}` : 'If-None-Match: *'}' in the request was not satisfied.`);
      return;
    }
    if (req.method === 'GET') {
      if (existing === undefined) armError(res, 404, 'NotFound', `The resource record '${name}' does not exist in resource group '${resourceGroup}'.`);
      else json(res, 200, wireSet(kind, zone.name, existing));
    } else if (req.method === 'PUT') {
      putFromBody(res, at, body, existing === undefined);
    } else if (req.method === 'DELETE') {
      res.writeHead(zone.sets.delete(key(name, type)) ? 200 : 204);
      res.end();
    } else {
      armError(res, 405, 'MethodNotAllowed', `${req.method ?? ''} is not allowed here`);
    }
  };

  const putFromBody = (res: ServerResponse, at: { kind: ZoneKind; zone: Zone; type: string; name: string }, body: string, created: boolean): void => {
    let parsed: { properties?: Record<string, unknown> };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      armError(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      return;
    }
    const props = readProps(at.kind, parsed.properties ?? {});
    const problem = validate(at.type.toUpperCase(), props, at.kind);
    if (problem !== undefined) {
      armError(res, 400, 'BadRequest', problem);
      return;
    }
    const set = store(at.zone, { name: at.name, type: at.type }, props);
    json(res, created ? 201 : 200, wireSet(at.kind, at.zone.name, set));
  };

  const issue = (): string => {
    const token = `token-${tokens.size + 1}-${Math.random().toString(36).slice(2)}`;
    tokens.add(token);
    return token;
  };

  const handleToken = (req: IncomingMessage, res: ServerResponse, url: URL, body: string): boolean => {
    const segments = url.pathname.split('/').filter((p) => p !== '');
    if (url.pathname === '/msi/token' && req.method === 'GET') {
      tokenRequests.push({ path: url.pathname + url.search, body, headers: req.headers });
      if (header(req, 'x-identity-header') !== identityHeader) {
        json(res, 401, { error: 'invalid_request', error_description: 'X-IDENTITY-HEADER is missing or wrong' });
        return true;
      }
      const expiresOn = Math.floor(Date.now() / 1000) + 3600;
      json(res, 200, { access_token: issue(), expires_on: String(expiresOn), resource: url.searchParams.get('resource'), token_type: 'Bearer', client_id: url.searchParams.get('client_id') ?? 'system-assigned' });
      return true;
    }
    const tenant = segments[0];
    if (tenant === undefined) return false;
    const base = `${url.origin}/${tenant}`;
    if (url.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      json(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        issuer: `${base}/v2.0`, jwks_uri: `${base}/discovery/v2.0/keys`, end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        response_types_supported: ['code'], subject_types_supported: ['pairwise'], id_token_signing_alg_values_supported: ['RS256'],
      });
      return true;
    }
    if (url.pathname === `/${tenant}/oauth2/v2.0/token` && req.method === 'POST') {
      tokenRequests.push({ path: url.pathname, body, headers: req.headers });
      const form = new URLSearchParams(body);
      const secretOk = form.get('client_secret') === clientSecret;
      const assertionOk = (form.get('client_assertion') ?? '') !== '';
      if (tenant !== tenantId || form.get('client_id') !== clientId || !(secretOk || assertionOk)) {
        json(res, 401, { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided for '${form.get('client_id') ?? ''}'.`, error_codes: [7000215] });
        return true;
      }
      json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: issue() });
      return true;
    }
    return false;
  };

  const server = await startHttpsServer({
    chain: options.chain,
    key: options.key,
    handler: async (req, res) => {
      const body = await readBody(req);
      // Links (nextLink, the token endpoint) name the host the client asked for: a proxy-only name stays one.
      const url = new URL(req.url ?? '/', req.headers.host === undefined ? baseUrl : `https://${req.headers.host}`);
      if (url.pathname.toLowerCase().startsWith('/subscriptions/')) {
        handleArm(req, res, url, body);
        return;
      }
      if (!handleToken(req, res, url, body)) armError(res, 404, 'NotFound', `nothing at ${url.pathname}`);
    },
  });
  baseUrl = server.url;

  return {
    ...server,
    subscriptionId, resourceGroup, tenantId, requests, tokenRequests, throttled: throttledLog,
    addZone: (kind, name) => {
      const zone: Zone = { name: name.toLowerCase(), sets: new Map() };
      zones[kind].set(zone.name, zone);
      store(zone, { name: '@', type: 'SOA' }, { ttl: 3600, soaRecord: { host: 'ns1-01.azure-dns.com.', email: 'azuredns-hostmaster.microsoft.com', serialNumber: 1, refreshTime: 3600, retryTime: 300, expireTime: 2419200, minimumTtl: 300 } });
      if (kind === 'dns') store(zone, { name: '@', type: 'NS' }, { ttl: 172800, nsRecords: [{ nsdname: 'ns1-01.azure-dns.com.' }, { nsdname: 'ns2-01.azure-dns.net.' }] });
    },
    putSet: (at, props) => { store(zoneOf(at.kind, at.zone), at, props); },
    getSet: (kind, zone, name, type) => {
      const set = zoneOf(kind, zone).sets.get(key(name, type));
      return set === undefined ? undefined : { etag: set.etag, props: set.props };
    },
    dump: (kind, zone) => new Map([...zoneOf(kind, zone).sets.values()].map((s) => [`${s.name} ${s.type}`, s.props])),
    throttle: (count, retryAfter) => { throttled = { count, retryAfter }; },
    writes: () => requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE').length,
    issueToken: issue,
  };
}

/** What ARM refuses in a record set body (the shapes extdns writes). */
function validate(type: string, props: RecordProps, kind: ZoneKind): string | undefined {
  if (typeof props['ttl'] !== 'number') return 'The record set TTL is required.';
  const field: Record<string, string> = { A: 'aRecords', AAAA: 'aaaaRecords', CNAME: 'cnameRecord', MX: 'mxRecords', NS: 'nsRecords', TXT: 'txtRecords', SRV: 'srvRecords', PTR: 'ptrRecords' };
  const wanted = field[type];
  if (wanted === undefined || (kind === 'private' && type === 'NS')) return `The record type '${type}' is not supported.`;
  const values = props[wanted];
  if (values === undefined || (Array.isArray(values) && values.length === 0)) return `The ${type} record set must hold at least one record.`;
  if (type === 'TXT') {
    for (const r of values as { value?: string[] }[]) {
      if ((r.value ?? []).some((v) => v.length > 1024)) return 'A TXT record string may hold at most 1024 characters.';
    }
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': `req-${Date.now()}` });
  res.end(text);
}

function armError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
