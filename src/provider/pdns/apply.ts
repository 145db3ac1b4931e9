/**
 * Writes one zone's change groups: one PATCH for all of them (split only when
 * the body would pass the size limit; the whole body is serialised once, and
 * measured by that text, so the usual single PATCH costs one serialisation). When PowerDNS rejects a PATCH for its
 * content, the groups are bisected (../kit/bisect.ts) so that every good group
 * is still applied and each bad one is found.
 */
import { rrsetPatch, type PdnsClient } from './client.ts';
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
  const maxBytes = input.maxBytes ?? MAX_PATCH_BYTES;
  // Serialised once when it may fit; bisection's first attempt at the whole sends that text.
  const whole = jsonLowerBound(input.groups) <= maxBytes ? rrsetPatch(patchBody(input.groups)) : undefined;
  const send = async (groups: readonly ChangeGroup[]): Promise<string | undefined> =>
    (await input.client.patchZone(input.zoneId, groups === input.groups && whole !== undefined ? whole : rrsetPatch(patchBody(groups)), input.signal))?.error;
  const fits = whole !== undefined && whole.json.length <= maxBytes;
  const chunks = fits ? [input.groups] : await paced(chunkBySizeSliced(input.groups, maxBytes));
  for (const chunk of chunks) {
    const sent = await sendBisecting(chunk, send);
    result.applied.push(...sent.applied);
    result.rejected.push(...sent.rejected);
    result.patches += sent.calls;
    input.landed?.(sent.applied);
  }
  return result;
}

/** JSON of the shortest change (`{"name":"","type":"","changetype":"DELETE"}`) and of the shortest record. */
const MIN_CHANGE_JSON = 42;
const MIN_RECORD_JSON = 31;

/** A length the groups' PATCH body cannot be shorter than, without serialising it. */
export function jsonLowerBound(groups: readonly ChangeGroup[]): number {
  let n = 0;
  for (const group of groups) {
    for (const { change } of group.changes) {
      n += MIN_CHANGE_JSON + change.name.length + change.type.length;
      for (const r of change.records ?? []) n += MIN_RECORD_JSON + r.content.length;
    }
  }
  return n;
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
