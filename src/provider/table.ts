/**
 * The provider table: every `--provider` name extdns supports, each with the
 * one function that picks its options out of the whole config.
 */
import type { Config } from '../config/schema.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Logger } from '../log/logger.ts';
import type { Clock } from '../util/clock.ts';
import { createInMemoryProvider } from './inmemory/inmemory.ts';
import type { Provider } from './provider.ts';
import { createZonefileProvider } from './zonefile/zonefile.ts';

export interface ProviderDeps {
  logger: Logger;
  clock: Clock;
  /** --domain-filter / --exclude-domains / regex filters, compiled once. */
  domainFilter: DomainFilter;
}

export interface ProviderDescriptor {
  readonly name: string;
  readonly description: string;
  /** Whether the provider makes TLS connections (else the --tls-* flags are warned about as unused). */
  readonly usesTls: boolean;
  create(config: Config, deps: ProviderDeps): Promise<Provider>;
}

export const PROVIDERS: Readonly<Record<string, ProviderDescriptor>> = {
  inmemory: {
    name: 'inmemory',
    description: 'records held in memory (testing); zones from --inmemory-zone',
    usesTls: false,
    create: (config, deps) =>
      Promise.resolve(createInMemoryProvider({ zones: config.inmemoryZone, domainFilter: deps.domainFilter })),
  },
  zonefile: {
    name: 'zonefile',
    description: 'RFC 1035 zone files, one DIR/<zone>.zone per zone (--zonefile-dir)',
    usesTls: false,
    create: (config, deps) =>
      Promise.resolve(createZonefileProvider({ dir: config.zonefileDir, domainFilter: deps.domainFilter },
        { clock: deps.clock, logger: deps.logger })),
  },
};

export const SUPPORTED_PROVIDERS: readonly string[] = Object.keys(PROVIDERS);
