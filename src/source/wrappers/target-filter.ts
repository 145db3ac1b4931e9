/**
 * --target-net-filter / --exclude-target-net: keep only targets inside one of
 * the filter networks (when any is given) and outside every excluded network.
 * Non-IP targets never fall inside a network: with a filter set they are
 * dropped, with only exclusions they stay. An endpoint left without targets is dropped.
 */
import { BlockList, isIP } from 'node:net';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { SourceErrors } from '../errors.ts';

export interface TargetNetFilterOptions {
  targetNetFilter: readonly string[];
  excludeTargetNets: readonly string[];
}

export interface TargetNetFilter {
  readonly enabled: boolean;
  match(target: string): boolean;
}

/** Throws ExtdnsError when a network is not in CIDR form. */
export function createTargetNetFilter(options: TargetNetFilterOptions): TargetNetFilter {
  const include = networks(options.targetNetFilter, '--target-net-filter');
  const exclude = networks(options.excludeTargetNets, '--exclude-target-net');
  return {
    enabled: include !== undefined || exclude !== undefined,
    match: (target) => (include === undefined || contains(include, target)) && (exclude === undefined || !contains(exclude, target)),
  };
}

export function filterTargets(endpoints: readonly Endpoint[], filter: TargetNetFilter): Endpoint[] {
  if (!filter.enabled) return [...endpoints];
  const out: Endpoint[] = [];
  for (const ep of endpoints) {
    const targets = ep.targets.filter((t) => filter.match(t));
    if (targets.length > 0) out.push({ ...ep, targets });
  }
  return out;
}

function contains(list: BlockList, target: string): boolean {
  const family = isIP(target);
  if (family === 0) return false;
  return list.check(target, family === 4 ? 'ipv4' : 'ipv6');
}

function networks(cidrs: readonly string[], flag: string): BlockList | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  for (const raw of cidrs) {
    const cidr = raw.trim();
    const [address = '', prefixText = '', extra] = cidr.split('/');
    const family = isIP(address);
    const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
    if (family === 0 || extra !== undefined || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new ExtdnsError(SourceErrors.EXTDNS_SOURCE_OPTION_INVALID, `${flag} "${raw}" is not a network in CIDR form; write e.g. "10.0.0.0/8" or "2001:db8::/32"`);
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}
