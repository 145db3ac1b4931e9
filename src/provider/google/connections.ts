/**
 * The connections Google Cloud DNS opens with this configuration, for the
 * trust report, doctor and create: the DNS API, then those of the
 * credential Application Default Credentials will pick (in the auth
 * library's order: GOOGLE_APPLICATION_CREDENTIALS, gcloud's
 * application_default_credentials.json, the metadata server): the OAuth
 * token endpoint (service account key, gcloud user), STS and the
 * impersonation endpoint (workload identity federation), STS's refresh-token
 * endpoint (workforce identity federation users), the source credential's
 * token endpoint and IAM Credentials (impersonated service account), or the metadata
 * server, plain HTTP and never proxied. The metadata server is also asked
 * for the project when --google-project is empty.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGoogleEnvironment, type GoogleEnvironment } from './environment.ts';
import type { Environment } from '../../config/process.ts';
import type { Config } from '../../config/schema.ts';
import type { TlsConnection } from '../descriptor.ts';

export const DEFAULT_DNS_ENDPOINT = 'https://dns.googleapis.com/dns/v1/';
/** Where the auth library sends service account JWT grants (unless the key names a token_uri) and gcloud refresh tokens. */
export const OAUTH_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';
const STS_ENDPOINT = 'https://sts.googleapis.com/v1/token';
const DEFAULT_UNIVERSE = 'googleapis.com';
const METADATA_ADDRESS = '169.254.169.254';
export const METADATA_NEVER_PROXIED = 'the metadata server is link-local plain HTTP: never proxied';

/** The connections in the order a run uses them; the first is Cloud DNS, whose trust every HTTPS one shares. */
export function googleConnections(config: Config, env: Environment): TlsConnection[] {
  const genv = readGoogleEnvironment(env);
  const dns: TlsConnection = { name: 'google', endpoint: genv.dnsEndpoint ?? DEFAULT_DNS_ENDPOINT };
  const credential = credentialConnections(genv);
  const metadata: TlsConnection = { name: 'google-metadata', endpoint: metadataUrl(genv.metadataHost), neverProxied: METADATA_NEVER_PROXIED };
  const needsMetadata = credential === undefined || config.googleProject === '';
  return [dns, ...(credential ?? []), ...(needsMetadata ? [metadata] : [])];
}

/** The token connections of the credential file ADC reads; undefined when it falls back to the metadata server. */
function credentialConnections(genv: GoogleEnvironment): TlsConnection[] | undefined {
  const file = genv.credentialsFile ?? wellKnownFile(genv.gcloudConfigDir);
  if (file === undefined) return undefined;
  const json = readJson(file);
  // An unreadable file fails the run with EXTDNS_GOOGLE_CREDENTIALS; the report shows the DNS API alone.
  if (json === undefined) return [];
  return tokenConnections(json, 0);
}

/** google-auth-library's source credentials may nest (impersonating with impersonated credentials); it has no limit, a report needs one. */
const MAX_NESTING = 4;

/** What each credential type connects to, as google-auth-library's client for that `type` does. */
function tokenConnections(json: Record<string, unknown>, depth: number): TlsConnection[] {
  switch (json['type']) {
    case 'service_account':
      return [{ name: 'google-oauth', endpoint: stringOr(json['token_uri'], OAUTH_TOKEN_ENDPOINT) }];
    case 'authorized_user':
      return [{ name: 'google-oauth', endpoint: OAUTH_TOKEN_ENDPOINT }];
    case 'external_account': {
      const impersonation = json['service_account_impersonation_url'];
      return [
        { name: 'google-sts', endpoint: stringOr(json['token_url'], STS_ENDPOINT) },
        ...(typeof impersonation === 'string' && impersonation !== '' ? [{ name: 'google-impersonation', endpoint: impersonation }] : []),
      ];
    }
    case 'external_account_authorized_user':
      // Workforce identity federation (`gcloud auth application-default login` as a workforce pool user): a refresh-token grant to STS.
      return [{ name: 'google-sts', endpoint: stringOr(json['token_url'], `https://sts.${universeOf(json)}/v1/oauthtoken`) }];
    case 'impersonated_service_account':
      return impersonatedConnections(json, depth);
    default:
      return [];
  }
}

/**
 * `gcloud auth application-default login --impersonate-service-account`: the
 * source credential's own token connection, then IAM Credentials'
 * generateAccessToken for the service account named at the end of
 * service_account_impersonation_url. The library takes only that name from
 * the URL: it posts to `https://iamcredentials.<universe>` (or the file's
 * `endpoint`), the universe being the file's or else the source's.
 */
function impersonatedConnections(json: Record<string, unknown>, depth: number): TlsConnection[] {
  const source = json['source_credentials'];
  const sourceJson = typeof source === 'object' && source !== null && !Array.isArray(source) ? source as Record<string, unknown> : undefined;
  const own = depth < MAX_NESTING && sourceJson !== undefined ? tokenConnections(sourceJson, depth + 1) : [];
  const url = json['service_account_impersonation_url'];
  const target = typeof url === 'string' ? /(?<target>[^/]+):(generateAccessToken|generateIdToken)$/.exec(url)?.groups?.['target'] : undefined;
  // Without a target the library refuses the file: the run fails with EXTDNS_GOOGLE_CREDENTIALS.
  if (target === undefined) return own;
  const universe = universeOf(json, sourceJson);
  const base = stringOr(json['endpoint'], `https://iamcredentials.${universe}`);
  return [...own, { name: 'google-impersonation', endpoint: `${base}/v1/projects/-/serviceAccounts/${target}:generateAccessToken` }];
}

/** The file's universe_domain, else its source credential's, else googleapis.com (the library's default). */
function universeOf(json: Record<string, unknown>, source?: Record<string, unknown>): string {
  return stringOr(json['universe_domain'], stringOr(source?.['universe_domain'], DEFAULT_UNIVERSE));
}

/** gcloud's file, only when it exists (the library skips it otherwise). */
function wellKnownFile(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const file = join(dir, 'application_default_credentials.json');
  try {
    readFileSync(file);
    return file;
  } catch {
    return undefined;
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** gcp-metadata's base: GCE_METADATA_HOST (host[:port], or a URL), else the link-local address; http:// when no scheme. */
function metadataUrl(host: string | undefined): string {
  const base = host ?? METADATA_ADDRESS;
  return /^https?:\/\//.test(base) ? base : `http://${base}`;
}
