/**
 * Plan policies (`--policy`, ExternalDNS `plan/policy.go`): what a sync may do
 * with the changes the planner found. Each returns a new Changes and leaves
 * its input alone.
 */
import type { Changes, PolicyName } from './plan.ts';

export type Policy = (changes: Changes) => Changes;

export const POLICIES: Readonly<Record<PolicyName, Policy>> = {
  /** Everything: creates, updates and deletes. */
  sync: (changes) => ({ ...changes }),
  /** Creates and updates; nothing is ever deleted. */
  'upsert-only': (changes) => ({ ...changes, delete: [] }),
  /** Creates only; existing records are never changed or deleted. */
  'create-only': (changes) => ({ create: changes.create, updateOld: [], updateNew: [], delete: [] }),
};

export function applyPolicy(name: PolicyName, changes: Changes): Changes {
  return POLICIES[name](changes);
}
