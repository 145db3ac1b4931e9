/**
 * String order by UTF-16 code unit: Go's sort.Strings order for ASCII, and no
 * ICU. `localeCompare` builds an ICU collator on first use, which pages in
 * about 3 MiB of Node's collation data and code for good (issue 22: idle
 * memory); the names sorted at run time (metric names, zones, annotation
 * names, label keys) are ASCII, where the two orders differ only for `_`
 * against digits or capitals.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
