/**
 * Which Route53 endpoint the SDK will use, worked out without loading the SDK
 * (the trust report and `extdns doctor` need it for every run with --provider=aws).
 */
import type { AwsEnvironment } from './environment.ts';

/** The Route53 endpoint the SDK will use, for the trust report and `extdns doctor`. */
export function route53Endpoint(env: AwsEnvironment): string {
  if (env.endpointRoute53 !== undefined) return env.endpointRoute53;
  if (env.endpoint !== undefined) return env.endpoint;
  const region = env.region ?? 'us-east-1';
  if (region.startsWith('us-gov-')) return 'https://route53.us-gov.amazonaws.com';
  if (region.startsWith('cn-')) return 'https://route53.amazonaws.com.cn';
  return env.useFips === true ? 'https://route53-fips.amazonaws.com' : 'https://route53.amazonaws.com';
}

/** The STS endpoint the SDK uses for --aws-assume-role (regional, as SDK v3 does). */
export function stsEndpoint(env: AwsEnvironment): string {
  if (env.endpointSts !== undefined) return env.endpointSts;
  if (env.endpoint !== undefined) return env.endpoint;
  const region = env.region ?? 'us-east-1';
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sts${env.useFips === true ? '-fips' : ''}.${region}.${suffix}`;
}
