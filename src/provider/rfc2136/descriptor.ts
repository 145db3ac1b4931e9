/**
 * The RFC 2136 entry of the provider table: the --rfc2136-* flags picked
 * out of the config, and its DNS-over-TLS connections (one per host) for
 * the trust module, `extdns trust` and `extdns doctor`.
 */
import type { Config } from '../../config/schema.ts';
import type { Provider } from '../provider.ts';
import type { ProviderDeps, TlsConnection } from '../table.ts';
import { createRfc2136Provider, type Rfc2136ProviderOptions } from './provider.ts';

export function rfc2136Options(config: Config): Rfc2136ProviderOptions {
  return {
    hosts: config.rfc2136Host,
    port: config.rfc2136Port,
    zones: config.rfc2136Zone,
    insecure: config.rfc2136Insecure,
    tsigKeyName: config.rfc2136TsigKeyname,
    tsigSecret: config.rfc2136TsigSecret,
    tsigSecretAlg: config.rfc2136TsigSecretAlg,
    axfr: config.rfc2136Axfr,
    minTtlMs: config.rfc2136MinTtl,
    batchChangeSize: config.rfc2136BatchChangeSize,
    loadBalancingStrategy: config.rfc2136LoadBalancingStrategy,
    useTls: config.rfc2136UseTls,
    gssTsig: config.rfc2136GssTsig,
  };
}

/** DoT connections, one per --rfc2136-host; none without --rfc2136-use-tls. */
export function rfc2136Connections(config: Config): TlsConnection[] {
  if (!config.rfc2136UseTls) return [];
  const hosts = config.rfc2136Host.filter((h) => h.trim() !== '');
  return hosts.map((host, i) => ({
    name: hosts.length === 1 ? 'rfc2136' : `rfc2136-${i + 1}`,
    endpoint: `https://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.rfc2136Port}`,
    provider: config.rfc2136SkipTlsVerify ? { skipVerifyFlag: '--rfc2136-skip-tls-verify' } : undefined,
  }));
}

export function createRfc2136FromConfig(config: Config, deps: ProviderDeps): Provider {
  const stores = rfc2136Connections(config).map((c) => deps.trust(c));
  // All hosts share one trust (the same flags): the first store's current generation serves every connection.
  const store = stores[0];
  const verify = !config.rfc2136SkipTlsVerify;
  return createRfc2136Provider(rfc2136Options(config), {
    logger: deps.logger,
    clock: deps.clock,
    tls: store === undefined ? undefined : () => ({ secureContext: store.current().secureContext, verify, alpnProtocols: ['dot'] }),
  });
}
