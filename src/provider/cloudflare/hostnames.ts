/**
 * Custom hostnames (Cloudflare for SaaS) and regional hostnames (Regional
 * Services) that follow a plan's record changes, zone by zone, as ExternalDNS
 * v0.22 derives them, with two differences that keep extdns from touching what
 * it does not own (docs/compat.md):
 * - a custom hostname is deleted only when it is served from the record being
 *   changed (its custom origin is that record's name), never by name alone;
 * - custom hostnames are diffed per endpoint (old list against new), so an
 *   update that drops one target does not delete and recreate them.
 */
import { describeEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import type { CfCustomHostname, CfCustomHostnameInput, CfRegionalHostname } from './api.ts';
import { CUSTOM_HOSTNAME_TYPES, propertyValue, REGIONAL_TYPES, sortedList } from './mapping.ts';

export interface CustomHostnameSettings {
  minTlsVersion: string;
  /** --cloudflare-custom-hostnames-certificate-authority; 'none' sends no preference. */
  certificateAuthority: string;
}

export interface HostnameOps {
  customDeletes: { hostname: CfCustomHostname; because: string }[];
  customCreates: { input: CfCustomHostnameInput; because: string }[];
  regionalCreates: CfRegionalHostname[];
  regionalEdits: CfRegionalHostname[];
  regionalDeletes: string[];
  /** Changes refused without a request (a custom hostname served from another record; conflicting region keys). */
  refused: string[];
}

export function emptyHostnameOps(): HostnameOps {
  return { customDeletes: [], customCreates: [], regionalCreates: [], regionalEdits: [], regionalDeletes: [], refused: [] };
}

const hostnamesOf = (ep: Endpoint): string[] => (CUSTOM_HOSTNAME_TYPES.has(ep.recordType) ? sortedList(propertyValue(ep, 'cloudflare-custom-hostname')) : []);

/** One zone: which endpoints are its own, and what it holds. */
export interface ZoneScope {
  inZone: (ep: Endpoint) => boolean;
  customHostnames: readonly CfCustomHostname[];
  regionalHostnames: readonly CfRegionalHostname[];
}

/** The custom hostname writes of one zone's changes. */
export function customHostnameOps(changes: Changes, scope: ZoneScope, settings: CustomHostnameSettings, ops: HostnameOps): void {
  const { inZone } = scope;
  const byName = new Map(scope.customHostnames.map((c) => [c.hostname, c]));
  const planned = new Map<string, string>();
  const remove = (ep: Endpoint, hostnames: readonly string[]): void => {
    for (const h of hostnames) {
      const current = byName.get(h);
      // Served from another record (or already gone): not ours to delete.
      if (current !== undefined && current.origin === ep.dnsName) ops.customDeletes.push({ hostname: current, because: describeEndpoint(ep) });
    }
  };
  const add = (ep: Endpoint, hostnames: readonly string[]): void => {
    for (const h of hostnames) {
      const origin = byName.get(h)?.origin ?? planned.get(h);
      if (origin === ep.dnsName) continue;
      if (origin !== undefined) {
        ops.refused.push(`custom hostname ${h} of ${describeEndpoint(ep)}: already served from ${origin}`);
        continue;
      }
      planned.set(h, ep.dnsName);
      ops.customCreates.push({ because: describeEndpoint(ep), input: {
        hostname: h, origin: ep.dnsName, minTlsVersion: settings.minTlsVersion,
        ...(settings.certificateAuthority === 'none' ? {} : { certificateAuthority: settings.certificateAuthority }),
      } });
    }
  };
  // Deletes first, so that a hostname moving between records is free when it is created again (ExternalDNS order).
  for (const ep of changes.delete.filter(inZone)) remove(ep, hostnamesOf(ep));
  changes.updateNew.forEach((ep, i) => {
    const old = changes.updateOld[i];
    if (old === undefined || !inZone(ep)) return;
    const before = hostnamesOf(old);
    const after = hostnamesOf(ep);
    remove(old, before.filter((h) => !after.includes(h)));
  });
  changes.updateNew.forEach((ep, i) => {
    const old = changes.updateOld[i];
    if (old === undefined || !inZone(ep)) return;
    const before = hostnamesOf(old);
    add(ep, hostnamesOf(ep).filter((h) => !before.includes(h)));
  });
  for (const ep of changes.create.filter(inZone)) add(ep, hostnamesOf(ep));
}

/**
 * The regional hostname writes of one zone's changes (ExternalDNS desiredRegionalHostnames):
 * a created or updated record wants its region key ('' = none), a deleted one wants none unless
 * another change of the same name wants one; two different keys for one name are refused.
 */
export function regionalHostnameOps(changes: Changes, scope: ZoneScope, ops: HostnameOps): void {
  const { wanted, conflicted } = wantedRegions(changes, scope.inZone, ops);
  const current = new Map(scope.regionalHostnames.map((r) => [r.hostname, r.regionKey]));
  for (const [hostname, regionKey] of wanted) {
    if (conflicted.has(hostname)) continue;
    const have = current.get(hostname);
    if (regionKey === '') {
      if (have !== undefined) ops.regionalDeletes.push(hostname);
    } else if (have === undefined) {
      ops.regionalCreates.push({ hostname, regionKey });
    } else if (have !== regionKey) {
      ops.regionalEdits.push({ hostname, regionKey });
    }
  }
}

function wantedRegions(changes: Changes, inZone: (ep: Endpoint) => boolean, ops: HostnameOps): { wanted: Map<string, string>; conflicted: Set<string> } {
  const wanted = new Map<string, string>();
  const conflicted = new Set<string>();
  const regional = (e: Endpoint): boolean => inZone(e) && REGIONAL_TYPES.has(e.recordType);
  for (const ep of [...changes.create, ...changes.updateNew].filter(regional)) {
    const key = propertyValue(ep, 'cloudflare-region-key') ?? '';
    const before = wanted.get(ep.dnsName);
    if (before !== undefined && before !== '' && before !== key) {
      ops.refused.push(`regional hostname ${ep.dnsName}: conflicting region keys "${before}" and "${key}"`);
      conflicted.add(ep.dnsName);
    }
    if (before === undefined || before === '') wanted.set(ep.dnsName, key);
  }
  for (const ep of changes.delete.filter(regional)) {
    if (!wanted.has(ep.dnsName)) wanted.set(ep.dnsName, '');
  }
  return { wanted, conflicted };
}

/** The custom hostnames served from each record name (records() attaches them as a property). */
export function hostnamesByOrigin(chs: readonly CfCustomHostname[]): (name: string) => readonly string[] {
  const map = new Map<string, string[]>();
  for (const c of chs) {
    const list = map.get(c.origin);
    if (list === undefined) map.set(c.origin, [c.hostname]);
    else list.push(c.hostname);
  }
  return (name) => map.get(name) ?? [];
}

export function hostnameOpCount(ops: HostnameOps): number {
  return ops.customDeletes.length + ops.customCreates.length + ops.regionalCreates.length + ops.regionalEdits.length + ops.regionalDeletes.length;
}
