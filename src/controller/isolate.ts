/**
 * Poison-pill isolation (issue 12 item 3): when the provider refuses a batch
 * for its content and applies none of it (an error of kind 'refused-change'),
 * the batch is split in halves until the refused changes stand alone; the
 * rest is applied. A unit is every change to one name, so a record, its
 * ownership TXT (added by the registry per call) and a type change at that
 * name always travel together.
 *
 * A refused unit is remembered and never sent again while the plan keeps
 * asking for exactly the same change; a different change at that name (the
 * object was fixed) is tried again. Transient errors are not split: they
 * propagate and the sync backs off.
 */
import { errorMessage, isRefusedChange } from '../errors/errors.ts';
import { emptyChanges, type Changes } from '../plan/plan.ts';
import type { Refusal } from '../registry/registry.ts';
import type { Endpoint } from '../endpoint/endpoint.ts';

type Unit = Changes;

/** Groups the changes by lower-cased name; update pairs stay paired. */
export function splitIntoUnits(changes: Changes): Unit[] {
  const byName = new Map<string, Unit>();
  const unit = (ep: Endpoint): Unit => {
    const key = ep.dnsName.toLowerCase();
    let u = byName.get(key);
    if (u === undefined) byName.set(key, (u = emptyChanges()));
    return u;
  };
  for (const ep of changes.create) unit(ep).create.push(ep);
  changes.updateNew.forEach((ep, i) => {
    const old = changes.updateOld[i];
    const u = unit(ep);
    u.updateNew.push(ep);
    if (old !== undefined) u.updateOld.push(old);
  });
  for (const ep of changes.delete) unit(ep).delete.push(ep);
  return [...byName.values()];
}

export function joinUnits(units: readonly Unit[]): Changes {
  const out = emptyChanges();
  for (const u of units) {
    out.create.push(...u.create);
    out.updateOld.push(...u.updateOld);
    out.updateNew.push(...u.updateNew);
    out.delete.push(...u.delete);
  }
  return out;
}

function signature(unit: Unit): string {
  const ep = (e: Endpoint): unknown[] => [e.dnsName, e.recordType, e.setIdentifier, e.recordTTL, e.targets, e.providerSpecific];
  return JSON.stringify([unit.create.map(ep), unit.updateOld.map(ep), unit.updateNew.map(ep), unit.delete.map(ep)]);
}

function refusalsOf(unit: Unit, reason: string): Refusal[] {
  return [...unit.create, ...unit.updateNew, ...unit.delete].map((endpoint) => ({ endpoint, reason }));
}

export interface IsolatedOutcome {
  /** What the provider accepted. */
  applied: Changes;
  /** Changes the provider refused, this sync or in an earlier one. */
  refused: Refusal[];
  /** The units refused this sync, with the provider's error (events, logs). */
  newlyRefused: { changes: Changes; error: unknown }[];
}

export class PoisonPills {
  /** Signature of a refused unit → the provider's reason. */
  #refused = new Map<string, string>();

  /** Applies `changes`, isolating refused units; rethrows any other error. */
  async apply(changes: Changes, applyFn: (c: Changes) => Promise<void>): Promise<IsolatedOutcome> {
    const outcome: IsolatedOutcome = { applied: emptyChanges(), refused: [], newlyRefused: [] };
    const still = new Map<string, string>();
    const toSend: Unit[] = [];
    for (const unit of splitIntoUnits(changes)) {
      const sig = signature(unit);
      const reason = this.#refused.get(sig);
      if (reason === undefined) {
        toSend.push(unit);
        continue;
      }
      still.set(sig, reason);
      outcome.refused.push(...refusalsOf(unit, `refused by the provider in an earlier sync and not retried until it changes: ${reason}`));
    }
    // Forget refusals the plan no longer asks for.
    this.#refused = still;
    const accepted: Unit[] = [];
    if (toSend.length > 0) await this.#send(toSend, applyFn, { accepted, outcome });
    outcome.applied = joinUnits(accepted);
    return outcome;
  }

  async #send(units: Unit[], applyFn: (c: Changes) => Promise<void>, out: { accepted: Unit[]; outcome: IsolatedOutcome }): Promise<void> {
    const batch = joinUnits(units);
    try {
      await applyFn(batch);
      out.accepted.push(...units);
      return;
    } catch (error) {
      if (!isRefusedChange(error)) throw error;
      const only = units.length === 1 ? units[0] : undefined;
      if (only !== undefined) {
        const reason = errorMessage(error);
        this.#refused.set(signature(only), reason);
        out.outcome.refused.push(...refusalsOf(only, `the provider refused it: ${reason}`));
        out.outcome.newlyRefused.push({ changes: only, error });
        return;
      }
    }
    const mid = Math.ceil(units.length / 2);
    await this.#send(units.slice(0, mid), applyFn, out);
    await this.#send(units.slice(mid), applyFn, out);
  }
}
