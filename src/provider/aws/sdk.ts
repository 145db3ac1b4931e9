/**
 * Builds the Route53 client on the official SDK: credentials and region
 * through the SDK's default chain (env, shared files, web identity / IRSA,
 * EKS Pod Identity, instance metadata), --aws-profile, --aws-assume-role;
 * endpoints through the SDK's own settings (AWS_ENDPOINT_URL_ROUTE_53,
 * AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, FIPS / dual-stack). TLS comes from
 * the trust module's https.Agent, for Route53 and for STS AssumeRole alike,
 * because the JS SDK ignores AWS_CA_BUNDLE (extdns honours it in src/tls
 * instead).
 */
import { Route53Client, type Route53ClientConfig } from '@aws-sdk/client-route-53';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Agent } from 'node:https';
import { assumeRoleCredentials } from './assume-role.ts';

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
    : assumeRoleCredentials({ roleArn: options.assumeRole, externalId: options.assumeRoleExternalId, baseCredentials: base, requestHandler });
  return new Route53Client({
    requestHandler,
    credentials,
    // Retries are extdns's own (./client.ts): counted, on the injected clock.
    maxAttempts: 1,
    ...profile,
    ...(options.overrides ?? {}),
  });
}

