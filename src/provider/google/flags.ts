/** Flags of this provider (ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/cloud-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const G = 'Provider: Google';

export const GOOGLE_FLAGS = [
  { name: 'google-project', kind: 'string', default: '', group: G, components: ['provider:google'],
    help: 'Google Cloud project of the zones; detected when running on GCP, required elsewhere' },
  { name: 'google-batch-change-size', kind: 'int', default: 1000, group: G, components: ['provider:google'],
    help: 'Largest number of changes in one Cloud DNS change' },
  { name: 'google-batch-change-interval', kind: 'duration', default: '1s', group: G, components: ['provider:google'],
    help: 'Pause between two Cloud DNS changes' },
  { name: 'google-zone-visibility', kind: 'enum', default: '', group: G, components: ['provider:google'],
    values: ['', 'public', 'private'], help: 'Use only zones with this visibility; empty means both' },
] as const satisfies readonly FlagDef[];
