/**
 * Writes one zone's change groups: one PATCH for all of them (split only when
 * the body would pass the size limit). When PowerDNS rejects a PATCH for its
 * content, the groups are bisected so that every good group is still applied
 * and each bad one is found: one bad group among n costs between ⌈log₂ n⌉ and
 * 2·⌈log₂ n⌉ extra calls (one per level when the fault is in the right half,
 * two when it is in the left half, whose good sibling must still be sent).
 */
import type { PdnsClient } from './client.ts';
import { patchBody, type ChangeGroup } from './changes.ts';

/** PowerDNS has no hard limit; 2 MB keeps clear of typical proxy and webserver body limits. */
export const MAX_PATCH_BYTES = 2 * 1024 * 1024;

export interface RejectedGroup {
  group: ChangeGroup;
  /** PowerDNS's own error text. */
  error: string;
}

export interface ZoneApplyResult {
  applied: ChangeGroup[];
  rejected: RejectedGroup[];
  patches: number;
}

export interface ZoneApplyInput {
  client: PdnsClient;
  zoneId: string;
  groups: readonly ChangeGroup[];
  signal: AbortSignal;
  maxBytes?: number;
}

/** Applies the groups; rejections are returned, every other failure (5xx, network, auth) throws. */
export async function applyZoneGroups(input: ZoneApplyInput): Promise<ZoneApplyResult> {
  const result: ZoneApplyResult = { applied: [], rejected: [], patches: 0 };
  const send = async (groups: readonly ChangeGroup[]): Promise<string | undefined> => {
    result.patches++;
    const rejection = await input.client.patchZone(input.zoneId, patchBody(groups), input.signal);
    if (rejection === undefined) result.applied.push(...groups);
    return rejection?.error;
  };
  const tryGroups = async (groups: readonly ChangeGroup[]): Promise<void> => {
    const error = await send(groups);
    if (error !== undefined) await isolate(groups, error);
  };
  /** `groups` is known to be rejected as a whole with `error`. */
  const isolate = async (groups: readonly ChangeGroup[], error: string): Promise<void> => {
    const [first] = groups;
    if (groups.length === 1 && first !== undefined) {
      result.rejected.push({ group: first, error });
      return;
    }
    const half = Math.ceil(groups.length / 2);
    const left = groups.slice(0, half);
    const right = groups.slice(half);
    const leftError = await send(left);
    if (leftError === undefined) {
      // The left half went in alone, so the fault is in the right half: no need to send it whole.
      await isolate(right, error);
      return;
    }
    await isolate(left, leftError);
    await tryGroups(right);
  };
  for (const chunk of chunkBySize(input.groups, input.maxBytes ?? MAX_PATCH_BYTES)) await tryGroups(chunk);
  return result;
}

/** Packs groups, in order, into bodies under the byte limit (a group is never split). */
export function chunkBySize(groups: readonly ChangeGroup[], maxBytes: number): ChangeGroup[][] {
  const chunks: ChangeGroup[][] = [];
  let current: ChangeGroup[] = [];
  let size = 0;
  for (const group of groups) {
    const cost = JSON.stringify(group.changes.map((c) => c.change)).length;
    if (current.length > 0 && size + cost > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(group);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
