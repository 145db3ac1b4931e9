/** Flags of the in-memory provider (merged into the one config schema by src/config/flags/dns-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const MEM = 'Provider: In-memory';

export const INMEMORY_FLAGS = [
  { name: 'inmemory-zone', kind: 'strings', default: [], group: MEM, components: ['provider:inmemory'], placeholder: 'ZONE',
    help: 'Zone the in-memory provider starts with; repeat for several' },
] as const satisfies readonly FlagDef[];
