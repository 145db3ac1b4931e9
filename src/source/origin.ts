/**
 * Where in its object a source endpoint's name came from (the exact
 * annotation key, `spec.rules[0].host`, `spec.endpoints[2]`, …), for
 * `extdns explain`. Recorded only while explain runs (recordingOrigins): a
 * symbol-keyed property rides along every copy the pipeline makes (spreads,
 * cloneEndpoint) and never reaches JSON, the webhook wire, the TXT registry or
 * the plan; outside explain nothing is added to an endpoint at all.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Endpoint } from '../endpoint/endpoint.ts';

const ORIGIN: unique symbol = Symbol('extdns.source-origin');
const recording = new AsyncLocalStorage<true>();

type WithOrigin = Endpoint & { [ORIGIN]?: string };

/** Runs `fn` (and everything it starts: informers, source reads) with origins recorded. */
export function recordingOrigins<T>(fn: () => Promise<T>): Promise<T> {
  return recording.run(true, fn);
}

/** Marks the endpoints as named by `origin`; returns them (no-op outside explain). */
export function withOrigin<T extends Endpoint>(endpoints: T[], origin: string): T[] {
  if (recording.getStore() !== true) return endpoints;
  for (const ep of endpoints) (ep as WithOrigin)[ORIGIN] = origin;
  return endpoints;
}

export function originOf(ep: Endpoint): string | undefined {
  return (ep as WithOrigin)[ORIGIN];
}
