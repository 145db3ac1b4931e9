/**
 * The process environment, read in one place so that no other module touches
 * process.env; the CLI hands this snapshot to the parser and to the readers in
 * ./environment.ts.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

export function processEnvironment(): Environment {
  return { ...process.env };
}
