/** Error codes of the Azure DNS and Azure Private DNS providers. */
import { defineErrors } from '../../errors/errors.ts';

export const AzureErrors = defineErrors({
  EXTDNS_AZURE_CONFIG: {
    transient: false,
    summary: 'The Azure configuration (--azure-config-file, azure.json) could not be read or names no usable cloud, subscription or resource group.',
  },
  EXTDNS_AZURE_NO_CREDENTIALS: {
    transient: false,
    summary: 'azure.json names no credential: set aadClientId and aadClientSecret, useWorkloadIdentityExtension, or useManagedIdentityExtension.',
  },
  EXTDNS_AZURE_AUTH: {
    transient: true,
    summary: 'No access token could be had from Azure Active Directory (or the managed identity endpoint); the message carries its answer.',
  },
  EXTDNS_AZURE_UNREACHABLE: {
    transient: true,
    summary: 'Azure Resource Manager or the token endpoint could not be reached (refused, reset, DNS failure, timeout); retried next run.',
  },
  EXTDNS_AZURE_TLS: {
    transient: false,
    summary: 'The TLS connection to Azure Resource Manager or the token endpoint failed (certificate not trusted, e.g. an Azure Stack Hub CA missing from --tls-ca).',
  },
  EXTDNS_AZURE_REQUEST_REJECTED: {
    transient: false,
    summary: 'Azure Resource Manager rejected a request; the message carries ARM\'s error code and text.',
  },
  EXTDNS_AZURE_CONFLICT: {
    transient: true,
    summary: 'A record set changed in Azure since it was read (ETag mismatch, HTTP 412): it was not overwritten; the zone is re-read next run.',
  },
  EXTDNS_AZURE_STALE_PLAN: {
    transient: true,
    summary: 'The zone no longer matches the plan (a record set to create exists, one to delete is gone or holds other values); nothing was written.',
  },
});
