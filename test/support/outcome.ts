/** What a parse gave, for property tests comparing two parsers: its value, or the name of the error it threw. */
export type Outcome = { value: unknown } | { error: string };

export function outcome(parse: () => unknown): Outcome {
  try {
    return { value: parse() };
  } catch (err) {
    return { error: err instanceof Error ? err.name : 'thrown' };
  }
}
