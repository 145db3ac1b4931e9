/**
 * Owner-id hygiene: the owner id is written into every ownership TXT as
 * `external-dns/owner=<id>` inside a comma-separated, quoted label string.
 * An id holding `,` `=` `"`, white space or a control character does not read
 * back as itself (`c1,prod` reads back as `c1`), and the instance whose id it
 * reads back as would then treat these records as its own. Such ids are
 * refused at start-up (src/config/validate.ts) and by createTxtRegistry.
 */

/** Characters that break the label string, named for the error message. */
const BREAKING: readonly [RegExp, string][] = [
  [/,/u, 'a comma'],
  [/=/u, 'an equals sign'],
  [/"/u, 'a double quote'],
  [/\s/u, 'white space'],
  [/\p{C}/u, 'a control or invisible character'],
];

/** Why `id` cannot be an owner id (it would not read back as itself), or undefined when it can. */
export function ownerIdProblem(id: string): string | undefined {
  const found = BREAKING.filter(([pattern]) => pattern.test(id)).map(([, name]) => name);
  if (found.length === 0) return undefined;
  return `it contains ${found.join(' and ')}, which the ownership TXT format cannot hold (the id would read back as something else)`;
}
