/**
 * The connections Google Cloud DNS opens with this configuration, for the
 * trust report, doctor and create: the DNS API, then those of the
 * credential Application Default Credentials will pick (in the auth
 * library's order: GOOGLE_APPLICATION_CREDENTIALS, gcloud's
 * application_default_credentials.json, the metadata server): the OAuth
 * token endpoint (service account key, gcloud user), STS and the
 * impersonation endpoint (workload identity federation), or the metadata
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
    default:
      return [];
  }
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
