/** The in-memory provider (the reference semantics) against the provider conformance suite. */
import { createInMemoryProvider } from '../../src/provider/inmemory/inmemory.ts';
import { runProviderConformance } from './provider-suite.ts';

runProviderConformance('in-memory provider', () => {
  const zones = ['example.com', 'example.org'];
  return Promise.resolve({ provider: createInMemoryProvider({ zones }), zones, cleanup: () => Promise.resolve() });
});
