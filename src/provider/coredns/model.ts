/**
 * The keys under the prefix as record sets. A key with a `host` gives a
 * target of its name (A, AAAA or CNAME by the host's form, PTR under
 * in-addr.arpa / ip6.arpa); a key with `text` a TXT value; one key may give
 * both (ExternalDNS writes a TXT at the name of an A into the A's key).
 * Unlike ExternalDNS, record sets are kept apart by type, so an A and an AAAA
 * at one name are two record sets, and the TXT values of a name are one.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { decodeService, isPtrName, nameOfKey, type SkyService } from './service.ts';
import type { EtcdKv } from './etcd.ts';

/** The provider-specific property ExternalDNS maps to the `group` field (annotation coredns-group). */
export const GROUP_PROPERTY = 'coredns/group';

export interface Entry {
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
  readonly name: string;
  readonly service: SkyService;
}

export function hostType(name: string, host: string): string {
  if (isPtrName(name)) return 'PTR';
  if (isIPv4(host)) return 'A';
  if (isIPv6(host)) return 'AAAA';
  return 'CNAME';
}

export function setKey(name: string, type: string): string {
  return `${name}\u0000${type}`;
}

/** Entries by name, from the keys read; keys that are not SkyDNS JSON (or, strictly owned, not ours) are skipped. */
export function entriesOf(kvs: readonly EtcdKv[], prefix: string, owner: string | undefined): { byName: Map<string, Entry[]>; skipped: string[] } {
  const byName = new Map<string, Entry[]>();
  const skipped: string[] = [];
  for (const kv of kvs) {
    const service = decodeService(kv.value);
    const name = service === undefined ? undefined : nameOfKey(prefix, kv.key, service.targetstrip);
    if (service === undefined || name === undefined || name === '') {
      skipped.push(kv.key);
      continue;
    }
    if (owner !== undefined && service.owner !== owner) continue;
    const list = byName.get(name) ?? [];
    list.push({ key: kv.key, value: kv.value, modRevision: kv.modRevision, name, service });
    byName.set(name, list);
  }
  return { byName, skipped };
}

/** The record sets of one name, in key order (targets in the order of their keys). */
export function endpointsOf(name: string, entries: readonly Entry[]): Endpoint[] {
  const sets = new Map<string, Endpoint>();
  const add = (type: string, target: string, s: SkyService): void => {
    const existing = sets.get(type);
    if (existing !== undefined) {
      if (!existing.targets.includes(target)) existing.targets.push(target);
      return;
    }
    const ep = newEndpoint({ dnsName: name, recordType: type, targets: [target], recordTTL: s.ttl });
    if (type !== 'TXT' && s.group !== '') ep.providerSpecific.push({ name: GROUP_PROPERTY, value: s.group });
    sets.set(type, ep);
  };
  for (const e of entries) {
    if (e.service.host !== '') add(hostType(name, e.service.host), e.service.host, e.service);
    if (e.service.text !== '') add('TXT', e.service.text, e.service);
  }
  return [...sets.values()];
}
