/**
 * The clouds azure.json names, as ExternalDNS v0.22 maps them
 * (getCloudConfiguration): the Active Directory authority, the Resource
 * Manager endpoint and its token audience.
 */
export interface AzureCloud {
  readonly name: string;
  /** e.g. https://login.microsoftonline.com/ ; empty on Azure Stack Hub when azure.json names none. */
  readonly authorityHost: string;
  readonly resourceManagerEndpoint: string;
  readonly resourceManagerAudience: string;
}

const PUBLIC: AzureCloud = {
  name: 'AzurePublicCloud',
  authorityHost: 'https://login.microsoftonline.com/',
  resourceManagerEndpoint: 'https://management.azure.com',
  resourceManagerAudience: 'https://management.core.windows.net/',
};
const GOVERNMENT: AzureCloud = {
  name: 'AzureUSGovernmentCloud',
  authorityHost: 'https://login.microsoftonline.us/',
  resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
  resourceManagerAudience: 'https://management.core.usgovcloudapi.net',
};
const CHINA: AzureCloud = {
  name: 'AzureChinaCloud',
  authorityHost: 'https://login.chinacloudapi.cn/',
  resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
  resourceManagerAudience: 'https://management.core.chinacloudapi.cn',
};

export interface StackSettings {
  activeDirectoryAuthorityHost: string;
  resourceManagerEndpoint: string;
  resourceManagerAudience: string;
}

/** The cloud for azure.json's `cloud` (case-insensitive, as Go upper-cases it); undefined when unknown. */
export function cloudNamed(name: string, stack: StackSettings): AzureCloud | undefined {
  switch (name.toUpperCase()) {
    case '': case 'AZURECLOUD': case 'AZUREPUBLICCLOUD': return PUBLIC;
    case 'AZUREUSGOVERNMENT': case 'AZUREUSGOVERNMENTCLOUD': return GOVERNMENT;
    case 'AZURECHINACLOUD': return CHINA;
    case 'AZURESTACKCLOUD': return {
      name: 'AzureStackCloud',
      authorityHost: stack.activeDirectoryAuthorityHost,
      resourceManagerEndpoint: stack.resourceManagerEndpoint,
      resourceManagerAudience: stack.resourceManagerAudience,
    };
    default: return undefined;
  }
}

/** The OAuth scope for Resource Manager tokens (`<audience>/.default`, as azcore's arm policy asks). */
export function resourceManagerScope(cloud: AzureCloud): string {
  return `${cloud.resourceManagerAudience.replace(/\/+$/, '')}/.default`;
}
