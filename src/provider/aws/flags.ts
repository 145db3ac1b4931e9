/** Flags of the Route53 provider (ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/cloud-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const AWS = 'Provider: AWS';

const aws = ['provider:aws'];

export const AWS_FLAGS = [
  { name: 'aws-zone-type', kind: 'enum', default: '', group: AWS, components: aws, values: ['', 'public', 'private'],
    help: 'Use only hosted zones of this type; empty means both' },
  { name: 'aws-zone-tags', kind: 'strings', default: [], group: AWS, components: aws, placeholder: 'KEY=VALUE',
    help: 'Use only hosted zones carrying these tags; repeat for several' },
  { name: 'aws-profile', kind: 'strings', default: [], group: AWS, components: aws, placeholder: 'PROFILE',
    help: 'AWS shared-config profile to use; repeat to manage zones of several accounts' },
  { name: 'aws-assume-role', kind: 'string', default: '', group: AWS, components: aws,
    help: 'ARN of an IAM role to assume, e.g. for zones in another account (arn:aws:iam::123456789012:role/external-dns)' },
  { name: 'aws-assume-role-external-id', kind: 'string', default: '', group: AWS, components: aws, secret: true,
    help: 'External ID to present when assuming --aws-assume-role' },
  { name: 'aws-batch-change-size', kind: 'int', default: 1000, group: AWS, components: aws,
    help: 'Largest number of changes in one Route 53 change batch' },
  { name: 'aws-batch-change-size-bytes', kind: 'int', default: 32000, group: AWS, components: aws,
    help: 'Largest size in bytes of the record values in one change batch' },
  { name: 'aws-batch-change-size-values', kind: 'int', default: 1000, group: AWS, components: aws,
    help: 'Largest number of record values in one change batch' },
  { name: 'aws-batch-change-interval', kind: 'duration', default: '1s', group: AWS, components: aws,
    help: 'Pause between two change batches' },
  { name: 'aws-evaluate-target-health', kind: 'bool', default: true, group: AWS, components: aws,
    help: 'Set EvaluateTargetHealth on alias records; turn off with --no-aws-evaluate-target-health' },
  { name: 'aws-api-retries', kind: 'int', default: 3, group: AWS, components: aws,
    help: 'How many times an AWS API call is retried before it fails' },
  { name: 'aws-prefer-cname', kind: 'bool', default: false, group: AWS, components: aws,
    help: 'Write plain CNAME records instead of Route 53 ALIAS records' },
  { name: 'aws-zones-cache-duration', kind: 'duration', default: '0s', group: AWS, components: aws,
    help: 'How long the list of hosted zones is reused; 0s lists them every sync' },
  { name: 'aws-zone-match-parent', kind: 'bool', default: false, group: AWS, components: aws,
    help: 'Also let a --domain-filter entry match hosted zones of its subdomains' },
] as const satisfies readonly FlagDef[];
