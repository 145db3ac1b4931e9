/**
 * One extdns-like writer process for the two-writers test: creates
 * `<prefix>-0 … <prefix>-<n-1>` A records in the zone folder, one apply each,
 * as its own provider instance (real clock, real locks). Prints "done".
 * Usage: node zonefile-writer.ts <dir> <zone> <prefix> <n>
 */
import { newEndpoint } from '../../src/endpoint/endpoint.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { emptyChanges } from '../../src/plan/plan.ts';
import { createZonefileProvider } from '../../src/provider/zonefile/zonefile.ts';
import { systemClock } from '../../src/util/clock.ts';

const [dir = '', zone = '', prefix = '', n = '0'] = process.argv.slice(2);
const provider = createZonefileProvider({ dir }, { clock: systemClock, logger: silentLogger });
const signal = new AbortController().signal;
for (let i = 0; i < Number(n); i++) {
  const create = [newEndpoint({ dnsName: `${prefix}-${i}.${zone}`, recordType: 'A', targets: [`192.0.2.${i % 250}`] })];
  await provider.applyChanges({ ...emptyChanges(), create }, signal);
}
console.log('done');
