/**
 * The environment variables the AWS SDK reads for Route53 (endpoints, region,
 * FIPS) and the AWS trust settings extdns honours for it (AWS_CA_BUNDLE, the
 * shared config's ca_bundle). Read from the environment the CLI hands the
 * descriptor, never from process.env.
 */
import { envValue, pickDefined } from '../../config/environment.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** What the AWS SDK will read for Route53, so the trust report can name the endpoint the SDK uses. */
export interface AwsEnvironment {
  /** AWS_REGION, else AWS_DEFAULT_REGION. */
  readonly region?: string;
  /** AWS_ENDPOINT_URL_ROUTE_53: the service-specific endpoint override. */
  readonly endpointRoute53?: string;
  /** AWS_ENDPOINT_URL_STS: where --aws-assume-role's AssumeRole goes. */
  readonly endpointSts?: string;
  /** AWS_ENDPOINT_URL: the endpoint override for every service. */
  readonly endpoint?: string;
  /** AWS_USE_FIPS_ENDPOINT. */
  readonly useFips?: boolean;
}

export function readAwsEnvironment(env: Env): AwsEnvironment {
  const fips = envValue(env, 'AWS_USE_FIPS_ENDPOINT');
  return {
    ...pickDefined('region', envValue(env, 'AWS_REGION') ?? envValue(env, 'AWS_DEFAULT_REGION')),
    ...pickDefined('endpointRoute53', envValue(env, 'AWS_ENDPOINT_URL_ROUTE_53')),
    ...pickDefined('endpointSts', envValue(env, 'AWS_ENDPOINT_URL_STS')),
    ...pickDefined('endpoint', envValue(env, 'AWS_ENDPOINT_URL')),
    ...(fips === undefined ? {} : { useFips: fips.toLowerCase() === 'true' }),
  };
}

/** Where the AWS CLI and SDKs find a CA bundle. */
export interface AwsTrustEnvironment {
  /** AWS_CA_BUNDLE: CA file for the AWS SDK. */
  readonly awsCaBundle?: string;
  /** AWS_CONFIG_FILE, AWS_PROFILE and HOME: where the AWS shared config (and its `ca_bundle`) is read from. */
  readonly awsConfigFile?: string;
  readonly awsProfile?: string;
  readonly home?: string;
}

export function readAwsTrustEnvironment(env: Env): AwsTrustEnvironment {
  return {
    ...pickDefined('awsCaBundle', envValue(env, 'AWS_CA_BUNDLE')),
    ...pickDefined('awsConfigFile', envValue(env, 'AWS_CONFIG_FILE')),
    ...pickDefined('awsProfile', envValue(env, 'AWS_PROFILE')),
    ...pickDefined('home', envValue(env, 'HOME')),
  };
}
