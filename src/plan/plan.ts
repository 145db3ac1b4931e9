/**
 * The plan stage's interface. `calculate` (./calculate.ts) is pure: no I/O,
 * no clock, no logging; it turns current records and desired endpoints into
 * Changes.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';

/**
 * What a sync changes. JSON form (webhook `Changes`): each key omitted when
 * empty; updateOld[i] pairs with updateNew[i] (same name, type, set id).
 */
export interface Changes {
  create: Endpoint[];
  updateOld: Endpoint[];
  updateNew: Endpoint[];
  delete: Endpoint[];
}

export const POLICY_NAMES = ['sync', 'upsert-only', 'create-only'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface PlanInput {
  current: readonly Endpoint[];
  desired: readonly Endpoint[];
  policy: PolicyName;
  /** Every filter must match a name for it to be planned (--domain-filter set, provider/registry filter). */
  domainFilters: readonly DomainFilter[];
  /** --managed-record-types (default A, AAAA, CNAME). */
  managedRecordTypes: readonly string[];
  /** --exclude-record-types. */
  excludeRecordTypes: readonly string[];
  /** The registry's owner id; "" (noop registry) disables ownership checks. */
  ownerId: string;
  /** --migrate-from-txt-owner; "" when unset. */
  oldOwnerId: string;
}

export interface PlanResult {
  changes: Changes;
  /** Creates skipped because the row holds records of another owner (metric owner-mismatch). */
  skippedOwnerMismatch: { dnsName: string; recordType: string; foreignOwner: string }[];
}

export function emptyChanges(): Changes {
  return { create: [], updateOld: [], updateNew: [], delete: [] };
}
