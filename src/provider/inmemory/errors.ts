/** Error codes of the in-memory provider. */
import { defineErrors } from '../../errors/errors.ts';

export const InMemoryErrors = defineErrors({
  EXTDNS_INMEMORY_RECORD_EXISTS: {
    transient: false, kind: 'refused-change',
    summary: 'A create names a record set (name, type, set identifier) the in-memory provider already holds. Nothing of the batch was applied.',
  },
  EXTDNS_INMEMORY_RECORD_NOT_FOUND: {
    transient: false, kind: 'refused-change',
    summary: 'An update or delete names a record set the in-memory provider does not hold. Nothing of the batch was applied.',
  },
  EXTDNS_INMEMORY_RECORD_MISMATCH: {
    transient: false, kind: 'refused-change',
    summary: 'An update or delete gives targets that differ from the record set held; the records were changed behind the planner\'s back. Nothing of the batch was applied.',
  },
  EXTDNS_INMEMORY_DUPLICATE_CHANGE: {
    transient: false, kind: 'refused-change',
    summary: 'One batch names the same record set twice (or pairs updateOld and updateNew badly). Nothing of the batch was applied.',
  },
  EXTDNS_INMEMORY_NO_ZONE: {
    transient: false, kind: 'refused-change',
    summary: 'A change names a record in no zone of the in-memory provider. Add the zone with --inmemory-zone or narrow --domain-filter.',
  },
  EXTDNS_INMEMORY_ZONE_EXISTS: {
    transient: false,
    summary: 'createZone was asked for a zone the in-memory provider already has.',
  },
  EXTDNS_INMEMORY_ZONE_NOT_FOUND: {
    transient: false,
    summary: 'A zone was asked for that the in-memory provider does not have.',
  },
});
