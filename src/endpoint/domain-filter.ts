/**
 * The interface of a domain filter (ExternalDNS `DomainFilterInterface`). The
 * list/regex implementation, its matching rules and its webhook JSON form
 * live in ./domain-filter-impl.ts.
 */

/** The webhook wire form: list mode or regex mode; `{}` matches everything. */
export interface DomainFilterWire {
  include?: string[];
  exclude?: string[];
  regexInclude?: string;
  regexExclude?: string;
}

export interface DomainFilter {
  /** True when `name` (no trailing dot) is in scope. An unconfigured filter matches everything. */
  match(name: string): boolean;
  /** True when any include/exclude/regex is set. */
  isConfigured(): boolean;
  toWire(): DomainFilterWire;
}

export const MATCH_ALL: DomainFilter = {
  match: () => true,
  isConfigured: () => false,
  toWire: () => ({}),
};
