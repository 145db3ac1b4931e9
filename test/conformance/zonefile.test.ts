/**
 * The zone-file provider against the provider conformance suite. Every zone
 * it writes is also checked with BIND's named-checkzone (checkedProvider).
 * The suite runs twice: on zones in extdns's own style, and on zones written
 * the other way BIND allows (no $TTL: the SOA minimum is the default TTL;
 * comments, parentheses, inherited owners), so zero churn and exactness hold
 * under BIND's TTL rules too.
 */
import { createZonefileProvider } from '../../src/provider/zonefile/zonefile.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { checkedProvider, makeZoneDir } from '../support/zonefile.ts';
import { runProviderConformance } from './provider-suite.ts';

const zones = ['example.com', 'example.org'];

runProviderConformance('zonefile provider', async () => {
  const dir = await makeZoneDir(zones);
  const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
  return { provider: checkedProvider(provider, dir.dir), zones, cleanup: () => dir.cleanup() };
});

/** A zone as a person might write it for BIND without $TTL. */
function handWritten(zone: string): string {
  return [
    `; ${zone}, maintained by hand`,
    `$ORIGIN ${zone}.`,
    '@\tIN\tSOA\tns1.nameserver.test. hostmaster (',
    '\t\t\t1\t; serial',
    '\t\t\t3600 600 604800',
    '\t\t\t120 )\t; minimum: the TTL of records without one',
    '\t\tNS\tns1.nameserver.test.\t; out of zone',
    '',
  ].join('\n');
}

runProviderConformance('zonefile provider (hand-written zones without $TTL)', async () => {
  const dir = await makeZoneDir(Object.fromEntries(zones.map((z) => [z, handWritten(z)])));
  const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
  return { provider: checkedProvider(provider, dir.dir), zones, cleanup: () => dir.cleanup() };
});
