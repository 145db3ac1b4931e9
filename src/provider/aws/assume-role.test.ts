import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtdnsError } from '../../errors/errors.ts';
import { assumeRoleError } from './assume-role.ts';
import { redactor } from '../kit/redact.ts';

const ROLE = 'arn:aws:iam::123456789012:role/extdns';

function sdkError(name: string, status: number | undefined, message = 'boom', code?: string): Error {
  return Object.assign(new Error(message), { name, ...(code === undefined ? {} : { code }), ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }) });
}

test('a refused AssumeRole is a fatal EXTDNS_AWS_ASSUME_ROLE naming the role and the external id flag', () => {
  const e = assumeRoleError(sdkError('AccessDenied', 403, 'not authorized'), ROLE, false);
  assert.equal(e.code, 'EXTDNS_AWS_ASSUME_ROLE');
  assert.equal(e.transient, false);
  assert.ok(e.message.includes(ROLE));
  assert.match(e.message, /AccessDenied: not authorized/);
  assert.match(e.message, /give it with --aws-assume-role-external-id/);
  assert.match(assumeRoleError(sdkError('AccessDenied', 403), ROLE, true).message, /must equal --aws-assume-role-external-id/);
});

test('a malformed role ARN points at the ARN, not the trust policy', () => {
  const e = assumeRoleError(sdkError('ValidationError', 400, 'arn:nope is invalid'), 'arn:nope', false);
  assert.equal(e.code, 'EXTDNS_AWS_ASSUME_ROLE');
  assert.match(e.message, /check the role ARN/);
  assert.doesNotMatch(e.message, /trust policy/);
});

test('STS 5xx, throttling and network failures are transient', () => {
  for (const err of [sdkError('InternalFailure', 500), sdkError('Throttling', 400), sdkError('Error', undefined, 'connect ECONNREFUSED', 'ECONNREFUSED')]) {
    const e = assumeRoleError(err, ROLE, false);
    assert.equal(e.code, 'EXTDNS_AWS_ASSUME_ROLE', err.name);
    assert.equal(e.transient, true, err.name);
  }
});

test('an untrusted STS certificate is EXTDNS_AWS_TLS with the trust fix', () => {
  const e = assumeRoleError(sdkError('Error', undefined, 'unable to get local issuer certificate', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), ROLE, false);
  assert.equal(e.code, 'EXTDNS_AWS_TLS');
  assert.match(e.message, /STS AssumeRole/);
  assert.match(e.message, /--tls-ca \(or AWS_CA_BUNDLE\)/);
});

test('missing base credentials are EXTDNS_AWS_CREDENTIALS; extdns errors pass through unchanged', () => {
  const e = assumeRoleError(sdkError('CredentialsProviderError', undefined, 'Could not load credentials from any providers'), ROLE, false);
  assert.equal(e.code, 'EXTDNS_AWS_CREDENTIALS');
  assert.match(e.message, /no base credentials/);
  const already = new ExtdnsError({ code: 'EXTDNS_X_TEST', transient: true, summary: '' }, 'x');
  assert.equal(assumeRoleError(already, ROLE, false), already);
});

test('assumeRoleError: an external id STS echoes back is redacted', () => {
  const e = assumeRoleError(sdkError('AccessDenied', 403, 'condition sts:ExternalId s3cr3t-id did not match'), ROLE, true, redactor('s3cr3t-id'));
  assert.doesNotMatch(e.message, /s3cr3t-id/);
  assert.match(e.message, /sts:ExternalId \*\*\* did not match/);
});
