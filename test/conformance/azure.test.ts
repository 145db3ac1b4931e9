/**
 * Azure DNS (--provider=azure) and Azure Private DNS (--provider=azure-private-dns)
 * against the provider conformance suite: the providers built by the CLI's
 * wiring on the real SDKs, azure.json for Azure Stack Hub with a client
 * secret, over HTTPS from the test PKI (--tls-ca), against the ARM test
 * server with small pages so that every list walks nextLink.
 */
import { after, before } from 'node:test';
import { createPki, type Pki } from '../support/pki.ts';
import { buildAzureProvider, stackHubConfig, startArm } from '../azure/harness.ts';
import { runProviderConformance } from './provider-suite.ts';

const zones = ['example.com', 'example.org'];
let pki: Pki;

before(async () => { pki = await createPki(); });
after(async () => { await pki.cleanup(); });

for (const [name, kind, types] of [
  ['azure', 'dns', ['A', 'AAAA', 'CNAME', 'TXT', 'MX']],
  ['azure-private-dns', 'private', ['A', 'AAAA', 'CNAME', 'TXT', 'MX']],
] as const) {
  runProviderConformance(`${name} provider`, async () => {
    const server = await startArm(pki, { pageSize: 7 });
    for (const z of zones) server.addZone(kind, z);
    const built = await buildAzureProvider(name, stackHubConfig(server), [`--tls-ca=${pki.rootA.certFile}`]).catch(async (err: unknown) => {
      await server.close();
      throw err;
    });
    return {
      provider: built.provider, zones, supportedTypes: types,
      cleanup: async () => { await built.close(); await server.close(); },
    };
  });
}
