/** `--provider=azure` (alias `azure-dns`): Azure DNS through @azure/arm-dns, configured by azure.json. */
import { AZURE_FLAGS } from './flags.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import { AzureErrors } from './errors.ts';
import { azureConnections } from './settings.ts';

export const azure: ProviderDescriptor = {
  name: 'azure',
  description: 'Azure DNS through Azure Resource Manager (--azure-config-file azure.json: cloud, subscription, resource group, identity)',
  usesTls: true,
  flags: AZURE_FLAGS,
  errors: AzureErrors,
  tlsConnections: azureConnections,
  create: async (config, deps) => {
    const { createAzureFlavour } = await import('./create.ts');
    return createAzureFlavour('dns', config, deps);
  },
};

/** ExternalDNS accepts `azure-dns` as another name of `azure`. */
export const azureDns: ProviderDescriptor = { ...azure, name: 'azure-dns' };
