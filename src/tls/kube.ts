/**
 * The Kubernetes API connection keeps client-go's trust rules: the
 * kubeconfig / service-account CA *replaces* every default and --tls-ca does
 * not apply. It still gets its agent here, so src/tls stays the only module
 * that builds TLS agents, and it goes through the same connector (proxy
 * route, then TLS) as every other connection.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import { Agent } from './undici-core.ts';
import { connectorFor } from './agents.ts';
import type { ProxyConfig } from './proxy.ts';

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

/** The kubeconfig's trust as one SecureContext (the CA replaces Node's defaults, as client-go's does). */
export function kubeSecureContext(options: KubeTlsOptions): SecureContext {
  return createSecureContext({
    ...(options.caPem === undefined ? {} : { ca: options.caPem }),
    ...(options.cert === undefined || options.key === undefined ? {} : { cert: options.cert, key: options.key }),
  });
}

/** `proxy`: the cluster's proxy-url, or HTTPS_PROXY/NO_PROXY as Go reads them (client-go). */
export function createKubeDispatcher(options: KubeTlsOptions, proxy?: ProxyConfig): Agent {
  return new Agent({
    connect: connectorFor(kubeSecureContext(options), {
      verify: options.insecureSkipVerify !== true, serverName: options.serverName, proxy,
    }),
  });
}
