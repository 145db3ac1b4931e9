/** `--provider=pdns`: PowerDNS Authoritative through its HTTP API. */
import type { Config } from '../../config/schema.ts';
import { connectionDispatcher, httpUrlIssue, type ProviderDescriptor, type TlsConnection } from '../descriptor.ts';
import { PdnsErrors } from './errors.ts';
import { PDNS_FLAGS } from './flags.ts';

export const pdns: ProviderDescriptor = {
  name: 'pdns',
  description: 'PowerDNS Authoritative through its HTTP API (--pdns-server, --pdns-api-key)',
  usesTls: true,
  flags: PDNS_FLAGS,
  errors: PdnsErrors,
  headerSecrets: ['pdns-api-key'],
  validate: (c) => httpUrlIssue('pdns-server', c.pdnsServer, 'http://localhost:8081'),
  tlsConnections: pdnsConnections,
  create: async (config, deps) => {
    const { createPdnsProvider } = await import('./provider.ts');
    const { dispatcher, onTlsFailure } = connectionDispatcher(pdnsConnections(config)[0], config.pdnsServer, deps);
    return createPdnsProvider({
      server: config.pdnsServer,
      serverId: config.pdnsServerId,
      apiKey: config.pdnsApiKey,
      skipTlsVerify: config.pdnsSkipTlsVerify,
      domainFilter: deps.domainFilter,
    }, { logger: deps.logger, clock: deps.clock, dispatcher, onTlsFailure });
  },
};

/** PowerDNS over https:// gets its trust from src/tls; plain http:// needs none. */
function pdnsConnections(config: Config): TlsConnection[] {
  if (!config.pdnsServer.startsWith('https://')) return [];
  return [{
    name: 'pdns',
    endpoint: config.pdnsServer,
    provider: config.pdnsSkipTlsVerify ? { skipVerifyFlag: '--pdns-skip-tls-verify' } : undefined,
  }];
}
