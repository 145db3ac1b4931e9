/**
 * The Kubernetes API connection for `extdns trust` and `extdns doctor`: the
 * same kubeconfig / in-cluster resolution and proxy choice as the run, as a
 * trust report (src/tls/kube-trust.ts). Only when the configuration would
 * connect to Kubernetes at all.
 */
import { readKubeEnvironment } from '../config/environment.ts';
import type { Environment } from '../config/process.ts';
import type { Config } from '../config/schema.ts';
import { errorMessage } from '../errors/errors.ts';
import { kubeProxy } from '../kube/connect.ts';
import { resolveKubeConnection } from '../kube/kubeconfig.ts';
import { KUBE_CONNECTION, kubeTrustGeneration } from '../tls/kube-trust.ts';
import type { ProxyConfig } from '../tls/proxy.ts';
import type { TrustGeneration } from '../tls/tls.ts';
import type { Clock } from '../util/clock.ts';
import { needsKubeConnection } from './kube-wiring.ts';

export interface KubeTrust {
  readonly generation: TrustGeneration;
  readonly serverName?: string | undefined;
  readonly skipVerify?: string | undefined;
  readonly proxy: ProxyConfig;
}

export type KubeTrustOutcome = KubeTrust | { readonly name: string; readonly error: string };

export async function kubeTrust(config: Config, env: Environment, clock: Clock): Promise<KubeTrustOutcome | undefined> {
  if (!needsKubeConnection(config)) return undefined;
  try {
    const kubeEnv = readKubeEnvironment(env);
    const connection = await resolveKubeConnection({ kubeconfig: config.kubeconfig, server: config.server, env: kubeEnv, clock });
    const proxy = kubeProxy(connection, kubeEnv);
    const generation = kubeTrustGeneration({
      server: connection.server, tls: connection.tls, caSource: connection.caSource, credentialKind: connection.credentialKind,
      proxy, tlsCaGiven: config.tlsCa.length > 0, now: clock.now(),
    });
    return { generation, serverName: connection.tls.serverName, skipVerify: generation.report.skipVerify, proxy };
  } catch (err) {
    return { name: KUBE_CONNECTION, error: errorMessage(err) };
  }
}
