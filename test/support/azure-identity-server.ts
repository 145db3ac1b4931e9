/**
 * Azure managed identity endpoints over plain HTTP on loopback, as the
 * credentials find them: IMDS (`GET /metadata/identity/oauth2/token`,
 * header `Metadata: true`, api-version 2018-02-01; reached through
 * AZURE_POD_IDENTITY_AUTHORITY_HOST instead of 169.254.169.254) and App
 * Service's IDENTITY_ENDPOINT (`GET /msi/token`, api-version 2019-08-01,
 * header `X-IDENTITY-HEADER` = IDENTITY_HEADER). The tokens come from the ARM
 * test server, so that ARM accepts them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IdentityRequest {
  path: string;
  query: Record<string, string>;
  metadata?: string | undefined;
  identityHeader?: string | undefined;
}

export interface IdentityOptions {
  /** Issues a token ARM accepts. */
  issue: () => string;
  /** What App Service's X-IDENTITY-HEADER must carry (IDENTITY_HEADER). */
  identityHeader: string;
}

/** 2100-01-01: tokens that never expire during a test (the suite's clock is not the SDK's). */
const EXPIRES_ON = 4_102_444_800;

export interface AzureIdentityServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: IdentityRequest[];
  close(): Promise<void>;
}

export async function startAzureIdentityServer(options: IdentityOptions): Promise<AzureIdentityServer> {
  const requests: IdentityRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://identity.test');
    // MSAL asks IMDS with a trailing slash, which IMDS accepts.
    const entry: IdentityRequest = { path: url.pathname.replace(/(.)\/$/, '$1'), query: Object.fromEntries(url.searchParams), metadata: header(req, 'metadata'), identityHeader: header(req, 'x-identity-header') };
    requests.push(entry);
    answer(res, entry, options);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

function answer(res: ServerResponse, r: IdentityRequest, options: IdentityOptions): void {
  const [status, body] = tokenAnswer(r, options);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function tokenAnswer(r: IdentityRequest, options: IdentityOptions): [number, object] {
  const resource = r.query['resource'];
  if (r.path === '/metadata/identity/oauth2/token') {
    // Without the Metadata header IMDS answers 400 (the SDK's availability probe relies on it).
    if (r.metadata !== 'true' || resource === undefined) return [400, { error: 'invalid_request', error_description: 'Required metadata header not specified' }];
    return [200, token(options, resource, r.query['client_id'])];
  }
  if (r.path === '/msi/token') {
    if (r.identityHeader !== options.identityHeader || resource === undefined) return [401, { error: 'invalid_request', error_description: 'X-IDENTITY-HEADER is missing or wrong' }];
    return [200, token(options, resource, r.query['client_id'])];
  }
  return [404, { error: 'not_found' }];
}

function token(options: IdentityOptions, resource: string, clientId: string | undefined): object {
  return {
    access_token: options.issue(), expires_in: '3599', expires_on: String(EXPIRES_ON), ext_expires_in: '3599',
    not_before: String(EXPIRES_ON - 3600), resource, token_type: 'Bearer', client_id: clientId ?? 'system-assigned-client',
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
