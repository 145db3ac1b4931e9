/**
 * A zone-file writer that takes the zone's lock, starts its temp file, says
 * "locked" and then waits to be killed (SIGKILL): what a crash mid-write
 * leaves behind. Usage: node zonefile-killed-writer.ts <zone file>
 */
import { writeFile } from 'node:fs/promises';
import { acquireLock } from '../../src/provider/zonefile/lock.ts';
import { tempName } from '../../src/provider/zonefile/write.ts';
import { systemClock, systemRandom } from '../../src/util/clock.ts';

const file = process.argv[2] ?? '';
await acquireLock(file, { clock: systemClock, random: systemRandom, waitMs: 1_000, staleMs: 120_000, pollMs: 50 }, new AbortController().signal);
await writeFile(tempName(file, process.pid, systemRandom), 'half a zone');
console.log('locked');
setInterval(() => undefined, 60_000);
