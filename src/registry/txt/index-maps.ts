/**
 * The maps behind the TXT registry's index (./read.ts), nested by set
 * identifier (and record type) instead of keyed on joined strings: records()
 * fills and probes them once per record of every zone, and a joined key is a
 * string built, flattened and hashed each time. Nearly every record has no
 * set identifier and one of a few types, so the outer maps stay tiny.
 */
import type { Labels } from '../../endpoint/endpoint.ts';

/** Labels by the record they stand for: (lower-case name, record type, set identifier); type "" = old format. */
export class LabelsByRecord {
  readonly #bySet = new Map<string, Map<string, Map<string, Labels>>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(lowerName: string, recordType: string, setIdentifier: string): Labels | undefined {
    return this.#bySet.get(setIdentifier)?.get(recordType)?.get(lowerName);
  }

  set(lowerName: string, recordType: string, setIdentifier: string, labels: Labels): void {
    let byType = this.#bySet.get(setIdentifier);
    if (byType === undefined) this.#bySet.set(setIdentifier, (byType = new Map<string, Map<string, Labels>>()));
    let byName = byType.get(recordType);
    if (byName === undefined) byType.set(recordType, (byName = new Map<string, Labels>()));
    const before = byName.size;
    byName.set(lowerName, labels);
    this.#size += byName.size - before;
  }

  delete(lowerName: string, recordType: string, setIdentifier: string): void {
    if (this.#bySet.get(setIdentifier)?.get(recordType)?.delete(lowerName) === true) this.#size--;
  }
}

/** Values by (lower-case name, set identifier); also answers whether a name holds one under any set identifier. */
export class ByNameAndSet<V> {
  readonly #bySet = new Map<string, Map<string, V>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(lowerName: string, setIdentifier: string): V | undefined {
    return this.#bySet.get(setIdentifier)?.get(lowerName);
  }

  has(lowerName: string, setIdentifier: string): boolean {
    return this.#bySet.get(setIdentifier)?.has(lowerName) === true;
  }

  set(lowerName: string, setIdentifier: string, value: V): void {
    let byName = this.#bySet.get(setIdentifier);
    if (byName === undefined) this.#bySet.set(setIdentifier, (byName = new Map<string, V>()));
    const before = byName.size;
    byName.set(lowerName, value);
    this.#size += byName.size - before;
  }

  delete(lowerName: string, setIdentifier: string): boolean {
    const deleted = this.#bySet.get(setIdentifier)?.delete(lowerName) === true;
    if (deleted) this.#size--;
    return deleted;
  }

  /** Whether any set identifier holds a value at the name. */
  hasName(lowerName: string): boolean {
    for (const byName of this.#bySet.values()) if (byName.has(lowerName)) return true;
    return false;
  }

  /** Every name holding a value (a name held under several set identifiers comes once per set). */
  *names(): IterableIterator<string> {
    for (const byName of this.#bySet.values()) yield* byName.keys();
  }
}
