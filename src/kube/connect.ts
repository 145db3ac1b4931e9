/**
 * The one call the CLI makes: flags + environment → a ready KubeClient.
 * Unlike ExternalDNS, --kube-api-request-timeout stays in force with
 * --events: watches are exempt from it anyway (client.ts).
 */
import type { KubeEnvironment } from '../config/environment.ts';
import type { Logger } from '../log/logger.ts';
import type { Clock } from '../util/clock.ts';
import { createKubeClient, type KubeClient } from './client.ts';
import { resolveKubeConnection, type KubeConnection } from './kubeconfig.ts';
import { describeRoute, environmentProxy, fixedProxy, type ProxyConfig } from '../tls/proxy.ts';

/** client-go: the cluster's proxy-url wins; otherwise HTTPS_PROXY / NO_PROXY (http.ProxyFromEnvironment). */
export function kubeProxy(connection: KubeConnection, env: KubeEnvironment): ProxyConfig {
  return connection.proxyUrl !== undefined ? fixedProxy(connection.proxyUrl, 'kubeconfig proxy-url') : environmentProxy(env.proxy ?? {});
}

/** The Config fields of the Kubernetes client flags (same names). */
export interface KubeSettings {
  readonly kubeconfig: string;
  readonly server: string;
  readonly kubeApiQps: number;
  readonly kubeApiBurst: number;
  /** Milliseconds; 0: no limit. */
  readonly kubeApiRequestTimeout: number;
}

export interface KubeConnectDeps {
  readonly env: KubeEnvironment;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Tests point this at a temp folder; default /var/run/secrets/kubernetes.io/serviceaccount. */
  readonly serviceAccountDir?: string | undefined;
  readonly userAgent?: string | undefined;
}

export async function connectKube(settings: KubeSettings, deps: KubeConnectDeps): Promise<KubeClient> {
  const connection = await resolveKubeConnection({
    kubeconfig: settings.kubeconfig, server: settings.server, env: deps.env, clock: deps.clock, serviceAccountDir: deps.serviceAccountDir,
  });
  const proxy = kubeProxy(connection, deps.env);
  deps.logger.info('Connecting to the Kubernetes API', {
    server: connection.server, from: connection.origin, namespace: connection.namespace, route: describeRoute(proxy.routeFor(connection.server)),
  });
  return createKubeClient({
    proxy,
    connection, clock: deps.clock, qps: settings.kubeApiQps, burst: settings.kubeApiBurst, requestTimeoutMs: settings.kubeApiRequestTimeout,
    ...(deps.userAgent === undefined ? {} : { userAgent: deps.userAgent }),
  });
}
