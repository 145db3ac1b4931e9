/** Flags of the cloud DNS providers extdns does not implement yet (ExternalDNS v0.22 names and defaults); implemented providers bring theirs (src/provider/flags.ts). */

import type { FlagDef } from '../schema.ts';

const SD = 'Provider: AWS Cloud Map';
const ALI = 'Provider: Alibaba Cloud';
const OCI = 'Provider: OCI';
const OVH = 'Provider: OVH';
const EXO = 'Provider: Exoscale';


export const CLOUD_PROVIDER_FLAGS = [
  { name: 'aws-sd-service-cleanup', kind: 'bool', default: false, group: SD, components: ['provider:aws-sd'],
    help: 'Delete Cloud Map services that have no instances left' },
  { name: 'aws-sd-create-tag', kind: 'strings', default: [], group: SD, components: ['provider:aws-sd'], format: 'key=value',
    placeholder: 'KEY=VALUE', help: 'Tag added to the Cloud Map services created; repeat for several' },

  { name: 'alibaba-cloud-config-file', kind: 'string', default: '/etc/kubernetes/alibaba-cloud.json', group: ALI,
    components: ['provider:alibabacloud'], help: 'Path of the Alibaba Cloud credentials file (required with --provider=alibabacloud)' },
  { name: 'alibaba-cloud-zone-type', kind: 'enum', default: '', group: ALI, components: ['provider:alibabacloud'],
    values: ['', 'public', 'private'], help: 'Use only zones of this type; empty means both' },

  { name: 'oci-config-file', kind: 'string', default: '/etc/kubernetes/oci.yaml', group: OCI, components: ['provider:oci'],
    help: 'Path of the OCI configuration file (required with --provider=oci unless instance principals are used)' },
  { name: 'oci-compartment-ocid', kind: 'string', default: '', group: OCI, components: ['provider:oci'],
    help: 'OCID of the compartment holding the zones; required with instance principal authentication' },
  { name: 'oci-zone-scope', kind: 'enum', default: 'GLOBAL', group: OCI, components: ['provider:oci'],
    values: ['', 'GLOBAL', 'PRIVATE'], help: 'Use only zones of this scope; an empty value uses both' },
  { name: 'oci-auth-instance-principal', kind: 'bool', default: false, group: OCI, components: ['provider:oci'],
    help: 'Authenticate as the OCI instance principal instead of with the key in the config file' },
  { name: 'oci-zones-cache-duration', kind: 'duration', default: '0s', group: OCI, components: ['provider:oci'],
    help: 'How long the list of zones is reused; 0s lists them every sync' },

  { name: 'ovh-endpoint', kind: 'string', default: 'ovh-eu', group: OVH, components: ['provider:ovh'],
    help: 'OVH API endpoint name' },
  { name: 'ovh-api-rate-limit', kind: 'int', default: 20, group: OVH, components: ['provider:ovh'],
    help: 'Largest number of OVH API calls per second' },
  { name: 'ovh-enable-cname-relative', kind: 'bool', default: false, group: OVH, components: ['provider:ovh'],
    help: 'Treat CNAME targets without a final dot as relative to the zone' },

  { name: 'exoscale-apienv', kind: 'string', default: 'api', group: EXO, components: ['provider:exoscale'],
    help: 'Exoscale API environment' },
  { name: 'exoscale-apizone', kind: 'string', default: 'ch-gva-2', group: EXO, components: ['provider:exoscale'],
    help: 'Exoscale API zone' },
  { name: 'exoscale-apikey', kind: 'string', default: '', group: EXO, components: ['provider:exoscale'], secret: true,
    help: 'Exoscale API key' },
  { name: 'exoscale-apisecret', kind: 'string', default: '', group: EXO, components: ['provider:exoscale'], secret: true,
    help: 'Exoscale API secret' },
  { name: 'exoscale-zones-cache-duration', kind: 'duration', default: '0s', group: EXO, components: ['provider:exoscale'],
    help: 'How long the list of zones is reused; 0s lists them every sync' },
] as const satisfies readonly FlagDef[];
