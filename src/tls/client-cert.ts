/**
 * A client certificate flag pair (certificate and key) as a ClientCertSetting.
 * Its own module: the trust specs read it at start-up, and loading the trust
 * generation (./generation.ts, with the PEM reader and the base set) for it
 * would cost a controller without outgoing TLS ~1 MiB of idle RSS (issue 22).
 */
import { ExtdnsError } from '../errors/errors.ts';
import { TlsErrors } from './errors.ts';
import type { ClientCertSetting } from './tls.ts';

/** Both or neither, as in Go; turns a flag pair into a ClientCertSetting. */
export function pairClientCert(pair: { certFlag: string; certFile?: string | undefined; keyFlag: string; keyFile?: string | undefined }): ClientCertSetting | undefined {
  const cert = pair.certFile ?? '';
  const key = pair.keyFile ?? '';
  if (cert === '' && key === '') return undefined;
  if (cert === '' || key === '') {
    const [given, missing] = cert === '' ? [pair.keyFlag, pair.certFlag] : [pair.certFlag, pair.keyFlag];
    throw new ExtdnsError(TlsErrors.EXTDNS_TLS_CONFIG, `${given} is set but ${missing} is not; a client certificate needs both the certificate and its key`);
  }
  return { source: pair.certFlag, certFile: cert, keyFile: key };
}
