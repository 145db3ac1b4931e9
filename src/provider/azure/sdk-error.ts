/**
 * Failures of the Azure SDKs as the provider's errors. The transport's own
 * (TLS, unreachable: ./http-client.ts) pass through; ARM's answers keep ARM's
 * error code and message (its envelope `{"error":{"code","message"}}`).
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { AzureErrors } from './errors.ts';

interface RestLike {
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  cause?: unknown;
}

export function describeAzureFailure(err: unknown, what: string): Error {
  const own = ownError(err);
  if (own !== undefined) return own;
  const e = (typeof err === 'object' && err !== null ? err : {}) as RestLike;
  const text = `${what}: ${e.code === undefined ? '' : `${e.code}: `}${e.message ?? String(err)}`;
  if (e.name === 'AuthenticationError' || e.name === 'CredentialUnavailableError' || e.name === 'AuthenticationRequiredError') {
    return new ExtdnsError(AzureErrors.EXTDNS_AZURE_AUTH, text, { cause: err });
  }
  const status = e.statusCode;
  if (status === 412) return new ExtdnsError(AzureErrors.EXTDNS_AZURE_CONFLICT, `${text} (changed since it was read; not overwritten)`, { cause: err });
  if (status === 429 || (status !== undefined && status >= 500)) {
    return new ExtdnsError(AzureErrors.EXTDNS_AZURE_REQUEST_REJECTED, text, { cause: err, transient: true });
  }
  if (status === 401 || status === 403) {
    return new ExtdnsError(AzureErrors.EXTDNS_AZURE_REQUEST_REJECTED, `${text} (the identity needs the DNS Zone Contributor or Private DNS Zone Contributor role on the resource group)`, { cause: err });
  }
  return new ExtdnsError(AzureErrors.EXTDNS_AZURE_REQUEST_REJECTED, text, { cause: err, kind: 'data' });
}

/** Our transport errors, wherever the SDK wrapped them. */
function ownError(err: unknown): ExtdnsError | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 6; depth++) {
    if (e instanceof ExtdnsError) return e;
    e = (e as RestLike).cause;
  }
  return undefined;
}
