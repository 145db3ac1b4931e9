/**
 * The write side of the TXT registry: turns the planner's changes into the
 * changes handed to the provider, each record paired with its ownership TXT
 * in the same batch.
 *
 * - create: every record, owner label set, plus its TXT unless that TXT
 *   already exists;
 * - delete / update: only records owned by this owner id, each with its TXT.
 *   The TXT to delete or replace is the one read by records(), byte for byte
 *   (exact-value deletes work for encrypted values too); an owned record
 *   without one gets its TXT created instead (the `txt/force-update` case);
 *   a TXT whose value would not change is left alone.
 */
import { cloneEndpoint, LabelKey, newEndpoint, PropertyName, type Endpoint, type ProviderSpecificProperty } from '../../endpoint/endpoint.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import { plainOf, type OwnershipCodec } from './codec.ts';
import type { TxtNameMapper } from './mapper.ts';
import { txtKey, type TxtIndex } from './read.ts';

export interface WriteContext {
  ownerId: string;
  mapper: TxtNameMapper;
  codec: OwnershipCodec;
  /** What the last records() read; undefined when applyChanges() comes first (then every TXT is assumed to exist). */
  index: TxtIndex | undefined;
}

export function withOwnershipTxt(changes: Changes, ctx: WriteContext): Changes {
  const out = emptyChanges();
  const txtCreates: Endpoint[] = [];
  const owned = (ep: Endpoint): boolean => ep.labels[LabelKey.owner] === ctx.ownerId;

  for (const planned of changes.create) {
    const record = forProvider(planned);
    record.labels[LabelKey.owner] = ctx.ownerId;
    const txt = ownershipTxt(record, ctx);
    out.create.push(record);
    if (ctx.index?.stored.has(txt.dnsName.toLowerCase(), txt.setIdentifier) !== true) txtCreates.push(txt);
  }

  const txtDeletes: Endpoint[] = [];
  for (const planned of changes.delete.filter(owned)) {
    const record = forProvider(planned);
    out.delete.push(record);
    const txt = existingTxt(record, ctx);
    if (txt !== undefined) txtDeletes.push(txt);
  }

  const txtOld: Endpoint[] = [];
  const txtNew: Endpoint[] = [];
  changes.updateNew.forEach((plannedNew, i) => {
    const plannedOld = changes.updateOld[i];
    if (plannedOld === undefined || !owned(plannedOld) || !owned(plannedNew)) return;
    const oldRecord = forProvider(plannedOld);
    const newRecord = forProvider(plannedNew);
    out.updateOld.push(oldRecord);
    out.updateNew.push(newRecord);
    const before = existingTxt(oldRecord, ctx);
    const after = ownershipTxt(newRecord, ctx);
    if (before === undefined) txtCreates.push(after);
    else if (!sameTxt(before, after)) {
      txtOld.push(before);
      txtNew.push(after);
    }
  });

  out.create.push(...dedupByKey(txtCreates));
  out.delete.push(...txtDeletes);
  out.updateOld.push(...txtOld);
  out.updateNew.push(...txtNew);
  return out;
}

/** A copy without the registry's own marker property. */
function forProvider(ep: Endpoint): Endpoint {
  const copy = cloneEndpoint(ep);
  copy.providerSpecific = copy.providerSpecific.filter((p) => p.name !== PropertyName.txtForceUpdate);
  return copy;
}

/** The TXT as stored, when records() saw it; without an index, as it would have been written. */
function existingTxt(record: Endpoint, ctx: WriteContext): Endpoint | undefined {
  if (ctx.index === undefined) return ownershipTxt(record, ctx);
  const name = ctx.mapper.toTxtName(record.dnsName, record.recordType);
  const stored = ctx.index.stored.get(name.toLowerCase(), record.setIdentifier);
  if (stored === undefined) return undefined;
  // Labelled with the record it owns, as ExternalDNS sends it (webhook providers see the label).
  const txt = cloneEndpoint(stored.endpoint);
  txt.labels[LabelKey.ownedRecord] = record.dnsName;
  return txt;
}

/**
 * The ownership TXT for a record's labels. A stored value that says the same
 * (and is encrypted or not as configured) is reused, so unchanged labels keep
 * their exact bytes; a fresh encrypted value leaves its nonce on the record.
 */
function ownershipTxt(record: Endpoint, ctx: WriteContext): Endpoint {
  const name = ctx.mapper.toTxtName(record.dnsName, record.recordType);
  const stored = ctx.index?.stored.get(name.toLowerCase(), record.setIdentifier);
  let value: string | undefined;
  if (stored !== undefined && plainOf(stored.labels) === plainOf(record.labels) && stored.encrypted === ctx.codec.encrypts) {
    value = stored.endpoint.targets[0];
    const nonce = stored.labels[LabelKey.txtEncryptionNonce];
    if (nonce !== undefined) record.labels[LabelKey.txtEncryptionNonce] = nonce;
  }
  if (value === undefined) {
    const written = ctx.codec.write(record.labels);
    value = written.value;
    if (written.nonce !== undefined) record.labels[LabelKey.txtEncryptionNonce] = written.nonce;
  }
  return newEndpoint({
    dnsName: name,
    recordType: 'TXT',
    targets: [value],
    setIdentifier: record.setIdentifier,
    recordTTL: 0,
    labels: { [LabelKey.ownedRecord]: record.dnsName },
    providerSpecific: txtProperties(record.providerSpecific),
  });
}

/**
 * The TXT carries the record's provider-specific properties (routing
 * policies must match), but not `alias`, which is invalid on a TXT.
 */
function txtProperties(props: readonly ProviderSpecificProperty[]): ProviderSpecificProperty[] {
  return props.filter((p) => p.name !== PropertyName.alias && p.name !== PropertyName.txtForceUpdate);
}

function sameTxt(a: Endpoint, b: Endpoint): boolean {
  const props = (e: Endpoint): string => e.providerSpecific.map((p) => `${p.name}=${p.value}`).sort().join('\n');
  return [...a.targets].sort().join('\n') === [...b.targets].sort().join('\n') && props(a) === props(b);
}

/** Never the same TXT twice in one batch (a strict provider rejects that). */
function dedupByKey(txts: Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  return txts.filter((t) => {
    const key = txtKey(t.dnsName, t.setIdentifier);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
