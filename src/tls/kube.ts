/**
 * The Kubernetes API connection keeps client-go's trust rules: the
 * kubeconfig / service-account CA *replaces* every default and --tls-ca does
 * not apply. It still gets its agent here, so src/tls stays the only module
 * that builds TLS agents.
 */
import { Agent } from 'undici';

export interface KubeTlsOptions {
  /** certificate-authority(-data) or the in-cluster ca.crt, PEM; absent means the Node defaults. */
  readonly caPem?: string | undefined;
  /** client-certificate(-data) / client-key(-data), PEM. */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  /** insecure-skip-tls-verify. */
  readonly insecureSkipVerify?: boolean | undefined;
  /** tls-server-name. */
  readonly serverName?: string | undefined;
}

export function createKubeDispatcher(options: KubeTlsOptions): Agent {
  return new Agent({
    connect: {
      ...(options.caPem === undefined ? {} : { ca: options.caPem }),
      ...(options.cert === undefined || options.key === undefined ? {} : { cert: options.cert, key: options.key }),
      rejectUnauthorized: options.insecureSkipVerify !== true,
      ...(options.serverName === undefined ? {} : { servername: options.serverName }),
    },
  });
}
