/** The PowerDNS provider: `--provider=pdns`. */
export { createPdnsProvider, type PdnsProviderDeps, type PdnsProviderOptions } from './provider.ts';
export { createPdnsClient, type PdnsClient, type PdnsClientOptions, type PdnsZone, type PdnsZoneSummary, type PdnsRrset, type PdnsRrsetChange } from './client.ts';
export { PdnsErrors } from './errors.ts';
