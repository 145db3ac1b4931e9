/**
 * What the webhook server refuses before it calls the provider: a change set
 * whose endpoints could not be published (bad name, record
 * type, TTL or record data). All problems are found first; the provider is
 * only called when there are none, so a refused batch changes nothing.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { validateEndpoint } from '../../endpoint/validate.ts';
import type { Changes } from '../../plan/plan.ts';

/** A DNS type mnemonic as ExternalDNS writes it: upper case letters and digits (A, AAAA, TXT, TYPE65534). */
const RECORD_TYPE = /^[A-Z][A-Z0-9]*$/;
const MAX_LISTED = 10;

function typeProblem(ep: Endpoint): string | undefined {
  if (ep.recordType === '' || RECORD_TYPE.test(ep.recordType)) return undefined;
  const upper = ep.recordType.toUpperCase();
  const hint = RECORD_TYPE.test(upper) ? ` (record types are upper case: ${upper})` : ' (use a DNS type such as A, AAAA, CNAME, TXT, MX, SRV)';
  return `record type "${ep.recordType}" of ${ep.dnsName} is not a DNS record type${hint}`;
}

function describe(ep: Endpoint): string {
  return `${ep.dnsName === '' ? '(no name)' : ep.dnsName} ${ep.recordType === '' ? '(no type)' : ep.recordType}`;
}

/** Records to write get the full check; records to remove only need a usable name and type (they may predate the checks). */
function check(ep: Endpoint, full: boolean): string | undefined {
  const typeIssue = typeProblem(ep);
  if (typeIssue !== undefined) return typeIssue;
  if (full) return validateEndpoint(ep);
  // Name and type only: checked as a data-less TXT, the one type validateEndpoint has no data rules for.
  if (ep.recordType === '') return validateEndpoint(ep);
  return validateEndpoint({ ...ep, recordType: 'TXT', targets: [], providerSpecific: [], recordTTL: 0 });
}

function collect(lists: readonly (readonly [string, readonly Endpoint[], boolean])[]): string[] {
  const problems: string[] = [];
  for (const [name, eps, full] of lists) {
    eps.forEach((ep, i) => {
      const problem = check(ep, full);
      if (problem !== undefined) problems.push(`${name}[${i}] (${describe(ep)}): ${problem}`);
    });
  }
  return problems;
}

function summarize(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, MAX_LISTED).join('; ');
  return problems.length > MAX_LISTED ? `${shown}; and ${problems.length - MAX_LISTED} more` : shown;
}

/** The problems of a change set, joined into one message; undefined when it can be applied. */
export function changesProblem(changes: Changes): string | undefined {
  return summarize(collect([
    ['create', changes.create, true],
    ['updateOld', changes.updateOld, false],
    ['updateNew', changes.updateNew, true],
    ['delete', changes.delete, false],
  ]));
}

