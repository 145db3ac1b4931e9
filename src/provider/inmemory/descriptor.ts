/** `--provider=inmemory`: records held in memory, zones from --inmemory-zone. */
import type { ProviderDescriptor } from '../descriptor.ts';
import { InMemoryErrors } from './errors.ts';
import { createInMemoryProvider } from './inmemory.ts';
import { INMEMORY_FLAGS } from './flags.ts';

export const inmemory: ProviderDescriptor = {
  name: 'inmemory',
  description: 'records held in memory (testing); zones from --inmemory-zone',
  usesTls: false,
  flags: INMEMORY_FLAGS,
  errors: InMemoryErrors,
  create: (config, deps) =>
    Promise.resolve(createInMemoryProvider({ zones: config.inmemoryZone, domainFilter: deps.domainFilter })),
};
