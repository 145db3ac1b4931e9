/**
 * Cloudflare credentials as ExternalDNS v0.22 reads them: CF_API_TOKEN (a
 * `file:<path>` value is read from that file; surrounding whitespace trimmed),
 * else CF_API_KEY with CF_API_EMAIL. The values are secrets: never logged.
 */
import { readFile } from 'node:fs/promises';
import type { CloudflareEnvironment } from './environment.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { CloudflareErrors } from './errors.ts';

export type CloudflareCredentials =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'key'; readonly key: string; readonly email: string };

export async function resolveCredentials(env: CloudflareEnvironment): Promise<CloudflareCredentials> {
  if (env.apiToken !== undefined) return { kind: 'token', token: await resolveToken(env.apiToken) };
  if (env.apiKey === undefined || env.apiEmail === undefined) {
    throw new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_CONFIG,
      'Cloudflare credentials are not configured: set either CF_API_TOKEN or both CF_API_KEY and CF_API_EMAIL');
  }
  return { kind: 'key', key: env.apiKey, email: env.apiEmail };
}

async function resolveToken(value: string): Promise<string> {
  if (!value.startsWith('file:')) return value.trim();
  const path = value.slice('file:'.length);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (err) {
    throw new ExtdnsError(CloudflareErrors.EXTDNS_CLOUDFLARE_CONFIG, `failed to read CF_API_TOKEN from file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Every secret a credential holds, for redaction. */
export function credentialSecrets(c: CloudflareCredentials): string[] {
  return c.kind === 'token' ? [c.token] : [c.key];
}
