/**
 * Writes one zone's change groups: one PATCH for all of them (split only when
 * the body would pass the size limit). When PowerDNS rejects a PATCH for its
 * content, the groups are bisected (../kit/bisect.ts) so that every good group
 * is still applied and each bad one is found.
 */
import type { PdnsClient } from './client.ts';
import { patchBody, type ChangeGroup } from './changes.ts';
import { sendBisecting, type RejectedGroup as KitRejectedGroup } from '../kit/bisect.ts';
import { drain, paced, SliceCounter, type Sliced } from '../../util/sliced.ts';

/** PowerDNS has no hard limit; 2 MB keeps clear of typical proxy and webserver body limits. */
export const MAX_PATCH_BYTES = 2 * 1024 * 1024;

export type RejectedGroup = KitRejectedGroup<ChangeGroup>;

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
  /** Told after each PATCH body which groups it applied (the provider's progress hook). */
  landed?: ((applied: readonly ChangeGroup[]) => void) | undefined;
}

/** Applies the groups; rejections are returned, every other failure (5xx, network, auth) throws. */
export async function applyZoneGroups(input: ZoneApplyInput): Promise<ZoneApplyResult> {
  const result: ZoneApplyResult = { applied: [], rejected: [], patches: 0 };
  const send = async (groups: readonly ChangeGroup[]): Promise<string | undefined> =>
    (await input.client.patchZone(input.zoneId, patchBody(groups), input.signal))?.error;
  for (const chunk of await paced(chunkBySizeSliced(input.groups, input.maxBytes ?? MAX_PATCH_BYTES))) {
    const sent = await sendBisecting(chunk, send);
    result.applied.push(...sent.applied);
    result.rejected.push(...sent.rejected);
    result.patches += sent.calls;
    input.landed?.(sent.applied);
  }
  return result;
}

/** Packs groups, in order, into bodies under the byte limit (a group is never split). */
export function chunkBySize(groups: readonly ChangeGroup[], maxBytes: number): ChangeGroup[][] {
  return drain(chunkBySizeSliced(groups, maxBytes));
}

/** chunkBySize a slice at a time (each group is measured as JSON). */
export function* chunkBySizeSliced(groups: readonly ChangeGroup[], maxBytes: number): Sliced<ChangeGroup[][]> {
  const chunks: ChangeGroup[][] = [];
  let current: ChangeGroup[] = [];
  let size = 0;
  const slice = new SliceCounter();
  for (const group of groups) {
    if (slice.full()) yield;
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
