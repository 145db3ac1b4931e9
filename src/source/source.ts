/**
 * The source stage's interface: something that says which endpoints should
 * exist. Sources are looked up by name in ./table.ts.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';

export interface Source {
  /** The desired endpoints now. Throws (ExtdnsError) when the source cannot answer or is not yet synced. */
  endpoints(signal: AbortSignal): Promise<Endpoint[]>;
  /** Registers a callback fired when the source's inputs change (used by --events). */
  addEventHandler(handler: () => void): void;
}

/** A source that could not answer this sync. */
export interface SourceFailure {
  /** The source's name, e.g. "service" or "ingress". */
  source: string;
  error: unknown;
}

/** Endpoints a source pipeline dropped, per record type and source kind (metrics). */
export interface DroppedEndpoints {
  recordType: string;
  /** Kind from the resource label (`service`, `ingress`, `crd`, ...), "unknown" without one. */
  sourceType: string;
  count: number;
}

/** What the controller gets from the source stage each sync. */
export interface CollectedSources {
  endpoints: Endpoint[];
  /** Sources that could not answer; non-empty means `endpoints` is incomplete. */
  failures: SourceFailure[];
  /** Dropped as invalid / as duplicates (./pipeline.ts fills these). */
  invalid?: readonly DroppedEndpoints[] | undefined;
  duplicates?: readonly DroppedEndpoints[] | undefined;
  /** The endpoints dropped as invalid, with why (DNSEndpoint conditions report them as Rejected). */
  rejected?: readonly { endpoint: Endpoint; reason: string }[] | undefined;
}

/** The desired endpoints of every source, plus which sources failed (./pipeline.ts). */
export interface SourceCollector {
  collect(signal: AbortSignal): Promise<CollectedSources>;
}
