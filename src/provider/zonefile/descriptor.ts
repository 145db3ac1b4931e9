/** `--provider=zonefile`: RFC 1035 zone files in --zonefile-dir. */
import type { ProviderDescriptor } from '../descriptor.ts';
import { ZonefileErrors } from './errors.ts';
import { ZONEFILE_FLAGS } from './flags.ts';

export const zonefile: ProviderDescriptor = {
  name: 'zonefile',
  description: 'RFC 1035 zone files, one DIR/<zone>.zone per zone (--zonefile-dir)',
  usesTls: false,
  flags: ZONEFILE_FLAGS,
  errors: ZonefileErrors,
  validate: (c) => c.zonefileDir === ''
    ? [{ flags: ['provider', 'zonefile-dir'], message: '--provider=zonefile needs --zonefile-dir: the directory of the zone files' }]
    : [],
  create: async (config, deps) => {
    const { createZonefileProvider } = await import('./zonefile.ts');
    return createZonefileProvider({ dir: config.zonefileDir, domainFilter: deps.domainFilter }, { clock: deps.clock, logger: deps.logger });
  },
};
