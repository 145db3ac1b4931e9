/** Error codes of the source stage. */
import { defineErrors } from '../errors/errors.ts';

export const SourceErrors = defineErrors({
  EXTDNS_SOURCE_SELECTOR_INVALID: {
    transient: false,
    summary: 'A --label-filter or --annotation-filter is not valid Kubernetes label-selector syntax.',
  },
  EXTDNS_SOURCE_OPTION_INVALID: {
    transient: false,
    summary: 'A source option has a value the source cannot use (e.g. an unknown --service-type-filter).',
  },
  EXTDNS_SOURCE_MANIFEST_UNREADABLE: {
    transient: false,
    summary: 'A --manifest-path file or folder cannot be read.',
  },
  EXTDNS_SOURCE_MANIFEST_INVALID: {
    transient: false, kind: 'data',
    summary: 'A manifest file holds invalid YAML/JSON, a non-Kubernetes document, or an unsupported kind.',
  },
  EXTDNS_SOURCE_NOT_SYNCED: {
    transient: true,
    summary: 'A Kubernetes source has not filled its caches yet (API not reachable, RBAC missing, first list running); deletes are held back until it has.',
  },
  EXTDNS_SOURCE_FAILED: {
    transient: true,
    summary: 'One or more sources failed to list their endpoints; changes that would delete records are held back.',
  },
});
