/**
 * Assembles a connection's TrustSpec from the global TLS flags, the
 * provider's own settings and its native environment settings, so every
 * caller applies the precedence the same way.
 */
import { pairClientCert } from './client-cert.ts';
import type { NativeTrust } from './native.ts';
import type { CaSetting, ClientCertSetting, TlsCaMode, TrustEnvironment, TrustSpec } from './tls.ts';

export interface GlobalTlsFlags {
  /** --tls-ca (repeatable). */
  readonly tlsCa: readonly string[];
  readonly tlsCaMode: TlsCaMode;
  readonly tlsClientCert?: string | undefined;
  readonly tlsClientCertKey?: string | undefined;
}

export interface ProviderTls {
  /** e.g. { source: '--pdns-tls-ca', files: [...] } when the provider has its own CA flag. */
  readonly ca?: CaSetting | undefined;
  readonly clientCert?: ClientCertSetting | undefined;
  /** The provider's skip-verify flag name when it is on, e.g. '--pdns-skip-tls-verify'. */
  readonly skipVerifyFlag?: string | undefined;
  readonly serverName?: string | undefined;
}

export interface TrustSpecInput {
  readonly name: string;
  readonly endpoint?: string | undefined;
  readonly flags: GlobalTlsFlags;
  readonly env: TrustEnvironment;
  readonly provider?: ProviderTls | undefined;
  readonly native?: NativeTrust | undefined;
  readonly allowPartialChain?: boolean | undefined;
}

export function trustSpecFor(input: TrustSpecInput): TrustSpec {
  const flagClient = pairClientCert({
    certFlag: '--tls-client-cert', certFile: input.flags.tlsClientCert, keyFlag: '--tls-client-cert-key', keyFile: input.flags.tlsClientCertKey,
  });
  const clientCerts = [input.provider?.clientCert, flagClient, input.native?.clientCert].filter((c): c is ClientCertSetting => c !== undefined);
  const skipFlag = input.provider?.skipVerifyFlag ?? input.native?.skipVerify?.flag;
  return {
    name: input.name,
    mode: input.flags.tlsCaMode,
    caFiles: input.flags.tlsCa,
    env: input.env,
    ...optional('endpoint', input.endpoint),
    ...optional('providerCa', input.provider?.ca),
    ...optional('providerNative', input.native?.providerNative),
    ...optional('clientCerts', clientCerts.length === 0 ? undefined : clientCerts),
    ...optional('serverName', input.provider?.serverName ?? input.native?.serverName),
    ...optional('skipVerify', skipFlag === undefined ? undefined : { flag: skipFlag }),
    ...optional('allowPartialChain', input.allowPartialChain === true ? true : undefined),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
