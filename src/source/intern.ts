/**
 * One shared copy of a string, from V8's own table of internalized strings (the one property names live in).
 * JSON.parse shares only very short strings, so 10,000 cached Pods each held their own "ContainersReady",
 * 10,000 Services their own "LoadBalancer", and an Ingress its host twice (rule and TLS): interned, each is
 * held once. The table is weak: a string no cached object holds any more goes at the next GC, so nothing
 * grows with churn, as a Map would.
 */

/** A dictionary-mode object whose keys V8 internalizes: setting a key and reading it back gives the shared copy. */
const table: Record<string, 0> = Object.create(null) as Record<string, 0>;

/**
 * JSON.parse already hands out shared copies of strings this short (V8 internalizes parsed values of up to about
 * 10 characters; 8 is safely below): skipping them saves most of the calls (a Pod's "True", "Running", its namespace).
 */
const SHARED_BY_PARSE = 8;

export function intern(s: string): string {
  if (s.length <= SHARED_BY_PARSE) return s;
  table[s] = 0;
  const shared = Object.keys(table)[0] ?? s;
  Reflect.deleteProperty(table, s);
  return shared;
}

/** Replaces, in place, every string in the arrays and plain objects of `value` by its shared copy; returns `value`. */
export function internStrings<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = internValue(value[i]);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = internValue(record[key]);
  }
  return value;
}

const internValue = (v: unknown): unknown => (typeof v === 'string' ? intern(v) : internStrings(v));
