/**
 * The zone-file provider against the provider conformance suite. Every zone
 * it writes is also checked with BIND's named-checkzone (checkedProvider).
 */
import { createZonefileProvider } from '../../src/provider/zonefile/zonefile.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { checkedProvider, makeZoneDir } from '../support/zonefile.ts';
import { runProviderConformance } from './provider-suite.ts';

runProviderConformance('zonefile provider', async () => {
  const zones = ['example.com', 'example.org'];
  const dir = await makeZoneDir(zones);
  const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
  return { provider: checkedProvider(provider, dir.dir), zones, cleanup: () => dir.cleanup() };
});
