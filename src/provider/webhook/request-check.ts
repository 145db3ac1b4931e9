/**
 * What the webhook server refuses before it calls the provider: a change set
 * whose endpoints could not be published (bad name, record type, TTL or
 * record data). All problems are found first; the provider is only called
 * when there are none, so a refused batch changes nothing. Large change sets
 * are checked in slices, yielding to the event loop between them.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { validateEndpoint } from '../../endpoint/validate.ts';
import type { Changes } from '../../plan/plan.ts';
import { isDnsDataType } from './record-types.ts';
import { SLICE, yieldToLoop } from '../../util/sliced.ts';

const MAX_LISTED = 10;

function typeProblem(ep: Endpoint): string | undefined {
  if (ep.recordType === '') return 'it has no record type';
  if (isDnsDataType(ep.recordType)) return undefined;
  const upper = ep.recordType.toUpperCase();
  const hint = isDnsDataType(upper) ? ` (record types are upper case: ${upper})` : ' (use a DNS type such as A, AAAA, CNAME, TXT, MX, SRV)';
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
  return validateEndpoint({ ...ep, recordType: 'TXT', targets: [], providerSpecific: [], recordTTL: 0 });
}

type List = readonly [name: string, endpoints: readonly Endpoint[], full: boolean];

async function collect(lists: readonly List[], pause: () => Promise<void>): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, eps, full] of lists) {
    for (let i = 0; i < eps.length; i++) {
      const ep = eps[i] as Endpoint;
      const problem = check(ep, full);
      if (problem !== undefined) problems.push(`${name}[${i}] (${describe(ep)}): ${problem}`);
      if ((i + 1) % SLICE === 0) await pause();
    }
  }
  return problems;
}

/** Joins problems into one message, the first few in full; undefined when there are none. */
export function summarize(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, MAX_LISTED).join('; ');
  return problems.length > MAX_LISTED ? `${shown}; and ${problems.length - MAX_LISTED} more` : shown;
}

/** The problems of a change set, joined into one message; undefined when it can be applied. */
export async function changesProblem(changes: Changes, pause: () => Promise<void> = yieldToLoop): Promise<string | undefined> {
  return summarize(await collect([
    ['create', changes.create, true],
    ['updateOld', changes.updateOld, false],
    ['updateNew', changes.updateNew, true],
    ['delete', changes.delete, false],
  ], pause));
}
