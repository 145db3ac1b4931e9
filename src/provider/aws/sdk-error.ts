/** What extdns reads from an AWS SDK error, shared by the Route53 client and the STS AssumeRole step. */
import { isTlsFailure } from '../../tls/classify.ts';

export interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

export function asSdk(err: unknown): SdkError {
  return typeof err === 'object' && err !== null ? err : {};
}

/** Connection failures (no answer at all): worth retrying. */
export const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout']);

/** A TLS failure: no HTTP answer came back, and the connection error is one (src/tls/classify.ts). */
export function isTlsError(err: unknown): boolean {
  return asSdk(err).$metadata?.httpStatusCode === undefined && isTlsFailure(err);
}
