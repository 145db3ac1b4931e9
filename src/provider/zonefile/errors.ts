/** Error codes of the zone-file provider. */
import { defineErrors } from '../../errors/errors.ts';

export const ZonefileErrors = defineErrors({
  EXTDNS_ZONEFILE_SYNTAX: {
    // Data: a person's typo in a zone file stops syncs to that folder, not the controller.
    transient: false, kind: 'data',
    summary: 'A zone file is not a valid RFC 1035 master file; the message names file:line. Fix the file; extdns never rewrites it meanwhile.',
  },
  EXTDNS_ZONEFILE_NO_SOA: {
    transient: false,
    summary: 'A zone file has no SOA record at its apex (or more than one). Add exactly one SOA so the serial can be bumped.',
  },
  EXTDNS_ZONEFILE_CHANGE_REJECTED: {
    transient: false, kind: 'refused-change',
    summary: 'A change does not fit the zone files (create of an existing record, update or delete of a missing one, delete whose values differ, invalid data). Nothing was written.',
  },
  EXTDNS_ZONEFILE_NO_ZONE: {
    transient: false,
    summary: 'A change names a record that is in no zone file of --zonefile-dir. Add the zone file or narrow --domain-filter.',
  },
  EXTDNS_ZONEFILE_REFUSED: {
    transient: false,
    // Data, not configuration: the loop goes on; the rest of the batch is already written, so it is not split and resent.
    kind: 'data',
    summary: 'A change would make BIND refuse the zone (CNAME beside other data or where an NS record points, no apex NS, data below a DNAME, TXT over 64 KiB). That change was not written, the rest of the batch was; the message names it.',
  },
  EXTDNS_ZONEFILE_LOCKED: {
    transient: true,
    summary: 'Another writer held the zone file lock longer than extdns waits. The next sync retries; a lock left by a dead writer is broken once it is stale.',
  },
  EXTDNS_ZONEFILE_IO: {
    transient: true,
    summary: 'Reading or writing the zone directory failed (permissions, disk full). Fix the directory; the next sync retries.',
  },
});
