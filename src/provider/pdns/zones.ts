/**
 * Which PowerDNS zones extdns manages, and which zone a name belongs to. A
 * name belongs to the longest zone that contains it; when that zone is outside
 * the domain filter the name is left alone, even if a parent zone is managed
 * (a delegated child zone is not ours to write into through its parent).
 */
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import type { PdnsZoneSummary } from './client.ts';

export interface ZoneIndex {
  /** Zones in scope of the domain filter. */
  readonly managed: readonly PdnsZoneSummary[];
  /** The zone a name (no trailing dot) is written to, if it is managed. */
  zoneFor(dnsName: string): PdnsZoneSummary | undefined;
  /** Whether the longest zone holding the name exists but is not managed. */
  isUnmanaged(dnsName: string): boolean;
  isApex(dnsName: string): boolean;
  /** A DomainFilter matching exactly the names zoneFor() accepts. */
  filter(): DomainFilter;
}

export function zoneNameOf(zone: PdnsZoneSummary): string {
  return zone.name.replace(/\.$/, '').toLowerCase();
}

/**
 * A zone is managed when the domain filter matches its name, or when a name the
 * filter includes lies inside it (filter `app.example.com`, zone `example.com`).
 */
export function isZoneInScope(zoneName: string, filter: DomainFilter): boolean {
  if (!filter.isConfigured()) return true;
  if (filter.match(zoneName)) return true;
  const include = filter.toWire().include ?? [];
  return include.some((d) => {
    const domain = d.replace(/^\.|\.$/g, '').toLowerCase();
    return domain.endsWith(`.${zoneName}`) && filter.match(domain);
  });
}

export function buildZoneIndex(all: readonly PdnsZoneSummary[], filter: DomainFilter): ZoneIndex {
  const byName = new Map<string, { zone: PdnsZoneSummary; managed: boolean }>();
  for (const zone of all) byName.set(zoneNameOf(zone), { zone, managed: isZoneInScope(zoneNameOf(zone), filter) });
  const managed = [...byName.values()].filter((z) => z.managed).map((z) => z.zone);

  /** The longest zone containing the name, walking up its labels. */
  const longest = (dnsName: string): { zone: PdnsZoneSummary; managed: boolean } | undefined => {
    let name = dnsName.replace(/\.$/, '').toLowerCase();
    for (;;) {
      const hit = byName.get(name);
      if (hit !== undefined) return hit;
      const dot = name.indexOf('.');
      if (dot < 0) return undefined;
      name = name.slice(dot + 1);
    }
  };
  const zoneFor = (dnsName: string): PdnsZoneSummary | undefined => {
    const hit = longest(dnsName);
    return hit?.managed === true ? hit.zone : undefined;
  };
  const names = managed.map(zoneNameOf).sort();
  return {
    managed,
    zoneFor,
    isUnmanaged: (dnsName) => longest(dnsName)?.managed === false,
    isApex: (dnsName) => byName.has(dnsName.replace(/\.$/, '').toLowerCase()),
    filter: () => ({
      match: (name: string) => zoneFor(name) !== undefined,
      isConfigured: () => true,
      toWire: () => ({ include: names }),
    }),
  };
}
