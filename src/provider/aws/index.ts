/** The AWS Route53 provider: `--provider=aws`. */
export { createAwsProvider, type AwsProvider, type AwsProviderDeps, type AwsProviderOptions, type ProfiledClient } from './provider.ts';
export { createRoute53Client, type Route53ClientOptions } from './sdk.ts';
export { route53Endpoint } from './endpoint.ts';
export type { Route53Stats } from './client.ts';
export { AwsErrors } from './errors.ts';
