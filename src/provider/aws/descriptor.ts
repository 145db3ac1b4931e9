/** `--provider=aws`: Amazon Route53 through the AWS SDK. */
import { readAwsEnvironment, readAwsTrustEnvironment } from './environment.ts';
import { awsNativeTrust } from './native-trust.ts';
import type { Environment } from '../../config/process.ts';
import type { Config } from '../../config/schema.ts';
import type { ProviderDescriptor, TlsConnection } from '../descriptor.ts';
import { route53Endpoint, stsEndpoint } from './endpoint.ts';
import { AwsErrors } from './errors.ts';
import { AWS_FLAGS } from './flags.ts';

export const aws: ProviderDescriptor = {
  name: 'aws',
  description: 'Amazon Route53 through the AWS SDK (credentials and region from the SDK chain, --aws-* flags)',
  usesTls: true,
  flags: AWS_FLAGS,
  errors: AwsErrors,
  headerSecrets: ['aws-assume-role-external-id'],
  tlsConnections: awsConnections,
  create: async (config, deps) => {
    const [connection] = awsConnections(config, deps.env);
    if (connection === undefined) throw new Error('unreachable: aws always has one connection');
    // The AWS SDK is tens of MiB of modules: loaded only when the aws provider is used.
    const { createAwsProvider, createRoute53Client } = await import('./index.ts');
    const store = deps.trust(connection);
    const httpsAgent = store.httpsAgent();
    const profiles = config.awsProfile.length > 0 ? config.awsProfile : [''];
    const clients = profiles.map((profile) => ({ profile, client: createRoute53Client({
      profile, assumeRole: config.awsAssumeRole, assumeRoleExternalId: config.awsAssumeRoleExternalId, httpsAgent,
    }) }));
    return createAwsProvider({
      domainFilter: deps.domainFilter,
      zoneIdFilter: config.zoneIdFilter,
      zoneType: config.awsZoneType,
      zoneTags: config.awsZoneTags,
      zoneMatchParent: config.awsZoneMatchParent,
      batchChangeSize: config.awsBatchChangeSize,
      batchChangeSizeBytes: config.awsBatchChangeSizeBytes,
      batchChangeSizeValues: config.awsBatchChangeSizeValues,
      batchChangeIntervalMs: config.awsBatchChangeInterval,
      evaluateTargetHealth: config.awsEvaluateTargetHealth,
      preferCname: config.awsPreferCname,
      zonesCacheDurationMs: config.awsZonesCacheDuration,
      apiRetries: config.awsApiRetries,
    }, { logger: deps.logger, clock: deps.clock, clients, onTlsFailure: () => store.reload('tls-failure') });
  },
};

/**
 * Route53, and STS when --aws-assume-role is set (same trust: the SDK sends AssumeRole through the
 * Route53 agent; listed so that `extdns trust` and `extdns doctor` check that endpoint too). The
 * endpoints come from the environment because that is what the SDK reads; AWS_CA_BUNDLE is honoured
 * below --tls-ca.
 */
function awsConnections(config: Config, env: Environment): TlsConnection[] {
  const awsEnv = readAwsEnvironment(env);
  const native = awsNativeTrust(readAwsTrustEnvironment(env), config.awsProfile[0]);
  const route53: TlsConnection = { name: 'aws', endpoint: route53Endpoint(awsEnv), native };
  return config.awsAssumeRole === '' ? [route53] : [route53, { name: 'aws-sts', endpoint: stsEndpoint(awsEnv), native }];
}
