/**
 * The one call the CLI makes: flags + environment → a ready KubeClient.
 * Unlike ExternalDNS, --kube-api-request-timeout stays in force with
 * --events: watches are exempt from it anyway (client.ts).
 */
import type { KubeEnvironment } from '../config/environment.ts';
import type { Logger } from '../log/logger.ts';
import type { Clock } from '../util/clock.ts';
import { createKubeClient, type KubeClient } from './client.ts';
import { resolveKubeConnection } from './kubeconfig.ts';

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
  deps.logger.info('connecting to the Kubernetes API', { server: connection.server, from: connection.origin, namespace: connection.namespace });
  return createKubeClient({
    connection, clock: deps.clock, qps: settings.kubeApiQps, burst: settings.kubeApiBurst, requestTimeoutMs: settings.kubeApiRequestTimeout,
    ...(deps.userAgent === undefined ? {} : { userAgent: deps.userAgent }),
  });
}
