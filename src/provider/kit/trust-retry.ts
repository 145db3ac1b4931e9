/**
 * The one retry after a certificate rotation, for every provider (HTTP
 * through ./http.ts, Route53 through the AWS SDK): when a call fails on TLS
 * and the trust files changed meanwhile (the store re-reads them and says
 * so), the call runs once more with the new trust; otherwise its failure
 * stands.
 */
import type { LogFields, Logger } from '../../log/logger.ts';

export interface TrustRetry<T> {
  /** Whether the failure is TLS (src/tls/classify.ts, or the SDK's view of it). */
  tlsFailed(err: unknown): boolean;
  /** An answer that is a TLS refusal by a front (nginx answers a refused client certificate with a 400 page). */
  refusal?: ((value: T) => boolean) | undefined;
  /** Re-reads the trust files; true when they changed. */
  onTlsFailure?: (() => boolean) | undefined;
  logger?: Logger | undefined;
  /** Names the call in the log line. */
  fields: LogFields;
}

export async function withTrustRetry<T>(run: () => Promise<T>, o: TrustRetry<T>): Promise<T> {
  try {
    const value = await run();
    if (o.refusal?.(value) !== true || o.onTlsFailure?.() !== true) return value;
  } catch (err) {
    if (!o.tlsFailed(err) || o.onTlsFailure?.() !== true) throw err;
  }
  o.logger?.info('TLS failed and the trust files had changed: retrying once with the new trust', o.fields);
  return run();
}
