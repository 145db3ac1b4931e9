/**
 * fast-check settings for the property tests of outside-input parsers: a
 * fixed seed and a bounded number of runs in `npm test`; a longer or
 * different run by hand:
 *
 *   EXTDNS_PROPERTY_RUNS=20000 EXTDNS_PROPERTY_SEED=7 npm run unit -- src/provider/webhook/decode.property.test.ts
 */
export interface PropertyRuns {
  readonly seed: number;
  readonly numRuns: number;
}

const DEFAULT_SEED = 20261204;

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `runs` in `npm test`; EXTDNS_PROPERTY_RUNS and EXTDNS_PROPERTY_SEED override. */
export function propertyRuns(runs: number): PropertyRuns {
  return {
    seed: positive(process.env.EXTDNS_PROPERTY_SEED) ?? DEFAULT_SEED,
    numRuns: positive(process.env.EXTDNS_PROPERTY_RUNS) ?? runs,
  };
}
