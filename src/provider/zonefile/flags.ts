/** Flags of extdns's zonefile provider (merged into the one config schema by src/config/flags/extdns.ts). */
import type { FlagDef } from '../../config/schema.ts';

const ZF = 'extdns: zonefile provider';

export const ZONEFILE_FLAGS = [
  { name: 'zonefile-dir', kind: 'string', default: '', group: ZF, components: ['provider:zonefile'], extdnsOnly: true,
    help: 'Directory of the RFC 1035 zone files managed by the zonefile provider (required with --provider=zonefile)' },
] as const satisfies readonly FlagDef[];
