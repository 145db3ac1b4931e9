/** `npm run docs`: regenerates docs/flags.md and docs/errors.md from the code. */
import { writeFileSync } from 'node:fs';
import { renderFlagsDoc } from '../src/config/docs.ts';
import { allErrors, renderErrorsDoc } from '../src/errors/catalog.ts';

writeFileSync(new URL('../docs/flags.md', import.meta.url), renderFlagsDoc());
writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc(await allErrors()));
console.log('wrote docs/flags.md and docs/errors.md');
