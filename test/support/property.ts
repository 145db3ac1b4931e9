/**
 * fast-check settings for property tests: a fixed seed and a bounded number of
 * runs in `npm test`; a longer run by hand with, e.g.,
 * `EXTDNS_PROPERTY_RUNS=20000 EXTDNS_PROPERTY_SEED=7 npm run unit -- src/registry/txt/records.property.test.ts`.
 */
const SEED = 20261204;

export function propertyParams(defaultRuns: number): { seed: number; numRuns: number } {
  const runs = Number(process.env['EXTDNS_PROPERTY_RUNS'] ?? '');
  const seed = Number(process.env['EXTDNS_PROPERTY_SEED'] ?? '');
  return { seed: Number.isInteger(seed) && seed !== 0 ? seed : SEED, numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns };
}
