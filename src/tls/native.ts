/**
 * Provider-native trust settings (rank 3), honoured so configs copied from Go
 * ExternalDNS keep working; a provider with its own (Route53's AWS_CA_BUNDLE)
 * builds its NativeTrust in its folder.
 */
import { pairClientCert } from './client-cert.ts';
import type { CaSetting, ClientCertSetting, TlsCaMode, TrustEnvironment } from './tls.ts';

export interface NativeTrust {
  readonly providerNative?: CaSetting & { readonly mode?: TlsCaMode };
  readonly clientCert?: ClientCertSetting;
  readonly serverName?: string;
  /** ETCD_TLS_INSECURE. */
  readonly skipVerify?: { readonly flag: string };
}

/** ETCD_CA_FILE, ETCD_CERT_FILE + ETCD_KEY_FILE, ETCD_TLS_SERVER_NAME, ETCD_TLS_INSECURE (Go: tlsutils.CreateTLSConfig("ETCD")). */
export function etcdNativeTrust(env: TrustEnvironment): NativeTrust {
  const clientCert = pairClientCert({ certFlag: 'ETCD_CERT_FILE', certFile: env.etcdCertFile, keyFlag: 'ETCD_KEY_FILE', keyFile: env.etcdKeyFile });
  return {
    ...(env.etcdCaFile === undefined ? {} : { providerNative: { source: 'ETCD_CA_FILE', files: [env.etcdCaFile] } }),
    ...(clientCert === undefined ? {} : { clientCert }),
    ...(env.etcdTlsServerName === undefined ? {} : { serverName: env.etcdTlsServerName }),
    ...(env.etcdTlsInsecure === true ? { skipVerify: { flag: 'ETCD_TLS_INSECURE' } } : {}),
  };
}
