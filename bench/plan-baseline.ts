/**
 * The least work any planner must do, as the yardstick for registry read +
 * admission + plan (issue 22): read the provider's records, index them by
 * name and type, join each with its ownership TXT, and compare each desired
 * endpoint with its record, all with Maps, in one pass. It knows nothing of
 * prefixes, encryption, set identifiers, conflicts or policies; it only
 * counts what would change.
 */
import type { Endpoint } from '../src/endpoint/endpoint.ts';

const OWNER_TOKEN = 'external-dns/owner=';

function ownerOf(txtValue: string): string | undefined {
  const at = txtValue.indexOf(OWNER_TOKEN);
  if (at < 0) return undefined;
  const from = at + OWNER_TOKEN.length;
  const end = txtValue.indexOf(',', from);
  return txtValue.slice(from, end < 0 ? txtValue.length - (txtValue.endsWith('"') ? 1 : 0) : end);
}

/** Changes the single pass finds: desired records missing or different, owned records no longer desired. */
export function singlePassChanges(records: readonly Endpoint[], desired: readonly Endpoint[], ownerId: string): number {
  const owners = new Map<string, string>();
  const current = new Map<string, Endpoint>();
  for (const r of records) {
    if (r.recordType === 'TXT') {
      const owner = ownerOf(r.targets[0] ?? '');
      if (owner !== undefined) owners.set(r.dnsName, owner);
    } else {
      current.set(`${r.dnsName}\u0000${r.recordType}`, r);
    }
  }
  let changes = 0;
  const seen = new Set<string>();
  for (const d of desired) {
    const key = `${d.dnsName}\u0000${d.recordType}`;
    seen.add(key);
    const c = current.get(key);
    if (c === undefined) changes++;
    else if (owners.get(`${d.recordType.toLowerCase()}-${c.dnsName}`) === ownerId && !sameList(c.targets, d.targets)) changes++;
  }
  for (const [key, c] of current) {
    if (!seen.has(key) && owners.get(`${c.recordType.toLowerCase()}-${c.dnsName}`) === ownerId) changes++;
  }
  return changes;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
