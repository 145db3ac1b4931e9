/** Error codes of the AWS Route53 provider. */
import { defineErrors } from '../../errors/errors.ts';

export const AwsErrors = defineErrors({
  EXTDNS_AWS_CONFIG: {
    transient: false,
    summary: 'The AWS provider is misconfigured (a batch limit below 1, a malformed --aws-zone-tags entry).',
  },
  EXTDNS_AWS_CREDENTIALS: {
    transient: false,
    summary: 'No usable AWS credentials or region: set them through the SDK chain (env, shared config, IRSA, Pod Identity, instance metadata), --aws-profile or --aws-assume-role.',
  },
  EXTDNS_AWS_ASSUME_ROLE: {
    transient: false,
    summary: 'STS refused to assume --aws-assume-role (the role\'s trust policy does not allow the base credentials, the external id is missing or differs from --aws-assume-role-external-id, or the ARN is malformed); an STS 5xx or throttling is retried next run.',
  },
  EXTDNS_AWS_ACCESS_DENIED: {
    transient: false,
    summary: 'Route53 refused the credentials or the IAM policy lacks a route53 action (403, AccessDenied, InvalidClientTokenId, SignatureDoesNotMatch).',
  },
  EXTDNS_AWS_TLS: {
    transient: false,
    summary: 'The TLS connection to Route53 failed (certificate not trusted, e.g. a proxy or private endpoint whose CA is missing: use --tls-ca or AWS_CA_BUNDLE).',
  },
  EXTDNS_AWS_UNREACHABLE: {
    transient: true,
    summary: 'The Route53 endpoint could not be reached (connection refused or reset, DNS failure, timeout); retried next run.',
  },
  EXTDNS_AWS_THROTTLED: {
    transient: true,
    summary: 'Route53 kept answering Throttling or PriorRequestNotComplete after every retry; retried next run.',
  },
  EXTDNS_AWS_SERVER_ERROR: {
    transient: true,
    summary: 'Route53 answered with a 5xx status after every retry; retried next run.',
  },
  EXTDNS_AWS_REQUEST_FAILED: {
    transient: false,
    summary: 'Route53 rejected a request (a 4xx other than throttling); the message carries Route53\'s error code and text.',
  },
  EXTDNS_AWS_CHANGES_REJECTED: {
    transient: false, kind: 'data',
    summary: 'Route53 rejected some record changes (InvalidChangeBatch); the other changes of the zone were applied. The message names each rejected record with Route53\'s reason.',
  },
  EXTDNS_AWS_STALE_PLAN: {
    transient: true,
    summary: 'The zone no longer matches the plan (a record set to create exists, one to delete is gone or holds other values); nothing was written, the zone is re-read next run.',
  },
});
