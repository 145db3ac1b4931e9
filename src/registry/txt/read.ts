/**
 * The read side of the TXT registry: splits the provider's records into
 * ownership TXTs and everything else, then gives each record the labels of
 * its ownership TXT. Lookup order, as ExternalDNS: the new-format TXT
 * (`a-www…`), for an A alias the legacy `cname-www…` one, then the
 * old-format TXT (`www…`, no type; never for AAAA).
 */
import { getProperty, LabelKey, PropertyName, withProperty, type Endpoint, type Labels } from '../../endpoint/endpoint.ts';
import type { Logger } from '../../log/logger.ts';
import type { Changes } from '../../plan/plan.ts';
import type { OwnershipCodec } from './codec.ts';
import type { TxtNameMapper } from './mapper.ts';
import { looksEncrypted } from './crypto.ts';
import { trimQuotes } from './labels.ts';

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
  /** Labels by recordKey(name, type, set id) of the record they stand for; type "" = old format. */
  labelsByRecord: Map<string, Labels>;
  /** Ownership TXTs by txtKey(TXT name, set id). */
  stored: Map<string, StoredTxt>;
  /** Lower-case names of every ownership TXT. */
  names: Set<string>;
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

/** Separates ownership TXTs (indexed) from the records to return (copies with their own labels). */
export function indexOwnership(records: readonly Endpoint[], ctx: ReadContext): { others: Endpoint[]; index: TxtIndex } {
  const index: TxtIndex = { labelsByRecord: new Map(), stored: new Map(), names: new Set(), unreadable: [] };
  const others: Endpoint[] = [];
  for (const record of records) {
    if (record.recordType !== 'TXT') {
      others.push(labelCopy(record));
      continue;
    }
    const first = record.targets[0];
    if (first === undefined) {
      ctx.logger.error('TXT record has no targets', { dnsName: record.dnsName });
      continue;
    }
    const value = ctx.codec.read(first);
    if (value === undefined) {
      // Left unowned (so never deleted), and reported: a changed key makes every owned record look like this.
      if (looksEncrypted(trimQuotes(first)) && ctx.mapper.toEndpointName(record.dnsName) !== undefined) index.unreadable.push(record);
      others.push(labelCopy(record));
      continue;
    }
    const target = ctx.mapper.toEndpointName(record.dnsName);
    if (target !== undefined) index.labelsByRecord.set(recordKey(target.name, target.recordType, record.setIdentifier), value.labels);
    index.names.add(record.dnsName.toLowerCase());
    index.stored.set(txtKey(record.dnsName, record.setIdentifier), { endpoint: record, labels: value.labels, encrypted: value.encrypted });
  }
  return { others, index };
}

/**
 * The copy records() hands out: its own labels (attachOwnership writes them);
 * targets and properties shared with the provider's list, which nothing
 * downstream mutates (the plan copies every endpoint it returns).
 */
function labelCopy(record: Endpoint): Endpoint {
  return { ...record, labels: { ...record.labels } };
}

/** Brings the index in line with changes the provider accepted (ownership TXTs removed, then added). */
export function indexApplied(index: TxtIndex, changes: Changes, ctx: ReadContext): void {
  for (const e of [...changes.delete, ...changes.updateOld]) {
    if (e.recordType !== 'TXT' || !index.stored.delete(txtKey(e.dnsName, e.setIdentifier))) continue;
    const target = ctx.mapper.toEndpointName(e.dnsName);
    if (target !== undefined) index.labelsByRecord.delete(recordKey(target.name, target.recordType, e.setIdentifier));
  }
  const { index: added } = indexOwnership([...changes.create, ...changes.updateNew], ctx);
  for (const [k, v] of added.stored) index.stored.set(k, v);
  for (const [k, v] of added.labelsByRecord) index.labelsByRecord.set(k, v);
  for (const n of added.names) index.names.add(n);
}

/** Gives each record (copies from indexOwnership) the labels of its ownership TXT, in place. */
export function attachOwnership(records: Endpoint[], index: TxtIndex, ctx: ReadContext): Endpoint[] {
  return records.map((record) => {
    const name = replaceWildcard(record.dnsName, ctx.wildcardReplacement);
    const found = index.labelsByRecord.size === 0 ? undefined : ownershipLabels(record, name, index, ctx);
    if (found !== undefined) Object.assign(record.labels, found);
    const owner = record.labels[LabelKey.owner];
    if (ctx.oldOwnerId !== '' && owner === ctx.oldOwnerId) record.labels[LabelKey.owner] = ctx.ownerId;
    return needsForceUpdate(record, index, ctx) ? withProperty(record, PropertyName.txtForceUpdate, 'true') : record;
  });
}

function ownershipLabels(record: Endpoint, name: string, index: TxtIndex, ctx: ReadContext): Labels | undefined {
  // The name is lowered once here rather than in recordKey for each type tried.
  const lower = name.toLowerCase();
  const byType = (type: string): Labels | undefined => index.labelsByRecord.get(`${lower}\u0000${type}\u0000${record.setIdentifier}`);
  let labels = byType(record.recordType);
  if (isAliasA(record)) {
    const legacy = byType('CNAME');
    if (legacy !== undefined) {
      labels ??= legacy;
      ctx.onLegacyAliasTxt(name);
    }
  }
  if (labels === undefined && record.recordType !== 'AAAA') labels = byType('');
  return labels;
}

/** An owned, managed record whose new-format TXT is missing: the plan must update it so the TXT is written. */
function needsForceUpdate(record: Endpoint, index: TxtIndex, ctx: ReadContext): boolean {
  // Like ExternalDNS, only when the zone holds ownership TXTs at all.
  if (index.names.size === 0) return false;
  if (record.labels[LabelKey.owner] !== ctx.ownerId || !ctx.isManaged(record.recordType)) return false;
  return !index.names.has(ctx.mapper.toTxtName(record.dnsName, record.recordType).toLowerCase());
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
