/**
 * What the two API server children of the kube bench rows share: their
 * command line (`--services=N --ingresses=N --pods=N --namespaces=a,b`), and
 * their life: print one JSON line once filled, stay up until stdin closes
 * (the parent exits or ends it) or SIGTERM, then clean up and exit.
 */
import { parseArgs } from 'node:util';

export interface ChildArgs {
  readonly services: number;
  readonly ingresses: number;
  readonly pods: number;
  /** Namespaces to create besides the objects' own. */
  readonly namespaces: readonly string[];
}

export function childArgs(): ChildArgs {
  const { values } = parseArgs({
    options: {
      services: { type: 'string', default: '0' },
      ingresses: { type: 'string', default: '0' },
      pods: { type: 'string', default: '0' },
      namespaces: { type: 'string', default: '' },
    },
  });
  const count = (v: string): number => Number.parseInt(v, 10) || 0;
  return {
    services: count(values.services), ingresses: count(values.ingresses), pods: count(values.pods),
    namespaces: values.namespaces === '' ? [] : values.namespaces.split(','),
  };
}

export function announceAndServe(info: Record<string, string>, cleanup: () => Promise<void>): void {
  process.stdout.write(`${JSON.stringify(info)}\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await cleanup();
    process.exit(0);
  };
  process.stdin.on('end', () => { void stop(); });
  process.stdin.on('close', () => { void stop(); });
  process.stdin.resume();
  process.on('SIGTERM', () => { void stop(); });
}
