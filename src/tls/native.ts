/**
 * Provider-native trust settings (rank 3), honoured so configs copied from Go
 * ExternalDNS or the AWS CLI keep working.
 */
import { pairClientCert } from './generation.ts';
import type { CaSetting, ClientCertSetting, TlsCaMode, TrustEnvironment } from './tls.ts';

export interface NativeTrust {
  readonly providerNative?: CaSetting & { readonly mode?: TlsCaMode };
  readonly clientCert?: ClientCertSetting;
  readonly serverName?: string;
  /** ETCD_TLS_INSECURE. */
  readonly skipVerify?: { readonly flag: string };
}

/**
 * AWS_CA_BUNDLE. Every AWS SDK (Go v2, CLI, Python) treats it as the whole
 * trust set, so it defaults to replace here too; the report says so.
 */
export function awsNativeTrust(env: TrustEnvironment): NativeTrust {
  return env.awsCaBundle === undefined ? {} : { providerNative: { source: 'AWS_CA_BUNDLE', files: [env.awsCaBundle], mode: 'replace' } };
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
