/**
 * From the config to the trust module: which TLS connections the configured
 * provider opens, and the TrustSpec of each (global --tls-* flags, the
 * provider's own settings, the trust environment variables).
 */
import { readProxyEnvironment, readTrustEnvironment } from '../config/environment.ts';
import { environmentProxy, neverProxied, type ProxyConfig } from '../tls/proxy.ts';
import type { Environment } from '../config/process.ts';
import type { Config } from '../config/schema.ts';
import { PROVIDERS, type TlsConnection } from '../provider/table.ts';
import { trustSpecFor, type GlobalTlsFlags } from '../tls/spec.ts';
import type { TrustSpec } from '../tls/tls.ts';
import { warnUnusedTlsFlags } from '../tls/warnings.ts';

export function globalTlsFlags(config: Config): GlobalTlsFlags {
  return {
    tlsCa: config.tlsCa,
    tlsCaMode: config.tlsCaMode,
    ...(config.tlsClientCert === '' ? {} : { tlsClientCert: config.tlsClientCert }),
    ...(config.tlsClientCertKey === '' ? {} : { tlsClientCertKey: config.tlsClientCertKey }),
  };
}

/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY as Go reads them; throws EXTDNS_PROXY_INVALID on a bad proxy URL. */
export function proxyFromEnvironment(env: Environment): ProxyConfig {
  return environmentProxy(readProxyEnvironment(env));
}

export function connectionSpec(config: Config, env: Environment, connection: TlsConnection): TrustSpec {
  const trustEnv = readTrustEnvironment(env);
  const spec = trustSpecFor({
    name: connection.name,
    endpoint: connection.endpoint,
    flags: globalTlsFlags(config),
    env: trustEnv,
    provider: connection.provider,
    native: connection.native,
  });
  return { ...spec, proxy: connection.neverProxied === undefined ? proxyFromEnvironment(env) : neverProxied(connection.neverProxied) };
}

/** The connections the configured provider would open. */
export function providerConnections(config: Config, env: Environment): TlsConnection[] {
  return PROVIDERS[config.provider]?.tlsConnections?.(config, env) ?? [];
}

/** The "TLS flag given but unused" warnings (the silent failure behind the GovCloud story). */
export function unusedTlsWarnings(config: Config, env: Environment): string[] {
  return warnUnusedTlsFlags(config.provider, providerConnections(config, env).length > 0, globalTlsFlags(config));
}
