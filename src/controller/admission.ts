/**
 * Admission: desired endpoints the provider cannot hold, or that would write
 * the registry's own records, are dropped before the plan (issue 12 items 1
 * and 3), so one tenant's bad object costs that object's records and the rest
 * of the sync proceeds. `extdns plan` and the loop run the same check.
 *
 * Only endpoints the plan would look at are checked (managed types, inside
 * the domain filters): an endpoint the plan ignores is nobody's problem.
 */
import { describeEndpoint, endpointKey, LabelKey, type Endpoint } from '../endpoint/endpoint.ts';
import { matchAll } from '../endpoint/domain-filter.ts';
import type { DomainFilter } from '../endpoint/domain-filter.ts';
import type { Logger } from '../log/logger.ts';
import { admitEndpoint, capabilitiesOf, printableName } from '../provider/capabilities.ts';

export { printableName };
import type { Refusal, Registry, Screened } from '../registry/registry.ts';

export interface Scope {
  domainFilters: readonly DomainFilter[];
  managedRecordTypes: readonly string[];
  excludeRecordTypes: readonly string[];
}

/** Checks the in-scope endpoints against the provider's capabilities, then the registry's screen. */
export function admitDesired(desired: readonly Endpoint[], registry: Registry, scope: Scope): Screened {
  const managed = new Set(scope.managedRecordTypes.filter((t) => !scope.excludeRecordTypes.includes(t)));
  const outOfScope: Endpoint[] = [];
  // `desired` itself while every endpoint so far is in scope and fits unchanged (the usual case): at 1M endpoints
  // each whole-list copy is megabytes of old generation, which brings the next full GC closer.
  let fit: Endpoint[] | undefined;
  const refused: Refusal[] = [];
  const caps = capabilitiesOf(registry);
  for (let i = 0; i < desired.length; i++) {
    const ep = desired[i] as Endpoint;
    const checked = inScope(ep, managed, scope) ? admitEndpoint(ep, caps) : undefined;
    if (checked !== undefined && checked.ok && checked.value === ep && fit === undefined) continue;
    fit ??= desired.slice(0, i);
    if (checked === undefined) outOfScope.push(ep);
    else if (checked.ok) fit.push(checked.value);
    else refused.push({ endpoint: ep, reason: checked.reason });
  }
  const screened = registry.screen(fit ?? desired);
  return {
    admitted: outOfScope.length === 0 ? screened.admitted : [...outOfScope, ...screened.admitted],
    refused: refused.length === 0 ? screened.refused : [...refused, ...screened.refused],
  };
}

function inScope(ep: Endpoint, managed: ReadonlySet<string>, scope: Scope): boolean {
  return managed.has(ep.recordType) && matchAll(scope.domainFilters, ep.dnsName);
}

/** The source object a refused endpoint came from (its `resource` label), for logs. */
export function sourceObject(ep: Endpoint): string {
  return ep.labels[LabelKey.resource] ?? 'an unnamed source object';
}

/**
 * Says each refusal once while it lasts: a warning (and, through the
 * observer, a Kubernetes Event) the first sync it appears, debug lines after.
 */
export class RefusalLog {
  #seen = new Set<string>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Logs the refusals; returns the ones not refused in the previous sync. */
  report(refusals: readonly Refusal[]): Refusal[] {
    const next = new Set<string>();
    const fresh: Refusal[] = [];
    for (const r of refusals) {
      const key = `${endpointKey(r.endpoint)}\u0000${r.endpoint.targets.join('\u0000')}\u0000${r.reason}`;
      next.add(key);
      const fields = { source: sourceObject(r.endpoint), endpoint: describeEndpoint(r.endpoint), reason: r.reason };
      if (this.#seen.has(key)) {
        this.#log.debug('Still dropping an endpoint the provider cannot hold', fields);
        continue;
      }
      fresh.push(r);
      this.#log.warn(`Dropping ${printableName(r.endpoint.dnsName)} ${r.endpoint.recordType} from ${printableName(fields.source)}: ${r.reason}; the rest of the sync goes on`, fields);
    }
    this.#seen = next;
    return fresh;
  }
}
