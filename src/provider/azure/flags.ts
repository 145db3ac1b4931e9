/** Flags of this provider (ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/cloud-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const AZ = 'Provider: Azure';
/** Besides these, Azure reads the shared --zone-name-filter and --zone-id-filter (src/config/flags/filters.ts). */
/** Read by --provider=azure, its alias azure-dns, and azure-private-dns (one azure.json for all three). */
const AZURE_PROVIDERS = ['provider:azure', 'provider:azure-dns', 'provider:azure-private-dns'];

export const AZURE_FLAGS = [
  { name: 'azure-config-file', kind: 'string', default: '/etc/kubernetes/azure.json', group: AZ, components: AZURE_PROVIDERS,
    help: 'Path of the Azure credentials file (required with --provider=azure)' },
  { name: 'azure-resource-group', kind: 'string', default: '', group: AZ, components: AZURE_PROVIDERS,
    help: 'Resource group to use instead of the one in the config file' },
  { name: 'azure-subscription-id', kind: 'string', default: '', group: AZ, components: AZURE_PROVIDERS,
    help: 'Subscription to use instead of the one in the config file' },
  { name: 'azure-user-assigned-identity-client-id', kind: 'string', default: '', group: AZ, components: AZURE_PROVIDERS,
    help: 'Client id of the user-assigned managed identity, instead of the one in the config file' },
  { name: 'azure-zones-cache-duration', kind: 'duration', default: '0s', group: AZ, components: AZURE_PROVIDERS,
    help: 'How long the list of zones is reused; 0s lists them every sync' },
  { name: 'azure-maxretries-count', kind: 'int', default: 3, group: AZ, components: AZURE_PROVIDERS,
    help: 'How many times an Azure API call is retried; a negative number disables retries' },
] as const satisfies readonly FlagDef[];
