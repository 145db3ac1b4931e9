/**
 * Comparing and ordering endpoint targets (ExternalDNS `Targets.Same`,
 * `Targets.IsLess`, `SuitableType`).
 *
 * `sameTargets` decides whether the planner sees a target change, so it must
 * not report differences a provider introduces by normalising: order, letter
 * case, a trailing dot, or another spelling of the same IPv6 address. A false
 * "different" here is churn on every sync (docs/safety.md, rule 4).
 *
 * Ordering is a total order (IPs before hostnames, IPs numerically, the rest
 * by code unit) so that the conflict resolver picks the same candidate
 * whatever order the sources listed them in.
 */
import { canonicalIp, compareIps, parseIp } from './ip.ts';

export { canonicalIp, isIp, isIpv4, isIpv6 } from './ip.ts';

/** The form two targets are compared in: trailing dot removed, lower case, canonical IP text. */
export function targetComparisonKey(target: string): string {
  const trimmed = target.endsWith('.') ? target.slice(0, -1) : target;
  return canonicalIp(trimmed) ?? trimmed.toLowerCase();
}

/** True when both lists hold the same targets, ignoring order, case, trailing dots and IPv6 spelling. */
export function sameTargets(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  // Fast path for the converged case: identical lists in the same order.
  if (a.every((t, i) => t === b[i])) return true;
  if (a.length === 1) return targetComparisonKey(a[0] ?? '') === targetComparisonKey(b[0] ?? '');
  const left = a.map(targetComparisonKey).sort();
  const right = b.map(targetComparisonKey).sort();
  for (let i = 0; i < left.length; i++) {
    if (left[i] !== right[i]) return false;
  }
  return true;
}

/** Orders two single targets: IPs first (numerically), then everything else by code unit. */
export function compareTarget(a: string, b: string): number {
  if (a === b) return 0;
  const ipA = parseIp(a);
  const ipB = parseIp(b);
  if (ipA !== undefined && ipB !== undefined) {
    const byValue = compareIps(ipA, ipB);
    if (byValue !== 0) return byValue;
  } else if (ipA !== undefined) {
    return -1;
  } else if (ipB !== undefined) {
    return 1;
  }
  return a < b ? -1 : 1;
}

/** A sorted copy (see compareTarget); the input is left alone. */
export function sortTargets(targets: readonly string[]): string[] {
  return [...targets].sort(compareTarget);
}

/**
 * Orders two target lists: the shorter list first; lists of equal length by
 * their first differing target after sorting both.
 */
export function compareTargetLists(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) return a.length - b.length;
  if (a.length === 1) return compareTarget(a[0] ?? '', b[0] ?? '');
  const left = sortTargets(a);
  const right = sortTargets(b);
  for (let i = 0; i < left.length; i++) {
    const order = compareTarget(left[i] ?? '', right[i] ?? '');
    if (order !== 0) return order;
  }
  return 0;
}

/** ExternalDNS `Targets.IsLess`: true when `a` sorts strictly before `b`. */
export function isLessTargets(a: readonly string[], b: readonly string[]): boolean {
  return compareTargetLists(a, b) < 0;
}

/** The record type a bare target needs: IPv4 → A, IPv6 (IPv4-mapped too) → AAAA, anything else → CNAME. */
export function suitableType(target: string): 'A' | 'AAAA' | 'CNAME' {
  const ip = parseIp(target);
  if (ip === undefined) return 'CNAME';
  return ip.version === 4 ? 'A' : 'AAAA';
}
