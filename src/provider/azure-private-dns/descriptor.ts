/** `--provider=azure-private-dns`: Azure Private DNS through @azure/arm-privatedns; shares src/provider/azure. */
import { AZURE_FLAGS } from '../azure/flags.ts';
import { AzureErrors } from '../azure/errors.ts';
import { azureConnections } from '../azure/settings.ts';
import type { ProviderDescriptor } from '../descriptor.ts';

export const azurePrivateDns: ProviderDescriptor = {
  name: 'azure-private-dns',
  description: 'Azure Private DNS through Azure Resource Manager (--azure-config-file azure.json, as --provider=azure)',
  usesTls: true,
  flags: AZURE_FLAGS,
  // The codes are src/provider/azure's (shared; registered once).
  errors: AzureErrors,
  tlsConnections: azureConnections,
  create: async (config, deps) => {
    const { createAzureFlavour } = await import('../azure/create.ts');
    return createAzureFlavour('private-dns', config, deps);
  },
};
