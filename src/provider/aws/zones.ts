/**
 * Which hosted zones extdns manages: --zone-id-filter, --aws-zone-type,
 * --aws-zone-tags, domain filters (--aws-zone-match-parent also takes zones
 * that are parents of a filter domain), and which zones a record goes to
 * (every matching private zone and the most specific public one, as ExternalDNS).
 */
import type { HostedZone } from '@aws-sdk/client-route-53';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { AwsErrors } from './errors.ts';

export interface ManagedZone {
  /** Without the /hostedzone/ prefix. */
  id: string;
  /** Lower case, no trailing dot. */
  name: string;
  private: boolean;
  /** The --aws-profile whose client sees the zone ('' = default chain). */
  profile: string;
}

export interface ZoneFilterOptions {
  zoneIdFilter: readonly string[];
  /** '' (any), 'public' or 'private'. */
  zoneType: string;
  /** KEY=VALUE or KEY entries; every one must match. */
  zoneTags: readonly string[];
  zoneMatchParent: boolean;
  domainFilter: DomainFilter;
}

export function cleanZoneId(id: string): string {
  return id.replace(/^\/hostedzone\//, '');
}

export function toManagedZone(z: HostedZone, profile = ''): ManagedZone {
  return { id: cleanZoneId(z.Id ?? ''), name: (z.Name ?? '').replace(/\.$/, '').replace(/\\052/g, '*').toLowerCase(), private: z.Config?.PrivateZone === true, profile };
}

/** Everything but the tag filter (tags need another call, made only for zones that pass these). */
export function zonePassesFilters(zone: ManagedZone, options: ZoneFilterOptions): boolean {
  if (options.zoneIdFilter.length > 0 && !options.zoneIdFilter.some((f) => cleanZoneId(f) === zone.id)) return false;
  if (options.zoneType === 'public' && zone.private) return false;
  if (options.zoneType === 'private' && !zone.private) return false;
  const filter = options.domainFilter;
  if (!filter.isConfigured() || filter.match(zone.name)) return true;
  if (!options.zoneMatchParent) return false;
  return (filter.toWire().include ?? []).some((d) => d.replace(/^\.|\.$/g, '').toLowerCase().endsWith(`.${zone.name}`));
}

export interface TagFilter {
  isEmpty(): boolean;
  match(tags: Record<string, string>): boolean;
}

export function parseTagFilter(entries: readonly string[]): TagFilter {
  const wanted = entries.flatMap((e) => e.split(',')).map((e) => e.trim()).filter((e) => e !== '').map((e) => {
    const eq = e.indexOf('=');
    const key = eq < 0 ? e : e.slice(0, eq).trim();
    if (key === '') throw new ExtdnsError(AwsErrors.EXTDNS_AWS_CONFIG, `--aws-zone-tags entry "${e}" has no key; write KEY=VALUE or KEY`);
    return eq < 0 ? { key } : { key, value: e.slice(eq + 1).trim() };
  });
  return {
    isEmpty: () => wanted.length === 0,
    match: (tags) => wanted.every((w) => w.key in tags && (w.value === undefined || tags[w.key] === w.value)),
  };
}

/** The zones a record name belongs to: all matching private zones plus the longest matching public zone. */
export function zonesFor(dnsName: string, zones: readonly ManagedZone[]): ManagedZone[] {
  const name = dnsName.replace(/\.$/, '').toLowerCase();
  let bestPublic: ManagedZone | undefined;
  const out: ManagedZone[] = [];
  for (const z of zones) {
    if (name !== z.name && !name.endsWith(`.${z.name}`)) continue;
    if (z.private) out.push(z);
    else if (bestPublic === undefined || z.name.length > bestPublic.name.length) bestPublic = z;
  }
  if (bestPublic !== undefined) out.push(bestPublic);
  return out;
}

/** The provider's own domain filter: names inside a managed zone. */
export function zonesDomainFilter(zones: readonly ManagedZone[]): DomainFilter {
  const names = [...new Set(zones.map((z) => z.name))].sort();
  return {
    match: (name) => zonesFor(name, zones).length > 0,
    isConfigured: () => true,
    toWire: () => ({ include: names }),
  };
}
