/**
 * Is this connection error a TLS failure? Providers ask so that they can say
 * "TLS" (and point at --tls-ca and `extdns doctor`) instead of "unreachable",
 * and re-read their trust files once before giving up. Node reports
 * verification failures as error codes, OpenSSL alerts as ERR_SSL_* codes or
 * alert texts; undici and the AWS SDK wrap them in `cause`.
 */

/** Node's certificate verification codes (listed), and the families of OpenSSL and Node TLS codes. */
const VERIFY_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA',
]);
const TLS_CODE_FAMILIES = /^(UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_TLS_|ERR_SSL_)/;

/** The first error code along the `cause` chain ("" when none). */
export function errorCodeOf(err: unknown): string {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return '';
}

function messagesOf(err: unknown): string {
  const out: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur !== undefined && cur !== null; depth++) {
    if (cur instanceof Error) out.push(cur.message);
    else if (typeof cur === 'string') out.push(cur);
    cur = typeof cur === 'object' ? (cur as { cause?: unknown }).cause : undefined;
  }
  return out.join(' / ');
}

/** True for certificate verification failures, TLS alerts and handshake failures. */
export function isTlsFailure(err: unknown): boolean {
  const code = errorCodeOf(err);
  return VERIFY_CODES.has(code) || TLS_CODE_FAMILIES.test(code) || /certificate|handshake|tlsv1 alert|ssl alert/i.test(messagesOf(err));
}
