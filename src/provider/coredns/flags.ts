/** Flags of the CoreDNS provider (ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/dns-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const CORE = 'Provider: CoreDNS';

export const COREDNS_FLAGS = [
  { name: 'coredns-prefix', kind: 'string', default: '/skydns/', group: CORE, components: ['provider:coredns', 'provider:skydns'],
    help: 'etcd key prefix under which CoreDNS reads records' },
  { name: 'coredns-strictly-owned', kind: 'bool', default: false, group: CORE, components: ['provider:coredns', 'provider:skydns'],
    help: 'Store --txt-owner-id in each etcd entry and touch only entries that carry it' },
] as const satisfies readonly FlagDef[];
