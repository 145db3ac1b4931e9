/** /version and the legacy discovery documents (/api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v>). */
import { ALL_VERBS, groupVersion, singular, type ResourceDef } from './resources.ts';

export function versionInfo(): Record<string, string> {
  return {
    major: '1', minor: '32', gitVersion: 'v1.32.0-extdns-test', gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc', platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupsOf(defs: readonly ResourceDef[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const d of defs) {
    if (d.group === '') continue;
    const versions = groups.get(d.group) ?? [];
    if (!versions.includes(d.version)) versions.push(d.version);
    groups.set(d.group, versions);
  }
  return groups;
}

function apiGroup(name: string, versions: readonly string[]): Record<string, unknown> {
  // Preferred: the most stable version (v1 over v1alpha2), as the real server orders them.
  const sorted = [...versions].sort((a, b) => stability(b) - stability(a));
  const list = sorted.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

function stability(v: string): number {
  if (/^v\d+$/.test(v)) return 3;
  if (v.includes('beta')) return 2;
  return 1;
}

export function apiGroupList(defs: readonly ResourceDef[]): Record<string, unknown> {
  const groups = [...groupsOf(defs)].map(([name, versions]) => apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroupDoc(defs: readonly ResourceDef[], group: string): Record<string, unknown> | undefined {
  const versions = groupsOf(defs).get(group);
  return versions === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

export function apiResourceList(defs: readonly ResourceDef[], group: string, version: string): Record<string, unknown> | undefined {
  const mine = defs.filter((d) => d.group === group && d.version === version);
  if (mine.length === 0) return undefined;
  const resources = mine.flatMap((d) => [
    {
      name: d.resource, singularName: singular(d), namespaced: d.namespaced, kind: d.kind, verbs: [...ALL_VERBS],
      ...(d.shortNames === undefined ? {} : { shortNames: [...d.shortNames] }),
      storageVersionHash: Buffer.from(`${group}/${d.resource}`).toString('base64').slice(0, 11),
    },
    ...(d.status === true ? [{ name: `${d.resource}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] }] : []),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}
