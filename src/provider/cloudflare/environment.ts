/**
 * The environment variables the Cloudflare provider reads, as ExternalDNS and
 * the SDK do. Read from the environment the CLI hands the descriptor, never
 * from process.env.
 */
import { envValue, pickDefined } from '../../config/environment.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** What the Cloudflare provider reads: ExternalDNS's credential variables and the SDK's base URL. Secrets: never log. */
export interface CloudflareEnvironment {
  /** CF_API_TOKEN (a `file:<path>` value names a file holding it). */
  readonly apiToken?: string;
  /** CF_API_KEY and CF_API_EMAIL: the global API key, used when no token is set. */
  readonly apiKey?: string;
  readonly apiEmail?: string;
  /** CLOUDFLARE_BASE_URL: the API base URL (private API gateways, tests). */
  readonly baseUrl?: string;
}

export function readCloudflareEnvironment(env: Env): CloudflareEnvironment {
  return {
    ...pickDefined('apiToken', envValue(env, 'CF_API_TOKEN')),
    ...pickDefined('apiKey', envValue(env, 'CF_API_KEY')),
    ...pickDefined('apiEmail', envValue(env, 'CF_API_EMAIL')),
    ...pickDefined('baseUrl', envValue(env, 'CLOUDFLARE_BASE_URL')),
  };
}
