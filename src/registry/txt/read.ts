/**
 * The read side of the TXT registry: splits the provider's records into
 * ownership TXTs and everything else, then gives each record the labels of
 * its ownership TXT. Lookup order, as ExternalDNS: the new-format TXT
 * (`a-www…`), for an A alias the legacy `cname-www…` one, then the
 * old-format TXT (`www…`, no type; never for AAAA).
 */
import { getProperty, LabelKey, PropertyName, type Endpoint, type Labels } from '../../endpoint/endpoint.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import type { OwnershipCodec } from './codec.ts';
import type { TxtNameMapper } from './mapper.ts';
import { looksEncrypted } from './crypto.ts';
import { trimQuotes } from './labels.ts';
import { OwnershipTxts } from './index-maps.ts';

/** An ownership TXT as read this cycle. */
export interface StoredTxt {
  /** The provider's record, shared: the writer copies it before use. */
  endpoint: Endpoint;
  /** As OwnershipValue.labels (the canonical plain string is plainOf(labels), which skips the nonce). */
  labels: Labels;
  encrypted: boolean;
}

/** What records() learnt about ownership TXTs; applyChanges() of the same cycle uses it. */
export interface TxtIndex {
  /**
   * Ownership TXTs: their labels by the (lower-case name, type, set id) of the record they stand for (type "" = old
   * format), and the TXTs by (lower-case TXT name, set id); its names() are those of every ownership TXT.
   */
  stored: OwnershipTxts<StoredTxt>;
  /** TXTs at ownership names that look encrypted but do not decrypt with the configured key (or no key is set). */
  unreadable: Endpoint[];
}

export interface ReadContext {
  ownerId: string;
  oldOwnerId: string;
  wildcardReplacement: string;
  mapper: TxtNameMapper;
  codec: OwnershipCodec;
  isManaged: (recordType: string) => boolean;
  logger: Logger;
  /** Called once per legacy `cname-` TXT that an A alias record still relies on or carries. */
  onLegacyAliasTxt: (recordName: string) => void;
}

export function recordKey(name: string, recordType: string, setIdentifier: string): string {
  return `${name.toLowerCase()}\u0000${recordType}\u0000${setIdentifier}`;
}

export function txtKey(txtName: string, setIdentifier: string): string {
  return `${txtName.toLowerCase()}\u0000${setIdentifier}`;
}

/**
 * Separates ownership TXTs (indexed) from the other records, which are
 * returned as the provider gave them: attachOwnership() makes the one copy
 * each needs.
 */
export function indexOwnership(records: readonly Endpoint[], ctx: ReadContext): { others: Endpoint[]; index: TxtIndex } {
  const index: TxtIndex = { stored: new OwnershipTxts((name) => ctx.mapper.toEndpointName(name)), unreadable: [] };
  const others: Endpoint[] = [];
  for (const record of records) {
    if (record.recordType !== 'TXT' || !indexTxt(record, index, ctx)) others.push(record);
  }
  return { others, index };
}

/** Indexes an ownership TXT; false when the record is none (it is then returned like any other record). */
function indexTxt(record: Endpoint, index: TxtIndex, ctx: ReadContext): boolean {
  const first = record.targets[0];
  if (first === undefined) {
    ctx.logger.error('TXT record has no targets', { dnsName: record.dnsName });
    return true;
  }
  const value = ctx.codec.read(first);
  if (value === undefined) {
    // Left unowned (so never deleted), and reported: a changed key makes every owned record look like this.
    if (looksEncrypted(trimQuotes(first)) && ctx.mapper.toEndpointName(record.dnsName) !== undefined) index.unreadable.push(record);
    return false;
  }
  const lower = record.dnsName.toLowerCase();
  index.stored.add(lower, record.setIdentifier, { endpoint: record, labels: value.labels, encrypted: value.encrypted });
  return true;
}

/** Brings the index in line with changes the provider accepted (ownership TXTs removed, then added). */
export function indexApplied(index: TxtIndex, changes: Changes, ctx: ReadContext): void {
  for (const e of [...changes.delete, ...changes.updateOld]) {
    if (e.recordType === 'TXT') index.stored.delete(e.dnsName.toLowerCase(), e.setIdentifier);
  }
  // Written TXTs are the registry's own: none is reported unreadable.
  const into: TxtIndex = { ...index, unreadable: [] };
  for (const e of [...changes.create, ...changes.updateNew]) if (e.recordType === 'TXT') indexTxt(e, into, ctx);
}

/**
 * Each record with the labels of its ownership TXT: a copy with its own
 * labels object; targets and properties stay shared with the provider's list,
 * which nothing downstream mutates (the plan copies every endpoint it returns).
 */
export function attachOwnership(records: readonly Endpoint[], index: TxtIndex, ctx: ReadContext): Endpoint[] {
  const out = new Array<Endpoint>(records.length);
  for (let i = 0; i < records.length; i++) out[i] = withOwnership(records[i] as Endpoint, index, ctx);
  return out;
}

function withOwnership(record: Endpoint, index: TxtIndex, ctx: ReadContext): Endpoint {
  const name = replaceWildcard(record.dnsName, ctx.wildcardReplacement);
  // The name is lowered once here rather than for each type tried.
  const lower = name.toLowerCase();
  const direct = index.stored.hasRecords ? index.stored.labels(lower, record.recordType, record.setIdentifier) : undefined;
  const found = direct !== undefined && !isAliasA(record) ? direct : otherOwnershipLabels({ record, name, lower, direct }, index, ctx);
  const labels = found === undefined ? { ...record.labels } : { ...record.labels, ...found };
  if (ctx.oldOwnerId !== '' && labels[LabelKey.owner] === ctx.oldOwnerId) labels[LabelKey.owner] = ctx.ownerId;
  const copy = { ...record, labels };
  // Found through its own new-format TXT, the record has that TXT: no name to build and look up.
  if (direct !== undefined || !needsForceUpdate(copy, index, ctx)) return copy;
  copy.providerSpecific = [...record.providerSpecific.filter((p) => p.name !== PropertyName.txtForceUpdate), { name: PropertyName.txtForceUpdate, value: 'true' }];
  return copy;
}

interface Probe {
  record: Endpoint;
  /** Its name with the wildcard replaced, and that lower-cased. */
  name: string;
  lower: string;
  /** The labels of its new-format TXT, if found. */
  direct: Labels | undefined;
}

/** The labels when the new-format TXT (`direct`) is missing, or the record is an A alias (which may rely on a legacy `cname-` TXT). */
function otherOwnershipLabels(probe: Probe, index: TxtIndex, ctx: ReadContext): Labels | undefined {
  if (!index.stored.hasRecords) return undefined;
  const { record, name, lower, direct } = probe;
  const set = record.setIdentifier;
  let labels = direct;
  if (isAliasA(record)) {
    const legacy = index.stored.labels(lower, 'CNAME', set);
    if (legacy !== undefined) {
      labels ??= legacy;
      ctx.onLegacyAliasTxt(name);
    }
  }
  if (labels === undefined && record.recordType !== 'AAAA') labels = index.stored.labels(lower, '', set);
  return labels;
}

/** An owned, managed record whose new-format TXT is missing: the plan must update it so the TXT is written. */
function needsForceUpdate(record: Endpoint, index: TxtIndex, ctx: ReadContext): boolean {
  // Like ExternalDNS, only when the zone holds ownership TXTs at all.
  if (index.stored.size === 0) return false;
  if (record.labels[LabelKey.owner] !== ctx.ownerId || !ctx.isManaged(record.recordType)) return false;
  return !index.stored.hasName(ctx.mapper.toTxtName(record.dnsName, record.recordType).toLowerCase());
}

/** An A record that is a provider alias (ExternalDNS keyed their TXT as `cname-` before v0.22). */
export function isAliasA(record: Endpoint): boolean {
  if (record.recordType !== 'A' || record.providerSpecific.length === 0) return false;
  const alias = getProperty(record, PropertyName.alias);
  return alias === 'true' || alias === 'A';
}

function replaceWildcard(name: string, replacement: string): string {
  if (replacement === '' || !(name === '*' || name.startsWith('*.'))) return name;
  return replacement + name.slice(1);
}
