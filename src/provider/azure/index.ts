/** The parts of the Azure providers that load the Azure SDKs: imported lazily by ./create.ts. */
export { azureHttpClient, AZURE_OPERATIONS } from './http-client.ts';
export { azureDnsApi, azurePrivateDnsApi, createCredential } from './sdk.ts';
