/** extdns's own flags: none of these exist in ExternalDNS. */

import type { FlagDef } from '../schema.ts';

const MAN = 'extdns: manifest source';
const TLS = 'extdns: TLS trust';
const BRAKE = 'extdns: delete brake';
const LE = 'extdns: leader election';
const OWN = 'extdns: ownership safety';
const STATUS = 'extdns: status page';

export const EXTDNS_FLAGS = [
  { name: 'manifest-path', kind: 'strings', default: [], group: MAN, components: ['source:manifest'], extdnsOnly: true,
    placeholder: 'PATH', help: 'YAML file or directory of Kubernetes objects read by the manifest source; repeat for several' },

  { name: 'tls-ca-mode', kind: 'enum', default: 'append', group: TLS, components: ['tls'], extdnsOnly: true,
    values: ['append', 'replace'],
    help: 'append: trust --tls-ca in addition to the system and Node.js roots; replace: trust --tls-ca only' },

  { name: 'allow-mass-delete', kind: 'bool', default: false, group: BRAKE, components: ['controller'], extdnsOnly: true,
    help: 'Turn the delete brake off: apply large deletions at once' },
  { name: 'delete-brake-threshold-percent', kind: 'int', default: 10, group: BRAKE, components: ['controller'], extdnsOnly: true,
    help: 'A sync that deletes more than this percentage of the owned records (and more than --delete-brake-min) is held back' },
  { name: 'delete-brake-min', kind: 'int', default: 10, group: BRAKE, components: ['controller'], extdnsOnly: true,
    help: 'Deleting this many records or fewer in one sync never trips the brake' },
  { name: 'delete-brake-hold', kind: 'duration', default: '5m', group: BRAKE, components: ['controller'], extdnsOnly: true,
    help: 'Held-back deletions are applied once the same plan has repeated for this long' },

  { name: 'leader-elect', kind: 'bool', default: false, group: LE, components: ['leader-election'], extdnsOnly: true,
    help: 'Run several replicas: only the holder of a Kubernetes Lease writes DNS records' },
  { name: 'leader-election-namespace', kind: 'string', default: '', group: LE, components: ['leader-election'], extdnsOnly: true,
    help: 'Namespace of the Lease; empty means the namespace extdns runs in' },
  { name: 'leader-election-id', kind: 'string', default: 'extdns-leader', group: LE, components: ['leader-election'],
    extdnsOnly: true, help: 'Name of the Lease; instances sharing it elect one leader' },
  { name: 'leader-election-lease-duration', kind: 'duration', default: '15s', group: LE, components: ['leader-election'],
    extdnsOnly: true, help: 'How long standbys wait after the last renewal before taking the Lease over' },
  { name: 'leader-election-renew-deadline', kind: 'duration', default: '10s', group: LE, components: ['leader-election'],
    extdnsOnly: true, help: 'How long the leader keeps trying to renew before it stops writing; below the lease duration' },
  { name: 'leader-election-retry-period', kind: 'duration', default: '2s', group: LE, components: ['leader-election'],
    extdnsOnly: true, help: 'Time between two attempts to acquire or renew the Lease' },

  { name: 'allow-default-owner-sync', kind: 'bool', default: false, group: OWN, components: ['registry', 'controller'],
    extdnsOnly: true,
    help: 'Silence the start-up warning about --policy=sync while --txt-owner-id is still "default" (every instance left at the default deletes the others\' records)' },

  { name: 'status-page', kind: 'bool', default: true, group: STATUS, components: ['metrics'], extdnsOnly: true,
    help: 'Serve /status (an HTML page) and /status.json on --metrics-address: zones, last syncs, held deletes, certificate expiry; --no-status-page turns them off' },
] as const satisfies readonly FlagDef[];
