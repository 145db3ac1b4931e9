/**
 * The plan's decision for one name and why, with what would change it:
 * policy (sync, upsert-only, create-only), ownership (this owner id, another,
 * nobody), the conflict rules (one candidate per record set), the guards
 * (delete brake, source fence) and the checks before the plan (refusals).
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { Changes } from '../plan/plan.ts';
import type { Refusal } from '../registry/registry.ts';
import type { SyncResult } from '../controller/controller.ts';
import type { FilterVerdict, HeldRecord, SourceAsk } from './explain.ts';

export interface Decision {
  recordType: string;
  action: 'create' | 'update' | 'delete' | 'none' | 'skip' | 'held' | 'refused';
  why: string;
}

export interface DecideInput {
  name: string;
  policy: string;
  ownerId: string;
  sources: readonly SourceAsk[];
  provider: readonly HeldRecord[];
  filters: readonly FilterVerdict[];
  /** The plan before the guards, and what the guards let through, for this name only. */
  planned: Changes;
  applied: Changes;
  skipped: readonly { recordType: string; foreignOwner: string }[];
  refused: readonly Refusal[];
  result: SyncResult;
}

const targets = (e: Endpoint): string => e.targets.join(' ');

export function decide(input: DecideInput): { decisions: Decision[]; hints: string[] } {
  const decisions: Decision[] = [];
  const hints = new Set<string>();
  changeDecisions(input, decisions, hints);
  for (const s of input.skipped) {
    decisions.push({ recordType: s.recordType, action: 'skip', why: skipWhy(s.foreignOwner) });
    hints.add(takeOverHint(s.foreignOwner));
  }
  for (const r of input.refused) {
    decisions.push({ recordType: r.endpoint.recordType, action: 'refused', why: `refused before the plan: ${r.reason}` });
    hints.add('Fix the source object so that the record is valid; the rest of the plan goes ahead without it.');
  }
  if (decisions.length === 0) decisions.push(...quietDecisions(input, hints));
  filterHints(input, hints);
  return { decisions, hints: [...hints] };
}

function changeDecisions(input: DecideInput, decisions: Decision[], hints: Set<string>): void {
  const { planned, applied } = input;
  for (const e of applied.create) decisions.push({ recordType: e.recordType, action: 'create', why: `a source asks for ${targets(e)} and the provider holds no ${e.recordType} record for the name` });
  applied.updateNew.forEach((e, i) => {
    const old = applied.updateOld[i];
    decisions.push({ recordType: e.recordType, action: 'update', why: `owned by this owner id; the provider holds ${old === undefined ? '?' : targets(old)}, the sources ask for ${targets(e)}` });
  });
  for (const e of applied.delete) {
    decisions.push({ recordType: e.recordType, action: 'delete', why: `owned by this owner id, no source asks for it any more, and --policy=${input.policy} deletes` });
    hints.add('Keep a source object that names it, or run with --policy=upsert-only, and the record stays.');
  }
  const appliedDeletes = new Set(applied.delete.map((e) => e.recordType));
  for (const e of planned.delete.filter((d) => !appliedDeletes.has(d.recordType))) {
    const { held, failedSources } = input.result;
    if (failedSources.length > 0) {
      decisions.push({ recordType: e.recordType, action: 'held', why: `the delete is fenced: source(s) ${failedSources.join(', ')} failed, so nothing is deleted this sync` });
      hints.add('Fix the failing sources; the delete goes out once every source answers.');
    } else if (held !== undefined) {
      decisions.push({ recordType: e.recordType, action: 'held', why: `the delete brake holds this sync's ${held.count} deletes (limit ${held.limit})` });
      hints.add(`The deletes go out at ${new Date(held.releaseAt).toISOString()} if still planned; restart with --allow-mass-delete to apply them now.`);
    }
  }
}

function takeOverHint(owner: string): string {
  return owner === ''
    ? 'Delete the hand-made record (or give it this owner\'s ownership TXT) to let extdns manage it.'
    : `The name belongs to the owner id "${owner}": manage it from that instance, or take it over with --migrate-from-txt-owner=${owner}.`;
}

function skipWhy(foreignOwner: string): string {
  return foreignOwner === ''
    ? 'not touched: the provider holds a record for the name with no ownership TXT (made by hand or by another tool); extdns never changes records it does not own'
    : `not touched: the owner id "${foreignOwner}" holds the name; extdns never changes records another owner holds`;
}

/** No change planned: say why the name is as it is. */
function quietDecisions(input: DecideInput, hints: Set<string>): Decision[] {
  const kept = input.sources.filter((s) => s.kept);
  const domainDrops = input.filters.some((f) => f.filter === 'domain filter' && f.verdict === 'drops');
  if (kept.length > 0) {
    if (domainDrops) return [{ recordType: kept[0]?.recordType ?? '', action: 'none', why: 'ignored: the name is outside the domain filter' }];
    for (const p of input.provider) if (p.ownedBy !== 'this' && kept.some((s) => s.recordType === p.recordType)) hints.add(takeOverHint(p.owner));
    return kept.map((s) => ({ recordType: s.recordType, action: 'none' as const, why: quietWhy(s, input) }));
  }
  const ours = input.provider.filter((p) => p.ownedBy === 'this');
  if (ours.length > 0) {
    if (input.policy !== 'sync') hints.add('Run with --policy=sync to delete records no source asks for.');
    return ours.map((p) => ({ recordType: p.recordType, action: 'none' as const,
      why: input.policy === 'sync' ? 'owned by this owner id and no source asks for it, but the plan does not delete it (see the filters)' : `kept: --policy=${input.policy} never deletes` }));
  }
  if (input.provider.length > 0) {
    return input.provider.map((p) => ({ recordType: p.recordType, action: 'none' as const,
      why: p.ownedBy === 'none' ? 'left alone: no source asks for it and it has no ownership record' : `left alone: owned by "${p.owner}", not by this owner id` }));
  }
  hints.add(`No source asks for ${input.name}: name it in a Service's external-dns.kubernetes.io/hostname annotation, an Ingress rule host, a Gateway route's hostnames or a DNSEndpoint.`);
  return [{ recordType: '', action: 'none', why: 'no source asks for this name and the provider holds nothing for it' }];
}

function quietWhy(s: SourceAsk, input: DecideInput): string {
  const typeDrop = input.filters.find((f) => f.filter === `record type ${s.recordType}` && f.verdict === 'drops');
  if (typeDrop !== undefined) return `ignored: record type ${s.recordType} is ${typeDrop.detail}`;
  const held = input.provider.find((p) => p.recordType === s.recordType);
  if (held === undefined) {
    return input.policy === 'create-only' || input.policy === 'upsert-only' || input.policy === 'sync'
      ? 'not planned: the record was left out before the plan (see the filters above)' : 'not planned';
  }
  if (held.ownedBy === 'this') return `up to date: the provider holds ${held.targets.join(' ')}, owned by this owner id`;
  return held.ownedBy === 'none' ? 'not touched: the existing record has no ownership record' : `not touched: owned by "${held.owner}"`;
}

function filterHints(input: DecideInput, hints: Set<string>): void {
  for (const f of input.filters) {
    if (f.verdict !== 'drops') continue;
    if (f.filter === 'domain filter') hints.add('Add the name\'s zone to --domain-filter (or take it out of --exclude-domains / --regex-domain-exclusion).');
    else if (f.filter.startsWith('record type ')) hints.add(`Manage ${f.filter.slice('record type '.length)} records: add it to --managed-record-types and out of --exclude-record-types.`);
    else hints.add(`The object is dropped by ${f.filter}: change its annotations or labels, or the filter.`);
  }
  if (input.sources.some((s) => s.kept) && input.sources.length > 1) {
    const types = new Set(input.sources.filter((s) => s.kept).map((s) => s.recordType));
    for (const t of types) {
      const n = input.sources.filter((s) => s.kept && s.recordType === t).length;
      if (n > 1) hints.add(`${n} objects ask for ${input.name} ${t}: one wins (the one already holding the record, else the one with the fewest, lowest targets); remove the others to make it certain.`);
    }
  }
}
