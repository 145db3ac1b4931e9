/**
 * Builds the Route53 client on the official SDK: credentials and region
 * through the SDK's default chain (env, shared files, web identity / IRSA,
 * EKS Pod Identity, instance metadata), --aws-profile, --aws-assume-role;
 * endpoints through the SDK's own settings (AWS_ENDPOINT_URL_ROUTE_53,
 * AWS_ENDPOINT_URL, FIPS / dual-stack). TLS comes from the trust module's
 * https.Agent, because the JS SDK ignores AWS_CA_BUNDLE (extdns honours it in
 * src/tls instead).
 */
import { Route53Client, type Route53ClientConfig } from '@aws-sdk/client-route-53';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Agent } from 'node:https';
import type { AwsEnvironment } from '../../config/environment.ts';

export interface Route53ClientOptions {
  /** --aws-profile (first one; several accounts are not supported yet). */
  profile?: string | undefined;
  /** --aws-assume-role and --aws-assume-role-external-id. */
  assumeRole?: string | undefined;
  assumeRoleExternalId?: string | undefined;
  /** The https.Agent of the `aws` trust store. */
  httpsAgent: Agent;
  /** Extra client settings (tests: endpoint, region, static credentials). */
  overrides?: Partial<Route53ClientConfig>;
}

export function createRoute53Client(options: Route53ClientOptions): Route53Client {
  const requestHandler = new NodeHttpHandler({ httpsAgent: options.httpsAgent });
  const profile = options.profile === undefined || options.profile === '' ? {} : { profile: options.profile };
  const base = fromNodeProviderChain({ ...profile });
  const credentials = options.assumeRole === undefined || options.assumeRole === ''
    ? base
    : fromTemporaryCredentials({
      masterCredentials: base,
      params: {
        RoleArn: options.assumeRole,
        RoleSessionName: 'external-dns',
        ...(options.assumeRoleExternalId === undefined || options.assumeRoleExternalId === '' ? {} : { ExternalId: options.assumeRoleExternalId }),
      },
      clientConfig: { requestHandler },
    });
  return new Route53Client({
    requestHandler,
    credentials,
    // Retries are extdns's own (./client.ts): counted, on the injected clock.
    maxAttempts: 1,
    ...profile,
    ...(options.overrides ?? {}),
  });
}

/** The Route53 endpoint the SDK will use, for the trust report and `extdns doctor`. */
export function route53Endpoint(env: AwsEnvironment): string {
  if (env.endpointRoute53 !== undefined) return env.endpointRoute53;
  if (env.endpoint !== undefined) return env.endpoint;
  const region = env.region ?? 'us-east-1';
  if (region.startsWith('us-gov-')) return 'https://route53.us-gov.amazonaws.com';
  if (region.startsWith('cn-')) return 'https://route53.amazonaws.com.cn';
  return env.useFips === true ? 'https://route53-fips.amazonaws.com' : 'https://route53.amazonaws.com';
}
