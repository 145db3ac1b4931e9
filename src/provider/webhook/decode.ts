/**
 * Reading request bodies of `extdns webhook` the way Go's encoding/json reads
 * them (keys case-insensitive, unknown keys ignored; see endpoint/wire.ts),
 * in slices so a huge change set never holds the event loop.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { wireError } from '../../endpoint/json-read.ts';
import { changeListsFromWire, checkUpdatePairs, endpointFromWire } from '../../endpoint/wire.ts';
import type { Changes } from '../../plan/plan.ts';
import { SLICE, yieldToLoop } from '../../util/sliced.ts';

const LISTS = ['create', 'updateOld', 'updateNew', 'delete'] as const;

async function readEndpointList(value: unknown, path: string, pause: () => Promise<void>): Promise<Endpoint[]> {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw wireError(path, 'an array of endpoints', value);
  const out: Endpoint[] = [];
  for (let i = 0; i < value.length; i++) {
    out.push(endpointFromWire(value[i], `${path}[${i}]`));
    if ((i + 1) % SLICE === 0) await pause();
  }
  return out;
}

/** The body of POST /records. */
export async function decodeChanges(json: unknown, pause: () => Promise<void> = yieldToLoop): Promise<Changes> {
  const lists = changeListsFromWire(json);
  const changes: Changes = { create: [], updateOld: [], updateNew: [], delete: [] };
  for (const key of LISTS) changes[key] = await readEndpointList(lists[key], key, pause);
  checkUpdatePairs(changes);
  return changes;
}

/** The body of POST /adjustendpoints. */
export function decodeEndpoints(json: unknown, pause: () => Promise<void> = yieldToLoop): Promise<Endpoint[]> {
  return readEndpointList(json, 'endpoints', pause);
}
