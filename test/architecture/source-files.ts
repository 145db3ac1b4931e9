/** The .ts files below a folder that a check reads (node_modules and dot-folders skipped). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function tsFiles(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path, keep));
    else if (entry.name.endsWith('.ts') && keep(entry.name)) out.push(path);
  }
  return out;
}

/** Product code: not a test beside it. */
export const isProduct = (name: string): boolean => !name.endsWith('.test.ts');
