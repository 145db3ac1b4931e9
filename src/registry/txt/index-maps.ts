/**
 * The TXT registry's index (./read.ts): every ownership TXT read, filed once,
 * under the record it stands for. records() looks labels up by record (name,
 * type, set identifier) for every record of every zone; the writer and the
 * screen look TXTs up by their own name, which the name mapper turns into the
 * record's key. One map entry per TXT rather than one per view: at a million
 * TXTs a second map is a million more inserts into a table far bigger than
 * the CPU cache, and tens of megabytes more old generation.
 *
 * Maps are nested by set identifier and record type instead of keyed on
 * joined strings: a joined key is a string built, flattened and hashed each
 * time, and nearly every record has no set identifier and one of a few types.
 */
import type { Endpoint, Labels } from '../../endpoint/endpoint.ts';
import type { EndpointName } from './mapper.ts';

/** What the index keeps of an ownership TXT. */
export interface IndexedTxt {
  /** The provider's record. */
  endpoint: Endpoint;
  labels: Labels;
}

/**
 * Several TXTs that stand for one record (names that map to the same record),
 * or one whose labels were withdrawn: rare, so a plain entry is the TXT itself.
 */
class Claim<T extends IndexedTxt> {
  readonly txts: T[];
  /** The labels of the TXT filed last; undefined once any of them was removed. */
  labels: Labels | undefined;

  constructor(txts: T[], labels: Labels | undefined) {
    this.txts = txts;
    this.labels = labels;
  }
}

type Entry<T extends IndexedTxt> = T | Claim<T>;

function lowerNameOf(txt: IndexedTxt): string {
  return txt.endpoint.dnsName.toLowerCase();
}

/** The ownership TXTs read, by the record they stand for, and by their own (lower-case) name and set identifier. */
export class OwnershipTxts<T extends IndexedTxt> {
  readonly #byRecord = new Map<string, Map<string, Map<string, Entry<T>>>>();
  /** TXTs whose name stands for no record (no affix): found by name only. */
  readonly #unmapped = new Map<string, Map<string, T>>();
  readonly #toRecord: (lowerTxtName: string) => EndpointName | undefined;
  #size = 0;

  /** `toRecord`: the record a TXT name stands for (the name mapper's toEndpointName). */
  constructor(toRecord: (lowerTxtName: string) => EndpointName | undefined) {
    this.#toRecord = toRecord;
  }

  /** How many TXTs are held. */
  get size(): number {
    return this.#size;
  }

  /** False when no TXT stands for any record (then no record has labels). */
  get hasRecords(): boolean {
    return this.#byRecord.size > 0;
  }

  /** Files a TXT (replacing one of the same name and set identifier); its labels become the record's. */
  add(lowerTxtName: string, setIdentifier: string, txt: T): void {
    // Found again through the same mapping by get() and delete().
    const target = this.#toRecord(lowerTxtName);
    if (target === undefined) {
      const byName = inner(this.#unmapped, setIdentifier);
      if (!byName.has(lowerTxtName)) this.#size++;
      byName.set(lowerTxtName, txt);
      return;
    }
    const byName = inner(inner(this.#byRecord, setIdentifier), target.recordType);
    const entry = byName.get(target.name);
    if (entry === undefined) {
      byName.set(target.name, txt);
      this.#size++;
    } else if (entry instanceof Claim) {
      const at = entry.txts.findIndex((t) => lowerNameOf(t) === lowerTxtName);
      if (at < 0) {
        entry.txts.push(txt);
        this.#size++;
      } else {
        entry.txts[at] = txt;
      }
      entry.labels = txt.labels;
    } else if (lowerNameOf(entry) === lowerTxtName) {
      byName.set(target.name, txt);
    } else {
      byName.set(target.name, new Claim([entry, txt], txt.labels));
      this.#size++;
    }
  }

  /** The labels for the record (lower-case name, type, set identifier); type "" = old format. */
  labels(lowerName: string, recordType: string, setIdentifier: string): Labels | undefined {
    const entry = this.#byRecord.get(setIdentifier)?.get(recordType)?.get(lowerName);
    return entry?.labels;
  }

  /** The TXT of that lower-case name and set identifier. */
  get(lowerTxtName: string, setIdentifier: string): T | undefined {
    const target = this.#toRecord(lowerTxtName);
    if (target === undefined) return this.#unmapped.get(setIdentifier)?.get(lowerTxtName);
    const entry = this.#byRecord.get(setIdentifier)?.get(target.recordType)?.get(target.name);
    if (entry === undefined) return undefined;
    if (entry instanceof Claim) return entry.txts.find((t) => lowerNameOf(t) === lowerTxtName);
    return lowerNameOf(entry) === lowerTxtName ? entry : undefined;
  }

  has(lowerTxtName: string, setIdentifier: string): boolean {
    return this.get(lowerTxtName, setIdentifier) !== undefined;
  }

  /** Whether any set identifier holds a TXT of that lower-case name. */
  hasName(lowerTxtName: string): boolean {
    const sets = this.#toRecord(lowerTxtName) === undefined ? this.#unmapped.keys() : this.#byRecord.keys();
    for (const set of sets) if (this.has(lowerTxtName, set)) return true;
    return false;
  }

  /** Removes the TXT; the record it stood for has no labels afterwards. False when there was none. */
  delete(lowerTxtName: string, setIdentifier: string): boolean {
    const target = this.#toRecord(lowerTxtName);
    const deleted = target === undefined
      ? this.#unmapped.get(setIdentifier)?.delete(lowerTxtName) === true
      : this.#deleteFiled(lowerTxtName, setIdentifier, target);
    if (deleted) this.#size--;
    return deleted;
  }

  #deleteFiled(lowerTxtName: string, setIdentifier: string, target: EndpointName): boolean {
    const byName = this.#byRecord.get(setIdentifier)?.get(target.recordType);
    const entry = byName?.get(target.name);
    if (byName === undefined || entry === undefined) return false;
    if (!(entry instanceof Claim)) return lowerNameOf(entry) === lowerTxtName && byName.delete(target.name);
    const at = entry.txts.findIndex((t) => lowerNameOf(t) === lowerTxtName);
    if (at < 0) return false;
    entry.txts.splice(at, 1);
    // As when each view was its own map: the record's labels go with any TXT removed, even if another remains.
    if (entry.txts.length === 0) byName.delete(target.name);
    else entry.labels = undefined;
    return true;
  }

  *#entries(): IterableIterator<Entry<T>> {
    for (const byType of this.#byRecord.values()) for (const byName of byType.values()) yield* byName.values();
  }

  /** The lower-case name of every TXT (a name held under several set identifiers comes once per set). */
  *names(): IterableIterator<string> {
    for (const entry of this.#entries()) {
      if (entry instanceof Claim) for (const t of entry.txts) yield lowerNameOf(t);
      else yield lowerNameOf(entry);
    }
    for (const byName of this.#unmapped.values()) yield* byName.keys();
  }
}

/** The map under `key`, made when missing. */
function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let found = outer.get(key);
  if (found === undefined) outer.set(key, (found = new Map<string, V>()));
  return found;
}
