/** `--provider=inmemory`: records held in memory, zones from --inmemory-zone. */
import type { ProviderDescriptor } from '../descriptor.ts';
import { InMemoryErrors } from './errors.ts';
import { INMEMORY_FLAGS } from './flags.ts';

export const inmemory: ProviderDescriptor = {
  name: 'inmemory',
  description: 'records held in memory (testing); zones from --inmemory-zone',
  usesTls: false,
  flags: INMEMORY_FLAGS,
  errors: InMemoryErrors,
  create: async (config, deps) => {
    // Every provider's implementation is loaded only when it is the one chosen (issue 22: idle memory).
    const { createInMemoryProvider } = await import('./inmemory.ts');
    return createInMemoryProvider({ zones: config.inmemoryZone, domainFilter: deps.domainFilter });
  },
};
