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
