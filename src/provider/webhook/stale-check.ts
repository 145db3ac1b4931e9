/**
 * A change set planned from records that have changed since is refused
 * whole: every updateOld and delete must name a record set the provider
 * holds (name, type, set identifier) with the same targets, compared as the
 * planner compares them (order, case, trailing dot, IPv6 spelling aside).
 * Otherwise a stale update would overwrite a concurrent edit, and a stale
 * delete remove a record someone else just changed. TTLs are not compared.
 *
 * Ownership TXT records (TXT with an `ownedRecord` label) are exempt: the TXT
 * registry of ExternalDNS and extdns rebuilds them from the owner's labels
 * rather than reading them (with --migrate-from-txt-owner it even writes the
 * new owner into the "old" value), so they need not match; their data record
 * beside them in the same change set is checked.
 */
import { describeEndpoint, LabelKey, trimTrailingDot, type Endpoint } from '../../endpoint/endpoint.ts';
import { sameTargets } from '../../endpoint/targets.ts';
import type { Changes } from '../../plan/plan.ts';
import { summarize } from './request-check.ts';
import { eachSliced, type Sliced } from '../../util/sliced.ts';

function heldKey(ep: Endpoint): string {
  return `${trimTrailingDot(ep.dnsName).toLowerCase()}\u0000${ep.recordType.toUpperCase()}\u0000${ep.setIdentifier}`;
}

function isRebuiltOwnershipRecord(ep: Endpoint): boolean {
  return ep.recordType === 'TXT' && (ep.labels[LabelKey.ownedRecord] ?? '') !== '';
}

/** True when the change set removes or replaces records, so what is held must be read first. */
export function touchesHeldRecords(changes: Changes): boolean {
  const checked = (ep: Endpoint): boolean => !isRebuiltOwnershipRecord(ep);
  return changes.updateOld.some(checked) || changes.delete.some(checked);
}

/** Why the change set no longer fits what the provider holds; undefined when it does. */
export function* staleProblem(changes: Changes, held: readonly Endpoint[]): Sliced<string | undefined> {
  const byKey = new Map<string, Endpoint>();
  yield* eachSliced(held, (ep) => byKey.set(heldKey(ep), ep));
  const problems: string[] = [];
  for (const list of ['updateOld', 'delete'] as const) {
    yield* eachSliced([...changes[list].entries()], ([i, ep]) => {
      if (isRebuiltOwnershipRecord(ep)) return;
      const current = byKey.get(heldKey(ep));
      if (current === undefined) problems.push(`${list}[${i}] ${describeEndpoint(ep)}: the provider holds no such record set`);
      else if (!sameTargets(current.targets, ep.targets)) {
        problems.push(`${list}[${i}] ${describeEndpoint(ep)}: the provider now holds [${current.targets.join(' ')}]`);
      }
    });
  }
  return summarize(problems);
}
