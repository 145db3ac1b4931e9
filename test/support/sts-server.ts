/**
 * An AWS STS test server: the Query API's AssumeRole (POST, form-encoded,
 * Version 2011-06-15) as documented, over HTTPS with a test CA. It checks the
 * SigV4 signature of every request against the secret of the base
 * credentials it was given (so a request signed with anything else is
 * refused like STS does), checks the role's trust conditions (the caller's
 * access key, the external id), and issues temporary credentials whose
 * secrets it remembers, so the Route53 test server can check that a request
 * was signed by them (see `verifySigV4`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { el, raw } from './route53-xml.ts';
import { startHttpsServer } from './tls-servers.ts';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface StsRole {
  /** e.g. arn:aws:iam::123456789012:role/extdns (arn:aws-us-gov:... in GovCloud). */
  arn: string;
  /** When set, AssumeRole must carry exactly this ExternalId (the role's sts:ExternalId condition). */
  externalId?: string;
  /** Access key ids allowed to assume the role (the trust policy's principals); any known key when absent. */
  principals?: string[];
}

export interface StsServerOptions {
  /** Server certificate chain (PEM, leaf first) and key. */
  chain: string;
  key: string;
  /** Base credentials the server knows: access key id → secret access key. */
  keys: Record<string, string>;
  roles: StsRole[];
  /** Expiration written into issued credentials (ISO 8601); default one far in the future, so the SDK never refreshes mid-test. */
  expiration?: string;
}

export interface StsRequestLog {
  action: string;
  status: number;
  /** The SigV4 credential scope of the request: access key id, region, service. */
  accessKeyId: string;
  region: string;
  service: string;
  /** The form parameters as received (RoleArn, RoleSessionName, ExternalId, ...). */
  params: Record<string, string>;
  /** The error code answered, if any. */
  error?: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
  sessionName: string;
}

export interface StsServer {
  readonly url: string;
  readonly requests: StsRequestLog[];
  /** Every credential set issued so far, in order. */
  readonly issued: IssuedCredentials[];
  /** The secret of a known key: a base key's, or an issued one's (with its session token). */
  secretOf(accessKeyId: string): { secret: string; sessionToken?: string } | undefined;
  stop(): Promise<void>;
}

export async function startStsServer(options: StsServerOptions): Promise<StsServer> {
  const requests: StsRequestLog[] = [];
  const issued: IssuedCredentials[] = [];
  let serial = 0;

  const secretOf = (accessKeyId: string): { secret: string; sessionToken?: string } | undefined => {
    const base = options.keys[accessKeyId];
    if (base !== undefined) return { secret: base };
    const temp = issued.find((c) => c.accessKeyId === accessKeyId);
    return temp === undefined ? undefined : { secret: temp.secretAccessKey, sessionToken: temp.sessionToken };
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const params = Object.fromEntries(new URLSearchParams(body));
    const sig = verifySigV4(req, body, (id) => secretOf(id)?.secret);
    const log: StsRequestLog = { action: params.Action ?? '', status: 200, accessKeyId: sig.accessKeyId, region: sig.region, service: sig.service, params };
    requests.push(log);
    const reply = (status: number, xml: string): void => {
      log.status = status;
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': `sts-req-${requests.length}` });
      res.end(`<?xml version="1.0"?>\n${xml}`);
    };
    const fail = (status: number, code: string, message: string): void => {
      log.error = code;
      reply(status, errorXml(status >= 500 ? 'Receiver' : 'Sender', code, message, requests.length));
    };
    if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      fail(400, 'InvalidAction', 'STS Query API requests are POSTed form-encoded');
      return;
    }
    if (sig.problem !== undefined) {
      fail(403, sig.problem.code, sig.problem.message);
      return;
    }
    if (sig.service !== 'sts') {
      fail(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: 'sts'.`);
      return;
    }
    if (params.Action !== 'AssumeRole' || params.Version !== '2011-06-15') {
      fail(400, 'InvalidAction', `Could not find operation ${params.Action ?? ''} for version ${params.Version ?? ''}`);
      return;
    }
    const refusal = assumeRoleProblem(options.roles, params, sig.accessKeyId);
    if (refusal !== undefined) {
      fail(refusal.status, refusal.code, refusal.message);
      return;
    }
    serial++;
    const roleArn = params.RoleArn ?? '';
    const sessionName = params.RoleSessionName ?? '';
    const creds: IssuedCredentials = {
      accessKeyId: `ASIATESTSTS${String(serial).padStart(9, '0')}`,
      secretAccessKey: createHash('sha256').update(`secret-${serial}-${roleArn}`).digest('base64'),
      sessionToken: `FwoGZXIvYXdzEXAMPLETOKEN${serial}/${createHash('sha256').update(`token-${serial}`).digest('base64')}`,
      roleArn,
      sessionName,
    };
    issued.push(creds);
    reply(200, assumeRoleXml(creds, options.expiration ?? '2099-01-01T00:00:00Z', requests.length));
  };

  const server = await startHttpsServer({ chain: options.chain, key: options.key, handler });

  return {
    url: server.url,
    requests,
    issued,
    secretOf,
    stop: () => server.close(),
  };
}

/** The role's trust conditions, as STS answers them: 400 for malformed input, 403 AccessDenied otherwise. */
function assumeRoleProblem(roles: readonly StsRole[], params: Record<string, string>, caller: string): { status: number; code: string; message: string } | undefined {
  const arn = params.RoleArn ?? '';
  const session = params.RoleSessionName ?? '';
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) {
    return { status: 400, code: 'ValidationError', message: `${arn} is invalid` };
  }
  if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
    return { status: 400, code: 'ValidationError', message: `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint` };
  }
  const role = roles.find((r) => r.arn === arn);
  const denied = role === undefined
    || (role.principals !== undefined && !role.principals.includes(caller))
    || (role.externalId !== undefined && params.ExternalId !== role.externalId);
  if (denied) {
    const account = /::(\d{12}):/.exec(arn)?.[1] ?? '000000000000';
    return { status: 403, code: 'AccessDenied', message: `User: arn:aws:iam::${account}:user/${caller} is not authorized to perform: sts:AssumeRole on resource: ${arn}` };
  }
  return undefined;
}

function assumeRoleXml(c: IssuedCredentials, expiration: string, requestNo: number): string {
  const roleId = `AROATESTROLE${createHash('sha256').update(c.roleArn).digest('hex').slice(0, 9).toUpperCase()}`;
  const assumedArn = c.roleArn.replace(/:iam::(\d{12}):role\/(.*)$/, ':sts::$1:assumed-role/$2').concat(`/${c.sessionName}`);
  const credentials = el('AccessKeyId', c.accessKeyId) + el('SecretAccessKey', c.secretAccessKey) + el('SessionToken', c.sessionToken) + el('Expiration', expiration);
  const user = el('Arn', assumedArn) + el('AssumedRoleId', `${roleId}:${c.sessionName}`);
  return `<AssumeRoleResponse xmlns="${NS}">${raw('AssumeRoleResult', raw('Credentials', credentials) + raw('AssumedRoleUser', user))}`
    + `${raw('ResponseMetadata', el('RequestId', `sts-req-${requestNo}`))}</AssumeRoleResponse>`;
}

function errorXml(type: string, code: string, message: string, requestNo: number): string {
  return `<ErrorResponse xmlns="${NS}">${raw('Error', el('Type', type) + el('Code', code) + el('Message', message))}${el('RequestId', `sts-req-${requestNo}`)}</ErrorResponse>`;
}

export interface SigV4Check {
  accessKeyId: string;
  region: string;
  service: string;
  /** X-Amz-Security-Token of the request, when there is one. */
  securityToken?: string;
  /** Why the request is refused, as AWS answers (undefined: the signature verifies). */
  problem?: { code: string; message: string };
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([\w-]+)\/([\w-]+)\/aws4_request, ?SignedHeaders=([\w;-]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Verifies a request's SigV4 Authorization header against the secret of its
 * access key: the canonical request (method, path, sorted query, signed
 * headers, payload hash), the string to sign, and the HMAC chain, as AWS
 * documents them.
 */
export function verifySigV4(req: IncomingMessage, body: string, secretOf: (accessKeyId: string) => string | undefined): SigV4Check {
  const m = AUTH.exec(req.headers.authorization ?? '');
  if (m === null) return { accessKeyId: '', region: '', service: '', problem: { code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' } };
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = m;
  const token = header(req, 'x-amz-security-token');
  const out: SigV4Check = { accessKeyId, region, service, ...(token === '' ? {} : { securityToken: token }) };
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { ...out, problem: { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' } };
  const canonical = canonicalRequest(req, body, signedHeaders);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', header(req, 'x-amz-date'), scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = Buffer.from(`AWS4${secret}`);
  for (const part of [date, region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return { ...out, problem: { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' } };
  }
  if (!signedHeaders.split(';').includes('host')) return { ...out, problem: { code: 'SignatureDoesNotMatch', message: "'Host' must be a signed header." } };
  return out;
}

/** The canonical request: method, path, sorted query, signed headers and their values, payload hash. */
function canonicalRequest(req: IncomingMessage, body: string, signedHeaders: string): string {
  const url = new URL(req.url ?? '/', 'https://sigv4.test');
  const query = (url.search.startsWith('?') ? url.search.slice(1) : '').split('&').filter((p) => p !== '')
    .map((p) => (p.includes('=') ? p : `${p}=`)).sort().join('&');
  const canonicalHeaders = signedHeaders.split(';').map((n) => `${n}:${header(req, n).trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = header(req, 'x-amz-content-sha256') || createHash('sha256').update(body).digest('hex');
  return [req.method ?? 'GET', url.pathname, query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v ?? '';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
