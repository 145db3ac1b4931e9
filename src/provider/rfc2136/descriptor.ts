/**
 * The RFC 2136 entry of the provider table: the --rfc2136-* flags picked
 * out of the config, and its DNS-over-TLS connections (one per host) for
 * the trust module, `extdns trust` and `extdns doctor`.
 */
import type { Config } from '../../config/schema.ts';
import type { ConfigIssue } from '../../config/validate.ts';
import type { Provider } from '../provider.ts';
import type { ProviderDeps, ProviderDescriptor, TlsConnection } from '../descriptor.ts';
import { Rfc2136Errors } from './errors.ts';
import { RFC2136_FLAGS } from './flags.ts';
import type { Rfc2136ProviderOptions } from './provider.ts';

export const rfc2136: ProviderDescriptor = {
  name: 'rfc2136',
  description: 'dynamic DNS updates (RFC 2136) with TSIG to BIND, Knot and others (--rfc2136-host, --rfc2136-zone); AXFR to list, DNS over TLS with --rfc2136-use-tls',
  usesTls: true,
  flags: RFC2136_FLAGS,
  errors: Rfc2136Errors,
  validate: rfc2136Issues,
  tlsConnections: rfc2136Connections,
  create: createRfc2136FromConfig,
};

const issue = (flags: readonly string[], message: string): ConfigIssue => ({ flags, message });

/** Cross-flag rules of the --rfc2136-* flags. */
function rfc2136Issues(c: Config): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  if (c.rfc2136MinTtl < 0) out.push(issue(['rfc2136-min-ttl'], '--rfc2136-min-ttl cannot be negative'));
  if (c.rfc2136Insecure && c.rfc2136GssTsig) {
    out.push(issue(['rfc2136-insecure', 'rfc2136-gss-tsig'], '--rfc2136-insecure and --rfc2136-gss-tsig exclude each other: GSS-TSIG signs updates'));
  }
  if (c.rfc2136GssTsig && (c.rfc2136KerberosUsername === '' || c.rfc2136KerberosPassword === '' || c.rfc2136KerberosRealm === '')) {
    out.push(issue(['rfc2136-gss-tsig', 'rfc2136-kerberos-username', 'rfc2136-kerberos-password', 'rfc2136-kerberos-realm'],
      '--rfc2136-gss-tsig needs --rfc2136-kerberos-realm, --rfc2136-kerberos-username and --rfc2136-kerberos-password'));
  }
  if (c.rfc2136BatchChangeSize < 1) {
    out.push(issue(['rfc2136-batch-change-size'], `--rfc2136-batch-change-size=${c.rfc2136BatchChangeSize} must be at least 1`));
  }
  return out;
}


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

export async function createRfc2136FromConfig(config: Config, deps: ProviderDeps): Promise<Provider> {
  const { createRfc2136Provider } = await import('./provider.ts');
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
