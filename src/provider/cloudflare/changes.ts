/**
 * A plan's Changes → Cloudflare batch operations, per zone, in groups that
 * travel together (a record and its TXT ownership records share a group, keyed
 * by the name the TXT owns). Updates reuse the existing records' ids (PATCH),
 * so an unchanged value is never deleted and posted again.
 */
import { describeEndpoint, LabelKey, type Endpoint } from '../../endpoint/endpoint.ts';
import type { Changes } from '../../plan/plan.ts';
import { ownedName } from '../kit/records.ts';
import type { CfBatch, CfCustomHostname, CfRecord, CfRecordInput, CfRegionalHostname, CfZone } from './api.ts';
import { commentFor, contentKey, recordInputs, recordKey, targetOf } from './mapping.ts';

export interface ZoneState {
  zone: CfZone;
  /** `name/TYPE` → the zone's records of that name and type. */
  records: Map<string, CfRecord[]>;
  /** Read when --cloudflare-custom-hostnames is on. */
  customHostnames?: CfCustomHostname[] | undefined;
  /** Read when Regional Services are on and the zone holds A, AAAA or CNAME records. */
  regionalHostnames?: CfRegionalHostname[] | undefined;
}

export interface OpGroup {
  name: string;
  descriptions: string[];
  ops: CfBatch;
}

export interface ZoneOps {
  zone: CfZone;
  groups: OpGroup[];
}

export interface WriteSettings {
  proxiedByDefault: boolean;
  /** --cloudflare-record-comment, for endpoints that name no comment of their own. */
  comment: string;
}

export interface BuiltChanges {
  zones: ZoneOps[];
  /** Strictness violations (docs/safety.md rule 8): nothing may be written when any. */
  stale: string[];
  /** Endpoints whose targets Cloudflare cannot take (a malformed MX or SRV): left out, named in the error. */
  invalid: string[];
  /** Comments cut to the zone plan's limit (warned: planned again each sync until shortened, though the cut comment is not rewritten). */
  trimmed: string[];
}

export function buildChanges(changes: Changes, states: readonly ZoneState[], settings: WriteSettings): BuiltChanges {
  const zones = new Map<string, { state: ZoneState; groups: Map<string, OpGroup> }>();
  const out: BuiltChanges = { zones: [], stale: [], invalid: [], trimmed: [] };
  const groupFor = (ep: Endpoint): { state: ZoneState; group: OpGroup } | undefined => {
    const state = zoneOf(ep.dnsName, states);
    if (state === undefined) return undefined;
    let z = zones.get(state.zone.id);
    if (z === undefined) zones.set(state.zone.id, z = { state, groups: new Map() });
    const name = ownedName(ep);
    let group = z.groups.get(name);
    if (group === undefined) z.groups.set(name, group = { name, descriptions: [], ops: { deletes: [], patches: [], posts: [] } });
    group.descriptions.push(describeEndpoint(ep));
    return { state, group };
  };
  const inputs = (ep: Endpoint, state: ZoneState): CfRecordInput[] | undefined => {
    const { comment, trimmed } = commentFor(ep, settings.comment, state.zone.paid);
    if (trimmed) out.trimmed.push(describeEndpoint(ep));
    try {
      return recordInputs(ep, settings.proxiedByDefault, comment);
    } catch (err) {
      out.invalid.push(`${describeEndpoint(ep)}: ${(err as Error).message}`);
      return undefined;
    }
  };
  for (const ep of changes.create) {
    const at = groupFor(ep);
    if (at === undefined) continue;
    const current = at.state.records.get(recordKey(ep.dnsName, ep.recordType));
    if (current !== undefined) {
      out.stale.push(`cannot create ${describeEndpoint(ep)}: zone ${at.state.zone.name} already holds [${current.map(targetOf).join(' ')}] there`);
      continue;
    }
    at.group.ops.posts.push(...inputs(ep, at.state) ?? []);
  }
  for (const ep of changes.delete) {
    const at = groupFor(ep);
    if (at === undefined) continue;
    const problem = deleteProblem(ep, at.state);
    if (problem !== undefined) out.stale.push(problem);
    else at.group.ops.deletes.push(...(at.state.records.get(recordKey(ep.dnsName, ep.recordType)) ?? []).map((r) => ({ id: r.id })));
  }
  changes.updateNew.forEach((ep, i) => {
    const at = groupFor(ep);
    if (at === undefined) return;
    const old = changes.updateOld[i];
    const oldKey = old === undefined ? recordKey(ep.dnsName, ep.recordType) : recordKey(old.dnsName, old.recordType);
    const current = at.state.records.get(oldKey) ?? [];
    if (current.length === 0) {
      out.stale.push(`cannot update ${describeEndpoint(ep)}: no such record in zone ${at.state.zone.name}`);
      return;
    }
    const wanted = inputs(ep, at.state);
    if (wanted !== undefined) addUpdate(at.group.ops, current, wanted.map((input, j) => ({ target: ep.targets[j] ?? '', input })));
  });
  out.zones = [...zones.values()].map(({ state, groups }) => ({ zone: state.zone, groups: [...groups.values()].filter((g) => size(g) > 0) }))
    .filter((z) => z.groups.length > 0);
  return out;
}

export function size(g: OpGroup): number {
  return g.ops.deletes.length + g.ops.patches.length + g.ops.posts.length;
}

function deleteProblem(ep: Endpoint, state: ZoneState): string | undefined {
  const current = state.records.get(recordKey(ep.dnsName, ep.recordType));
  if (current === undefined) return `cannot delete ${describeEndpoint(ep)}: no such record in zone ${state.zone.name}`;
  // The registry rebuilds ownership TXTs from labels, so their text may differ from what is stored: by name is exact enough there.
  if (ep.recordType === 'TXT' && (ep.labels[LabelKey.ownedRecord] ?? '') !== '') return undefined;
  const want = ep.targets.map((t) => contentKey(ep.recordType, t)).sort().join(' ');
  const have = current.map((r) => contentKey(r.type, targetOf(r))).sort().join(' ');
  return want === have ? undefined : `cannot delete ${describeEndpoint(ep)}: zone ${state.zone.name} holds [${current.map(targetOf).join(' ')}] there`;
}

/** Keeps records whose value stays (patched only when TTL, proxied, comment or tags change), reuses the ids of the others, deletes the rest. */
function addUpdate(ops: CfBatch, current: readonly CfRecord[], wanted: readonly { target: string; input: CfRecordInput }[]): void {
  const spare = [...current];
  const unmatched: CfRecordInput[] = [];
  for (const { target, input } of wanted) {
    const i = spare.findIndex((r) => r.type === input.type && contentKey(r.type, targetOf(r)) === contentKey(input.type, target));
    const match = spare[i];
    if (match === undefined) {
      unmatched.push(input);
      continue;
    }
    spare.splice(i, 1);
    if (!sameSettings(match, input)) ops.patches.push({ ...input, id: match.id });
  }
  for (const w of unmatched) {
    const reuse = spare.shift();
    if (reuse === undefined) ops.posts.push(w);
    else ops.patches.push({ ...w, id: reuse.id });
  }
  ops.deletes.push(...spare.map((r) => ({ id: r.id })));
}

function sameSettings(r: CfRecord, w: CfRecordInput): boolean {
  return r.ttl === w.ttl && (r.proxied === true) === w.proxied && (r.comment ?? '') === w.comment
    && [...(r.tags ?? [])].sort().join(',') === w.tags.join(',');
}

/** The zone a name belongs to: the longest zone name it ends with. */
export function zoneOf(name: string, states: readonly ZoneState[]): ZoneState | undefined {
  const n = name.toLowerCase();
  let best: ZoneState | undefined;
  for (const s of states) {
    const z = s.zone.name.toLowerCase();
    if ((n === z || n.endsWith(`.${z}`)) && (best === undefined || z.length > best.zone.name.length)) best = s;
  }
  return best;
}

/** Merges groups into one batch body. */
export function mergeOps(groups: readonly OpGroup[]): CfBatch {
  return {
    deletes: groups.flatMap((g) => g.ops.deletes),
    patches: groups.flatMap((g) => g.ops.patches),
    posts: groups.flatMap((g) => g.ops.posts),
  };
}

/** Splits groups into batches of at most `limit` operations (a group is never split; a larger one travels alone). */
export function batches(groups: readonly OpGroup[], limit: number): OpGroup[][] {
  const out: OpGroup[][] = [];
  let cur: OpGroup[] = [];
  let n = 0;
  for (const g of groups) {
    if (cur.length > 0 && n + size(g) > limit) {
      out.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(g);
    n += size(g);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
