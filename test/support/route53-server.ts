/**
 * A Route53 test server: the REST/XML API (version 2013-04-01) as documented,
 * over HTTPS with a test CA, for the calls extdns makes: ListHostedZones,
 * GetHostedZone, ListResourceRecordSets, ListTagsForResources,
 * ChangeResourceRecordSets (atomic, with Route53's validation messages and
 * limits) and GetChange (PENDING, then INSYNC). It requires a SigV4
 * Authorization header (its format only, unless `secretOf` is given: then the
 * signature and the session token are verified too), can throttle on demand,
 * and logs every request so tests count calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { child, children, el, parseXml, raw, textOf, type XmlNode } from './route53-xml.ts';
import { verifySigV4 } from './sts-server.ts';
import { startHttpsServer } from './tls-servers.ts';

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

export interface StoredRecordSet {
  name: string;
  type: string;
  setIdentifier?: string;
  ttl?: number;
  values: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
  /** Routing and health check fields, kept as the XML element text. */
  extra: Record<string, string>;
  geo?: Record<string, string>;
}

interface Zone {
  id: string;
  name: string;
  private: boolean;
  tags: Record<string, string>;
  sets: Map<string, StoredRecordSet>;
}

export interface LoggedRequest {
  method: string;
  path: string;
  operation: string;
  status: number;
  /** The access key id of the SigV4 credential, and the X-Amz-Security-Token header (temporary credentials). */
  accessKeyId: string;
  securityToken?: string;
  changes?: number;
  /** For ChangeResourceRecordSets: `ACTION name type` of each change, in order. */
  changed?: string[];
}

export interface Route53ServerOptions {
  /** Server certificate chain (PEM, leaf first) and key. */
  chain: string;
  key: string;
  /**
   * Verify signatures: the secret (and, for temporary credentials, the
   * session token) of an access key id; undefined for an unknown key.
   */
  secretOf?: (accessKeyId: string) => { secret: string; sessionToken?: string } | undefined;
}

export interface Route53Server {
  readonly url: string;
  addZone(name: string, options?: { private?: boolean; tags?: Record<string, string> }): string;
  /** The zone's record sets as stored (names with trailing dot, `*` as `\052`). */
  recordSets(zoneId: string): StoredRecordSet[];
  /** Writes a record set behind extdns's back. */
  put(zoneId: string, set: StoredRecordSet): void;
  /** The next `count` requests (of `operation`, or any) answer 400 with this code (Throttling, PriorRequestNotComplete) or a 5xx. */
  failNext(count: number, failure: { code: string; status?: number; operation?: string }): void;
  readonly requests: LoggedRequest[];
  count(operation: string): number;
  stop(): Promise<void>;
}

const LIMIT_VALUES = 1000;
const LIMIT_CHARS = 32000;

export async function startRoute53Server(options: Route53ServerOptions): Promise<Route53Server> {
  const zones = new Map<string, Zone>();
  const requests: LoggedRequest[] = [];
  const failures: { code: string; status: number; operation?: string | undefined }[] = [];
  const changes = new Map<string, number>();
  let nextId = 1;

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'https://route53.test');
    const path = url.pathname.replace(/\/+$/, '');
    const route = routeOf(req.method ?? 'GET', path);
    const log: LoggedRequest = { method: req.method ?? '', path, operation: route.operation, status: 200, ...signerOf(req) };
    requests.push(log);
    const reply = (status: number, xml: string): void => {
      log.status = status;
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${requests.length}` });
      res.end(`<?xml version="1.0"?>\n${xml}`);
    };
    const refusal = preflight(req, body, route);
    if (refusal !== undefined) {
      reply(refusal.status, refusal.xml);
      return;
    }
    const zone = route.zoneId === undefined ? undefined : zones.get(route.zoneId);
    switch (route.operation) {
      case 'ListHostedZones':
        reply(200, listZones(url));
        return;
      case 'GetHostedZone':
        reply(200, raw('GetHostedZoneResponse', zoneXml(zone as Zone)).replace('<GetHostedZoneResponse>', `<GetHostedZoneResponse xmlns="${NS}">`));
        return;
      case 'ListResourceRecordSets':
        reply(200, listSets(zone as Zone, url));
        return;
      case 'ListTagsForResources':
        reply(200, listTags(parseXml(body)));
        return;
      case 'ChangeResourceRecordSets': {
        const request = parseXml(body);
        const result = change(zone as Zone, request);
        log.changes = result.count;
        log.changed = children(child(child(request, 'ChangeBatch'), 'Changes'), 'Change').map((c) => {
          const set = child(c, 'ResourceRecordSet');
          return `${textOf(c, 'Action') ?? ''} ${(textOf(set, 'Name') ?? '').replace(/\.$/, '')} ${textOf(set, 'Type') ?? ''}`;
        });
        if (result.errors.length > 0) {
          reply(400, errorXml('Sender', 'InvalidChangeBatch', `[${result.errors.join(', ')}]`));
          return;
        }
        const id = `C${String(nextId++).padStart(10, '0')}`;
        changes.set(id, 0);
        reply(200, `<ChangeResourceRecordSetsResponse xmlns="${NS}">${changeInfo(id, 'PENDING')}</ChangeResourceRecordSetsResponse>`);
        return;
      }
      case 'GetChange': {
        const answer = getChange(path.split('/').pop() ?? '');
        reply(answer.status, answer.xml);
        return;
      }
      default:
        reply(400, errorXml('Sender', 'InvalidInput', `Unsupported request ${req.method ?? ''} ${path}`));
    }
  };

  /** With `secretOf`: a signature that does not verify, or a temporary key without its own session token, answers 403 as Route53 does. */
  const signatureProblem = (req: IncomingMessage, body: string): { status: number; xml: string } | undefined => {
    const secretOf = options.secretOf;
    if (secretOf === undefined) return undefined;
    const check = verifySigV4(req, body, (id) => secretOf(id)?.secret);
    if (check.problem !== undefined) return { status: 403, xml: errorXml('Sender', check.problem.code, check.problem.message) };
    if (secretOf(check.accessKeyId)?.sessionToken !== check.securityToken) {
      return { status: 403, xml: errorXml('Sender', 'InvalidClientTokenId', 'The security token included in the request is invalid.') };
    }
    return undefined;
  };

  /** SigV4 presence, injected failures, unknown zones: an answer that ends the request, or undefined. */
  const preflight = (req: IncomingMessage, body: string, route: { operation: string; zoneId?: string }): { status: number; xml: string } | undefined => {
    const badSignature = signatureProblem(req, body);
    if (badSignature !== undefined) return badSignature;
    const auth = req.headers.authorization ?? '';
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[\w-]+\/route53\/aws4_request, ?SignedHeaders=[\w;-]+, ?Signature=[0-9a-f]{64}$/.test(auth)) {
      return { status: 403, xml: errorXml('Sender', 'MissingAuthenticationToken', 'Missing or malformed SigV4 Authorization header') };
    }
    const failIndex = failures.findIndex((f) => f.operation === undefined || f.operation === route.operation);
    const [f] = failIndex < 0 ? [] : failures.splice(failIndex, 1);
    if (f !== undefined) {
      return { status: f.status, xml: errorXml(f.status >= 500 ? 'Receiver' : 'Sender', f.code, f.code === 'Throttling' ? 'Rate exceeded' : 'The request was rejected') };
    }
    if (route.zoneId !== undefined && !zones.has(route.zoneId)) {
      return { status: 404, xml: errorXml('Sender', 'NoSuchHostedZone', `No hosted zone found with ID: ${route.zoneId}`) };
    }
    return undefined;
  };

  /** The first GetChange of a change answers PENDING, later ones INSYNC. */
  const getChange = (id: string): { status: number; xml: string } => {
    const seen = changes.get(id);
    if (seen === undefined) return { status: 404, xml: errorXml('Sender', 'NoSuchChange', `A change with the specified change ID does not exist: ${id}`) };
    changes.set(id, seen + 1);
    return { status: 200, xml: `<GetChangeResponse xmlns="${NS}">${changeInfo(id, seen === 0 ? 'PENDING' : 'INSYNC')}</GetChangeResponse>` };
  };

  const listZones = (url: URL): string => {
    const all = [...zones.values()].sort((a, b) => a.id.localeCompare(b.id));
    const max = Math.min(Number(url.searchParams.get('maxitems') ?? 100), 100);
    const marker = url.searchParams.get('marker');
    const start = marker === null ? 0 : Math.max(0, all.findIndex((z) => z.id === marker));
    const page = all.slice(start, start + max);
    const next = all[start + max];
    return `<ListHostedZonesResponse xmlns="${NS}">${raw('HostedZones', page.map((z) => zoneXml(z)).join(''))}${el('Marker', marker ?? undefined)}`
      + `${el('IsTruncated', next !== undefined)}${el('NextMarker', next?.id)}${el('MaxItems', max)}</ListHostedZonesResponse>`;
  };

  const listSets = (zone: Zone, url: URL): string => {
    const sorted = [...zone.sets.values()].sort(compareSets);
    const max = Math.min(Number(url.searchParams.get('maxitems') ?? 100), 300);
    const startName = url.searchParams.get('name');
    let start = 0;
    if (startName !== null) {
      const from: StoredRecordSet = { name: absolute(startName), type: url.searchParams.get('type') ?? '', values: [], extra: {}, ...(url.searchParams.get('identifier') === null ? {} : { setIdentifier: url.searchParams.get('identifier') ?? '' }) };
      start = sorted.findIndex((s) => compareSets(s, from) >= 0);
      if (start < 0) start = sorted.length;
    }
    const page = sorted.slice(start, start + max);
    const next = sorted[start + max];
    const nextXml = next === undefined ? '' : el('NextRecordName', next.name) + el('NextRecordType', next.type) + el('NextRecordIdentifier', next.setIdentifier);
    return `<ListResourceRecordSetsResponse xmlns="${NS}">${raw('ResourceRecordSets', page.map(setXml).join(''))}`
      + `${el('IsTruncated', next !== undefined)}${nextXml}${el('MaxItems', max)}</ListResourceRecordSetsResponse>`;
  };

  const listTags = (req: XmlNode): string => {
    const ids = children(child(req, 'ResourceIds'), 'ResourceId').map((n) => n.text.trim());
    const sets = ids.map((id) => {
      const z = zones.get(id.replace(/^\/hostedzone\//, ''));
      const tags = Object.entries(z?.tags ?? {}).map(([k, v]) => raw('Tag', el('Key', k) + el('Value', v))).join('');
      return raw('ResourceTagSet', el('ResourceType', 'hostedzone') + el('ResourceId', id) + raw('Tags', tags));
    });
    return `<ListTagsForResourcesResponse xmlns="${NS}">${raw('ResourceTagSets', sets.join(''))}</ListTagsForResourcesResponse>`;
  };

  const server = await startHttpsServer({ chain: options.chain, key: options.key, handler });

  return {
    url: server.url,
    addZone(name, opts = {}) {
      const id = `Z${String(nextId++).padStart(12, '0')}`;
      const zoneName = absolute(name);
      const sets = new Map<string, StoredRecordSet>();
      const soa: StoredRecordSet = { name: zoneName, type: 'SOA', ttl: 900, values: [`ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`], extra: {} };
      const ns: StoredRecordSet = { name: zoneName, type: 'NS', ttl: 172800, values: ['ns-1.awsdns-00.com.', 'ns-2.awsdns-00.net.'], extra: {} };
      sets.set(keyOf(soa), soa);
      sets.set(keyOf(ns), ns);
      zones.set(id, { id, name: zoneName, private: opts.private === true, tags: { ...(opts.tags ?? {}) }, sets });
      return id;
    },
    recordSets: (zoneId) => [...(zones.get(zoneId)?.sets.values() ?? [])].sort(compareSets),
    put(zoneId, set) {
      zones.get(zoneId)?.sets.set(keyOf(set), { ...set, name: absolute(set.name) });
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push({ code: failure.code, status: failure.status ?? 400, operation: failure.operation });
    },
    requests,
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    stop: () => server.close(),
  };
}

/** Who signed a request: the SigV4 credential's access key id, and the session token of temporary credentials. */
function signerOf(req: IncomingMessage): { accessKeyId: string; securityToken?: string } {
  const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const token = req.headers['x-amz-security-token'];
  return typeof token === 'string' ? { accessKeyId, securityToken: token } : { accessKeyId };
}

function routeOf(method: string, path: string): { operation: string; zoneId?: string } {
  const p = path.replace(/^\/2013-04-01/, '');
  let m = /^\/hostedzone\/([^/]+)\/rrset$/.exec(p);
  if (m !== null) return { operation: method === 'POST' ? 'ChangeResourceRecordSets' : 'ListResourceRecordSets', zoneId: m[1] ?? '' };
  m = /^\/hostedzone\/([^/]+)$/.exec(p);
  if (m !== null && method === 'GET') return { operation: 'GetHostedZone', zoneId: m[1] ?? '' };
  if (p === '/hostedzone' && method === 'GET') return { operation: 'ListHostedZones' };
  if (p === '/tags/hostedzone' && method === 'POST') return { operation: 'ListTagsForResources' };
  if (/^\/change\/[^/]+$/.test(p)) return { operation: 'GetChange' };
  return { operation: 'Unknown' };
}

function errorXml(type: string, code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}">${raw('Error', el('Type', type) + el('Code', code) + el('Message', message))}${el('RequestId', 'test')}</ErrorResponse>`;
}

function changeInfo(id: string, status: string): string {
  return raw('ChangeInfo', el('Id', `/change/${id}`) + el('Status', status) + el('SubmittedAt', '2026-11-28T12:00:00.000Z'));
}

function zoneXml(z: Zone): string {
  return raw('HostedZone', el('Id', `/hostedzone/${z.id}`) + el('Name', z.name) + el('CallerReference', z.id)
    + raw('Config', el('PrivateZone', z.private)) + el('ResourceRecordSetCount', z.sets.size));
}

function setXml(s: StoredRecordSet): string {
  const geo = s.geo === undefined ? '' : raw('GeoLocation', Object.entries(s.geo).map(([k, v]) => el(k, v)).join(''));
  const extra = ['Weight', 'Region', 'Failover', 'MultiValueAnswer'].map((k) => el(k, s.extra[k])).join('');
  const body = s.alias === undefined
    ? el('TTL', s.ttl) + raw('ResourceRecords', s.values.map((v) => raw('ResourceRecord', el('Value', v))).join(''))
    : raw('AliasTarget', el('HostedZoneId', s.alias.hostedZoneId) + el('DNSName', s.alias.dnsName) + el('EvaluateTargetHealth', s.alias.evaluateTargetHealth));
  return raw('ResourceRecordSet', el('Name', s.name) + el('Type', s.type) + el('SetIdentifier', s.setIdentifier) + extra + geo + body + el('HealthCheckId', s.extra.HealthCheckId));
}

/** Route53 lists names with their labels reversed (com.example.www), then by type and set identifier. */
function compareSets(a: StoredRecordSet, b: StoredRecordSet): number {
  const ka = reversed(a.name);
  const kb = reversed(b.name);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const ia = a.setIdentifier ?? '';
  const ib = b.setIdentifier ?? '';
  return ia === ib ? 0 : ia < ib ? -1 : 1;
}

function reversed(name: string): string {
  return name.replace(/\.$/, '').split('.').reverse().join('.');
}

function absolute(name: string): string {
  const n = name.toLowerCase().replace(/^\*\./, '\\052.');
  return n.endsWith('.') ? n : `${n}.`;
}

function keyOf(s: Pick<StoredRecordSet, 'name' | 'type' | 'setIdentifier'>): string {
  return `${absolute(s.name)}|${s.type}|${s.setIdentifier ?? ''}`;
}

function describe(s: StoredRecordSet): string {
  return `[name='${s.name}', type='${s.type}'${s.setIdentifier === undefined ? '' : `, set-identifier='${s.setIdentifier}'`}]`;
}

function readSet(n: XmlNode | undefined): StoredRecordSet {
  const alias = child(n, 'AliasTarget');
  const geo = child(n, 'GeoLocation');
  const extra: Record<string, string> = {};
  for (const k of ['Weight', 'Region', 'Failover', 'MultiValueAnswer', 'HealthCheckId']) {
    const v = textOf(n, k);
    if (v !== undefined) extra[k] = v;
  }
  const ttl = textOf(n, 'TTL');
  const setIdentifier = textOf(n, 'SetIdentifier');
  return {
    name: absolute(textOf(n, 'Name') ?? ''),
    type: textOf(n, 'Type') ?? '',
    ...(setIdentifier === undefined ? {} : { setIdentifier }),
    ...(ttl === undefined ? {} : { ttl: Number(ttl) }),
    values: children(child(n, 'ResourceRecords'), 'ResourceRecord').map((r) => textOf(r, 'Value') ?? ''),
    ...(alias === undefined ? {} : { alias: { hostedZoneId: textOf(alias, 'HostedZoneId') ?? '', dnsName: absolute(textOf(alias, 'DNSName') ?? ''), evaluateTargetHealth: textOf(alias, 'EvaluateTargetHealth') === 'true' } }),
    ...(geo === undefined ? {} : { geo: Object.fromEntries(geo.children.map((c) => [c.name, c.text.trim()])) }),
    extra,
  };
}

/** Route53's checks of one record set's values. */
function valueProblem(s: StoredRecordSet): string | undefined {
  if (s.alias === undefined && s.ttl === undefined) return `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=?, Name=${s.name}, Type=${s.type}${s.setIdentifier === undefined ? '' : `, SetIdentifier=${s.setIdentifier}`}]`;
  if (s.alias === undefined && s.values.length === 0) return `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=?, Name=${s.name}, Type=${s.type}]`;
  for (const v of s.values) {
    if (s.type === 'A' && !/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v)) {
      return `Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${v}''`;
    }
    if (s.type === 'AAAA' && !v.includes(':')) return `Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '${v}''`;
    if (s.type === 'CNAME' && s.values.length > 1) return `Invalid Resource Record: 'FATAL problem: RRCountCNAMEMultiple (CNAME record sets may only hold one value)'`;
  }
  return undefined;
}

function change(zone: Zone, req: XmlNode): { count: number; errors: string[] } {
  const list = children(child(child(req, 'ChangeBatch'), 'Changes'), 'Change');
  let values = 0;
  let chars = 0;
  for (const c of list) {
    const s = readSet(child(c, 'ResourceRecordSet'));
    const factor = textOf(c, 'Action') === 'UPSERT' ? 2 : 1;
    const vs = s.alias === undefined ? s.values : [s.alias.dnsName];
    values += vs.length * factor;
    chars += vs.reduce((n, v) => n + Buffer.byteLength(v), 0) * factor;
  }
  if (values > LIMIT_VALUES) return { count: list.length, errors: [`Number of records limit of ${LIMIT_VALUES} exceeded.`] };
  if (chars > LIMIT_CHARS) return { count: list.length, errors: [`Number of characters limit of ${LIMIT_CHARS} exceeded.`] };
  const sets = new Map(zone.sets);
  const errors: string[] = [];
  for (const c of list) {
    const problem = applyOne(zone, sets, textOf(c, 'Action') ?? '', readSet(child(c, 'ResourceRecordSet')));
    if (problem !== undefined) errors.push(problem);
  }
  if (errors.length === 0) zone.sets = sets;
  return { count: list.length, errors };
}

/** One change against the working copy of the zone; Route53's message when it is refused. */
function applyOne(zone: Zone, sets: Map<string, StoredRecordSet>, action: string, s: StoredRecordSet): string | undefined {
  const key = keyOf(s);
  const current = sets.get(key);
  if (s.name !== zone.name && !s.name.endsWith(`.${zone.name}`)) return `RRSet with DNS name ${s.name} is not permitted in zone ${zone.name}`;
  if (action === 'DELETE') {
    if (current === undefined) return `Tried to delete resource record set ${describe(s)} but it was not found`;
    if (!sameContent(current, s)) return `Tried to delete resource record set ${describe(s)} but the values provided do not match the current values`;
    sets.delete(key);
    return undefined;
  }
  const problem = valueProblem(s);
  if (problem !== undefined) return problem;
  if (action === 'CREATE' && current !== undefined) return `Tried to create resource record set ${describe(s)} but it already exists`;
  const conflict = [...sets.values()].some((o) => o.name === s.name && keyOf(o) !== key && (o.type === 'CNAME') !== (s.type === 'CNAME'));
  if (conflict) return `RRSet of type ${s.type} with DNS name ${s.name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`;
  sets.set(key, s);
  return undefined;
}

function sameContent(a: StoredRecordSet, b: StoredRecordSet): boolean {
  if (a.alias !== undefined || b.alias !== undefined) return a.alias?.dnsName === b.alias?.dnsName && a.alias?.hostedZoneId === b.alias?.hostedZoneId;
  return a.ttl === b.ttl && [...a.values].sort().join('\n') === [...b.values].sort().join('\n');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
