/**
 * --aws-assume-role: the SDK's temporary-credentials provider (STS
 * AssumeRole, reached through AWS_ENDPOINT_URL_STS or the region's STS
 * endpoint), over the same request handler, hence the same trust store, as
 * Route53. Its failures become extdns errors that name the role and the fix:
 * left to the SDK they would surface as a Route53 call "refused", pointing at
 * the route53 IAM policy instead of the role's trust policy.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { ExtdnsError } from '../../errors/errors.ts';
import { errorCodeOf } from '../../tls/classify.ts';
import { AwsErrors } from './errors.ts';
import { asSdk, isTlsError, NETWORK_CODES } from './sdk-error.ts';
import { redactor } from '../kit/redact.ts';

type CredentialProvider = ReturnType<typeof fromTemporaryCredentials>;

export interface AssumeRoleOptions {
  roleArn: string;
  /** --aws-assume-role-external-id; '' or undefined sends none. */
  externalId?: string | undefined;
  /** The credentials that call AssumeRole (the SDK's default chain, or a profile's). */
  baseCredentials: CredentialProvider;
  /** Route53's request handler: its https.Agent comes from src/tls. */
  requestHandler: NodeHttpHandler;
}

/** The session name ExternalDNS uses, so CloudTrail reads the same for both. */
export const ROLE_SESSION_NAME = 'external-dns';

export function assumeRoleCredentials(options: AssumeRoleOptions): CredentialProvider {
  const hasExternalId = options.externalId !== undefined && options.externalId !== '';
  const assumed = fromTemporaryCredentials({
    masterCredentials: options.baseCredentials,
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      ...(hasExternalId ? { ExternalId: options.externalId } : {}),
    },
    clientConfig: { requestHandler: options.requestHandler },
  });
  return async (properties) => {
    try {
      return await assumed(properties);
    } catch (err) {
      throw assumeRoleError(err, options.roleArn, hasExternalId, redactor(options.externalId ?? ''));
    }
  };
}

const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'IDPCommunicationError', 'RegionDisabledException', ...NETWORK_CODES,
]);

/** The extdns error for a failed AssumeRole (exported for tests of the wording); `redact` keeps the external id out of STS's text. */
export function assumeRoleError(err: unknown, roleArn: string, sentExternalId: boolean, redact: (text: string) => string = (t) => t): ExtdnsError {
  if (ExtdnsError.is(err)) return err;
  const e = asSdk(err);
  const name = e.name ?? 'Error';
  const code = e.code ?? '';
  const message = redact(e.message ?? String(err));
  const status = e.$metadata?.httpStatusCode ?? 0;
  const what = `STS AssumeRole of --aws-assume-role=${roleArn}`;
  if (isTlsError(err)) {
    return new ExtdnsError(AwsErrors.EXTDNS_AWS_TLS, `${what} failed: TLS ${errorCodeOf(err) || 'error'}: ${message}. The CA that issued the STS endpoint's certificate is not trusted: give it with --tls-ca (or AWS_CA_BUNDLE), the same trust Route53 uses`, { cause: err });
  }
  if (isTransient(name, code, status)) {
    return new ExtdnsError(AwsErrors.EXTDNS_AWS_ASSUME_ROLE, `${what} failed (${name}${status > 0 ? ` ${status}` : ''}: ${message}); retried next run`, { cause: err, transient: true });
  }
  if (status === 0 && name === 'CredentialsProviderError') {
    return new ExtdnsError(AwsErrors.EXTDNS_AWS_CREDENTIALS, `${what}: no base credentials to call it with (${message}). Set them through the SDK chain (AWS_ACCESS_KEY_ID, AWS_PROFILE / --aws-profile, IRSA, Pod Identity, instance metadata)`, { cause: err });
  }
  return new ExtdnsError(AwsErrors.EXTDNS_AWS_ASSUME_ROLE, `${what} was refused (${name}: ${message}); ${refusalHint(name, sentExternalId)}`, { cause: err });
}

function isTransient(name: string, code: string, status: number): boolean {
  return status >= 500 || status === 429 || TRANSIENT_NAMES.has(name) || TRANSIENT_NAMES.has(code);
}

function refusalHint(name: string, sentExternalId: boolean): string {
  if (name === 'ValidationError' || name === 'MalformedPolicyDocument') return 'check the role ARN (arn:<partition>:iam::<account>:role/<name>)';
  const trust = "the role's trust policy must allow the base credentials to call sts:AssumeRole";
  return sentExternalId
    ? `${trust} and its sts:ExternalId condition must equal --aws-assume-role-external-id`
    : `${trust}; if it requires an external id (sts:ExternalId), give it with --aws-assume-role-external-id`;
}
