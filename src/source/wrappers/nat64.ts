/**
 * --nat64-networks (ExternalDNS `nat64Source`): for every AAAA endpoint with
 * targets inside one of the NAT64 networks, add an A endpoint (same name, set
 * identifier, TTL, labels and properties) whose targets are the IPv4 addresses
 * embedded in the last 32 bits of those targets (RFC 6052 with a /96 prefix).
 * The AAAA endpoint itself stays as it is.
 * Unlike ExternalDNS, an A endpoint of the same key absorbs the addresses (see addNat64Endpoints).
 */
import { cloneEndpoint, endpointKey, type Endpoint } from '../../endpoint/endpoint.ts';
import { parseIp } from '../../endpoint/ip.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { SourceErrors } from '../errors.ts';

/** A NAT64 /96 network: its first six 16-bit groups. */
export interface Nat64Network {
  readonly cidr: string;
  readonly groups: readonly number[];
}

const NAT64_PREFIX_LENGTH = 96;
const PREFIX_GROUPS = NAT64_PREFIX_LENGTH / 16;

/**
 * Parses the --nat64-networks values. ExternalDNS accepts /96 IPv6 prefixes
 * only (the IPv4 address must fill the last 32 bits) and refuses to start
 * otherwise; so does this (ExtdnsError naming the value and the fix).
 */
export function parseNat64Networks(cidrs: readonly string[]): Nat64Network[] {
  return cidrs.map((raw) => {
    const cidr = raw.trim();
    const [address = '', length = '', extra] = cidr.split('/');
    const ip = parseIp(address);
    if (ip === undefined || ip.zone !== '' || extra !== undefined || !/^\d{1,3}$/.test(length)) {
      throw new ExtdnsError(SourceErrors.EXTDNS_SOURCE_OPTION_INVALID, `--nat64-networks "${raw}" is not a network in CIDR form; write an IPv6 /96 prefix, e.g. "64:ff9b::/96"`);
    }
    if (ip.version !== 6 || Number(length) !== NAT64_PREFIX_LENGTH) {
      throw new ExtdnsError(
        SourceErrors.EXTDNS_SOURCE_OPTION_INVALID,
        `--nat64-networks "${raw}" is not an IPv6 /96 prefix; NAT64 networks must be /96 (the IPv4 address fills the last 32 bits), e.g. "64:ff9b::/96"`,
      );
    }
    return { cidr, groups: ip.parts.slice(0, PREFIX_GROUPS) };
  });
}

/**
 * The IPv4 address embedded in `target` when it is an IPv6 address inside one
 * of `networks`; undefined otherwise (other addresses, zoned addresses and
 * hostnames, e.g. the targets of an alias AAAA, are left alone).
 */
export function embeddedIpv4(target: string, networks: readonly Nat64Network[]): string | undefined {
  const ip = parseIp(target);
  if (ip === undefined || ip.version !== 6 || ip.zone !== '') return undefined;
  const inside = networks.some((n) => n.groups.every((g, i) => ip.parts[i] === g));
  if (!inside) return undefined;
  const hi = ip.parts[6] ?? 0;
  const lo = ip.parts[7] ?? 0;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/**
 * The endpoints with the NAT64 A records added. Where an A endpoint of the
 * same name and set identifier exists already (a dual-stack Service), the
 * embedded addresses join its targets instead of making a second A endpoint
 * with the same key, which the planner would have to choose between.
 */
export function addNat64Endpoints(endpoints: readonly Endpoint[], networks: readonly Nat64Network[]): Endpoint[] {
  if (networks.length === 0) return [...endpoints];
  const out = [...endpoints];
  const aIndex = new Map<string, number>();
  out.forEach((ep, i) => {
    if (ep.recordType === 'A' && !aIndex.has(endpointKey(ep))) aIndex.set(endpointKey(ep), i);
  });
  for (const ep of endpoints) {
    if (ep.recordType !== 'AAAA') continue;
    const v4Targets = ep.targets.map((t) => embeddedIpv4(t, networks)).filter((t) => t !== undefined);
    if (v4Targets.length === 0) continue;
    const key = endpointKey({ ...ep, recordType: 'A' });
    const at = aIndex.get(key);
    const existing = at === undefined ? undefined : out[at];
    if (at !== undefined && existing !== undefined) {
      const merged = cloneEndpoint(existing);
      for (const t of v4Targets) if (!merged.targets.includes(t)) merged.targets.push(t);
      out[at] = merged;
      continue;
    }
    const a = cloneEndpoint(ep);
    a.recordType = 'A';
    a.targets = [...new Set(v4Targets)];
    aIndex.set(key, out.length);
    out.push(a);
  }
  return out;
}
