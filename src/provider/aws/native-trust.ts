/** Route53's provider-native trust (rank 3 in src/tls): what the AWS CLI honours. */
import { join } from 'node:path';
import type { NativeTrust } from '../../tls/native.ts';
import { FILE_LIMITS, readFileBoundedSync } from '../../util/bounded-read.ts';
import type { AwsTrustEnvironment } from './environment.ts';

/**
 * AWS_CA_BUNDLE, else `ca_bundle` of the profile in the AWS shared config
 * file (AWS_CONFIG_FILE or ~/.aws/config), as the AWS CLI and the Go and
 * Python SDKs read them; the JavaScript SDK reads neither, so extdns does.
 * Every AWS SDK treats the bundle as the whole trust set, so it defaults to
 * replace here too; the report says so. `profile` is --aws-profile's first
 * value, which wins over AWS_PROFILE.
 */
export function awsNativeTrust(env: AwsTrustEnvironment, profile?: string): NativeTrust {
  if (env.awsCaBundle !== undefined) return { providerNative: { source: 'AWS_CA_BUNDLE', files: [env.awsCaBundle], mode: 'replace' } };
  const file = env.awsConfigFile ?? (env.home === undefined ? undefined : join(env.home, '.aws', 'config'));
  if (file === undefined) return {};
  const name = profile !== undefined && profile !== '' ? profile : env.awsProfile ?? 'default';
  const bundle = sharedConfigValue(file, name, 'ca_bundle');
  if (bundle === undefined) return {};
  const path = bundle.startsWith('~/') && env.home !== undefined ? join(env.home, bundle.slice(2)) : bundle;
  return { providerNative: { source: `ca_bundle of profile "${name}" in ${file}`, files: [path], mode: 'replace' } };
}

/** One key of one profile of an AWS shared config file (INI: `[default]`, `[profile NAME]`); undefined when absent or unreadable. */
export function sharedConfigValue(file: string, profile: string, key: string): string | undefined {
  let text: string;
  try {
    text = readFileBoundedSync(file, FILE_LIMITS.config).toString('utf8');
  } catch {
    return undefined; // no shared config file: nothing to honour
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section !== null) {
      inProfile = wanted.includes((section[1] ?? '').replace(/\s+/g, ' '));
      continue;
    }
    const pair = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (inProfile && pair !== null && pair[1] === key && (pair[2] ?? '') !== '') return pair[2];
  }
  return undefined;
}

