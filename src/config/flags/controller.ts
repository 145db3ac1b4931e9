/** Registry, policy, loop, logging and metrics flags (ExternalDNS v0.22 names and defaults). */

import type { FlagDef } from '../schema.ts';

export const EXTERNAL_DNS_REGISTRIES = ['aws-sd', 'crd', 'dynamodb', 'noop', 'txt'] as const;
export const POLICIES = ['sync', 'upsert-only', 'create-only'] as const;

const R = 'Registry';
const DDB = 'Registry: DynamoDB';
const RCRD = 'Registry: CRD';
const L = 'Policy and loop';
const M = 'Logging and metrics';

export const REGISTRY_FLAGS = [
  { name: 'registry', kind: 'enum', default: 'txt', group: R, components: ['registry'], values: EXTERNAL_DNS_REGISTRIES,
    help: 'Where ownership of records is kept' },
  { name: 'txt-owner-id', kind: 'string', default: 'default', group: R, components: ['registry'],
    help: 'Name of this instance, written into ownership records (TXT, DynamoDB, CRD and Cloud Map registries); unique per cluster' },
  { name: 'txt-prefix', kind: 'string', default: '', group: R, components: ['registry:txt'],
    help: 'Prefix of ownership TXT record names; may contain %{record_type}. Not with --txt-suffix' },
  { name: 'txt-suffix', kind: 'string', default: '', group: R, components: ['registry:txt'],
    help: 'Suffix added to the first label of ownership TXT record names; may contain %{record_type}. Not with --txt-prefix' },
  { name: 'txt-wildcard-replacement', kind: 'string', default: '', group: R, components: ['registry:txt'],
    help: 'Text that replaces a leading "*" in the names of ownership TXT records of wildcard records' },
  { name: 'txt-encrypt-enabled', kind: 'bool', default: false, group: R, components: ['registry:txt'],
    help: 'Encrypt ownership TXT records with --txt-encrypt-aes-key' },
  { name: 'txt-encrypt-aes-key', kind: 'string', default: '', group: R, components: ['registry:txt'], secret: true,
    help: 'AES-256 key for --txt-encrypt-enabled: 32 bytes, as is or base64-encoded' },
  { name: 'txt-cache-interval', kind: 'duration', default: '0s', group: R, components: ['registry:txt'],
    help: 'How long the registry reuses the records it read; 0s disables the cache' },
  { name: 'migrate-from-txt-owner', kind: 'string', default: '', group: R, components: ['registry:txt'],
    help: 'Previous owner id: records it owns are taken over and rewritten with --txt-owner-id' },

  { name: 'dynamodb-region', kind: 'string', default: '', group: DDB, components: ['registry:dynamodb'],
    help: 'AWS region of the DynamoDB table; empty means the SDK default region' },
  { name: 'dynamodb-table', kind: 'string', default: 'external-dns', group: DDB, components: ['registry:dynamodb'],
    help: 'Name of the DynamoDB table' },

  { name: 'crd-registry-namespace', kind: 'string', default: '', group: RCRD, components: ['registry:crd'],
    help: 'Namespace of the DNSRecord objects; empty means the namespace extdns runs in' },
] as const satisfies readonly FlagDef[];

export const CONTROLLER_FLAGS = [
  { name: 'policy', kind: 'enum', default: '', group: L, components: ['plan'], required: true, placeholder: 'POLICY',
    values: POLICIES,
    help: 'What may change: sync (create, update, delete), upsert-only (no deletes), create-only. No default since v0.22' },
  { name: 'interval', kind: 'duration', default: '1m', group: L, components: ['controller'],
    help: 'Time between two synchronisations' },
  { name: 'min-event-sync-interval', kind: 'duration', default: '5s', group: L, components: ['controller'],
    help: 'Shortest time between two synchronisations started by Kubernetes events' },
  { name: 'events', kind: 'bool', default: false, group: L, components: ['controller', 'source'],
    help: 'Also synchronise when watched resources change, not only every --interval' },
  { name: 'once', kind: 'bool', default: false, group: L, components: ['controller'],
    help: 'Synchronise once and exit (status 0 on success)' },
  { name: 'dry-run', kind: 'bool', default: false, group: L, components: ['controller', 'provider'],
    help: 'Log the changes that would be made and write nothing' },
  { name: 'events-emit', kind: 'strings', default: [], group: L, components: ['events'], placeholder: 'REASON',
    help: 'Kubernetes Events to emit on source objects: RecordReady, RecordDeleted, RecordError; repeat for several' },

  { name: 'log-format', kind: 'enum', default: 'text', group: M, components: ['log'], values: ['text', 'json'],
    help: 'Format of log lines' },
  { name: 'log-level', kind: 'enum', default: 'info', group: M, components: ['log'],
    values: ['panic', 'fatal', 'error', 'warning', 'info', 'debug', 'trace'], help: 'Least severe level that is logged' },
  { name: 'metrics-address', kind: 'string', default: ':7979', group: M, components: ['metrics'],
    help: 'Address ([host]:port) where /metrics and /healthz are served' },
] as const satisfies readonly FlagDef[];
