/**
 * The one bisection of a batch a provider rejected for its content. A group is
 * a record together with its TXT ownership records: it is never split, so a
 * record never lands without its owner (or the reverse). Every good group is
 * still applied and each bad one is named; one bad group among n costs between
 * ⌈log₂ n⌉ and 2·⌈log₂ n⌉ extra calls (one per level when the fault is in the
 * right half, two when it is in the left half, whose good sibling must still
 * be sent).
 *
 * This works inside one provider's applyChanges, on the provider's own batches
 * (one Route53 ChangeBatch, one PowerDNS PATCH), where the API names the bad
 * batch and the good ones are applied. The controller's poison-pill split
 * (src/controller/isolate.ts) is the level above: when a provider refuses the
 * whole apply and applies none of it (the webhook, one zone-file write), it
 * splits the plan by name and remembers refused units across syncs.
 */

export interface RejectedGroup<G> {
  group: G;
  /** The provider's own reason. */
  error: string;
}

export interface BisectResult<G> {
  applied: G[];
  rejected: RejectedGroup<G>[];
  /** Calls made, the first one included. */
  calls: number;
}

/**
 * Sends `groups` as one batch with `send`, which answers the rejection reason
 * (or undefined when the batch was applied); any other failure of `send` throws.
 */
export async function sendBisecting<G>(groups: readonly G[], send: (batch: readonly G[]) => Promise<string | undefined>): Promise<BisectResult<G>> {
  const result: BisectResult<G> = { applied: [], rejected: [], calls: 0 };
  const attempt = async (batch: readonly G[]): Promise<string | undefined> => {
    result.calls++;
    const error = await send(batch);
    if (error === undefined) result.applied.push(...batch);
    return error;
  };
  const tryGroups = async (batch: readonly G[]): Promise<void> => {
    const error = await attempt(batch);
    if (error !== undefined) await isolate(batch, error);
  };
  /** `batch` is known to be rejected as a whole with `error`. */
  const isolate = async (batch: readonly G[], error: string): Promise<void> => {
    const [first] = batch;
    if (batch.length === 1 && first !== undefined) {
      result.rejected.push({ group: first, error });
      return;
    }
    const half = Math.ceil(batch.length / 2);
    const left = batch.slice(0, half);
    const right = batch.slice(half);
    const leftError = await attempt(left);
    if (leftError === undefined) {
      // The left half went in alone, so the fault is in the right half: no need to send it whole.
      await isolate(right, error);
      return;
    }
    await isolate(left, leftError);
    await tryGroups(right);
  };
  if (groups.length > 0) await tryGroups(groups);
  return result;
}
