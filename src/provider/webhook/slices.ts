/**
 * Big request bodies are worked through in slices: after each slice the
 * server yields to the event loop, so /healthz and other requests are
 * answered while a 200,000-record change set is decoded and checked.
 */
import { setImmediate as immediate } from 'node:timers/promises';

/** Endpoints handled between two yields (about a millisecond of work). */
export const SLICE = 1000;

export async function yieldToLoop(): Promise<void> {
  await immediate();
}
