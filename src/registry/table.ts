/**
 * The registry table: every `--registry` name extdns supports. A registry
 * wraps the provider and decides ownership.
 */
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Provider } from '../provider/provider.ts';
import type { Clock } from '../util/clock.ts';
import { createNoopRegistry } from './noop/noop.ts';
import type { Registry } from './registry.ts';
import { createTxtRegistry } from './txt/registry.ts';

export interface RegistryDeps {
  logger: Logger;
  clock: Clock;
}

export interface RegistryDescriptor {
  readonly name: string;
  readonly description: string;
  create(provider: Provider, config: Config, deps: RegistryDeps): Registry;
}

export const REGISTRIES: Readonly<Record<string, RegistryDescriptor>> = {
  txt: {
    name: 'txt',
    description: 'ownership in TXT records beside each record (ExternalDNS format)',
    create: (provider, config, deps) =>
      createTxtRegistry(provider, {
        ownerId: config.txtOwnerId,
        prefix: config.txtPrefix,
        suffix: config.txtSuffix,
        wildcardReplacement: config.txtWildcardReplacement,
        encryptEnabled: config.txtEncryptEnabled,
        encryptAesKey: config.txtEncryptAesKey,
        cacheIntervalMs: config.txtCacheInterval,
        oldOwnerId: config.migrateFromTxtOwner,
        managedRecordTypes: config.managedRecordTypes,
        excludeRecordTypes: config.excludeRecordTypes,
      }, { clock: deps.clock, logger: deps.logger }),
  },
  noop: {
    name: 'noop',
    description: 'no ownership: every record in scope is managed (a sync may delete records it did not create)',
    create: (provider) => createNoopRegistry(provider),
  },
};

export const SUPPORTED_REGISTRIES: readonly string[] = Object.keys(REGISTRIES);
