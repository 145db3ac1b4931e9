/**
 * The silent failure extdns exists to end: Go ExternalDNS took --tls-ca for
 * every provider on the command line but only pdns and rfc2136 read it.
 * Here every TLS provider reads it; this warns when none will.
 */
export interface TlsFlags {
  readonly tlsCa?: readonly string[] | undefined;
  readonly tlsClientCert?: string | undefined;
  readonly tlsClientCertKey?: string | undefined;
  /** Only warned about when not the default. */
  readonly tlsCaMode?: string | undefined;
}

/**
 * Messages for TLS flags that the chosen provider will not use (it makes no
 * TLS connection, or its endpoint is plain http://). Empty when all is used.
 */
export function warnUnusedTlsFlags(providerName: string, usesTls: boolean, flags: TlsFlags): string[] {
  if (usesTls) return [];
  const given: string[] = [];
  if ((flags.tlsCa ?? []).length > 0) given.push(`--tls-ca=${(flags.tlsCa ?? []).join(',')}`);
  if ((flags.tlsClientCert ?? '') !== '') given.push('--tls-client-cert');
  if ((flags.tlsClientCertKey ?? '') !== '') given.push('--tls-client-cert-key');
  if (flags.tlsCaMode !== undefined && flags.tlsCaMode !== 'append') given.push(`--tls-ca-mode=${flags.tlsCaMode}`);
  return given.map((flag) =>
    `${flag} is set but provider "${providerName}" makes no TLS connection (or its endpoint is plain http://), so it has no effect; ` +
    'remove it, or check that the provider and endpoint are the ones you meant');
}
