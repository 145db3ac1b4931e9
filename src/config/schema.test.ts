import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAGS, GROUPS, configKey, envVarName, type FlagDef } from './schema.ts';
import { defaultValue } from './values.ts';

const flags = FLAGS as readonly FlagDef[];

/** Every flag of ExternalDNS v0.22 (docs/flags.md of kubernetes-sigs/external-dns at 2bf1bf8), except --version. */
const EXTERNAL_DNS_FLAGS = `server resolve-service-load-balancer-hostname listen-endpoint-events gloo-namespace
skipper-routegroup-groupversion always-publish-not-ready-addresses annotation-filter annotation-prefix compatibility
connector-source-server crd-source-apiversion crd-source-kind default-targets force-default-targets prefer-alias
exclude-record-types exclude-target-net exclude-unschedulable expose-internal-ipv6 gateway-label-filter gateway-name
gateway-namespace gateway-listener-sets ignore-hostname-annotation ignore-ingress-rules-spec ignore-ingress-tls-spec
ignore-non-host-network-pods ingress-class label-filter managed-record-types namespace nat64-networks
openshift-router-name pod-source-domain publish-host-ip publish-internal-services service-type-filter target-net-filter
traefik-enable-legacy traefik-disable-new unstructured-resource events-emit provider-cache-time create-ptr domain-filter
exclude-domains regex-domain-filter regex-domain-exclusion zone-name-filter zone-id-filter google-project
google-batch-change-size google-batch-change-interval google-zone-visibility alibaba-cloud-config-file
alibaba-cloud-zone-type aws-zone-type aws-zone-tags aws-profile aws-assume-role aws-assume-role-external-id
aws-batch-change-size aws-batch-change-size-bytes aws-batch-change-size-values aws-batch-change-interval
aws-evaluate-target-health aws-api-retries aws-prefer-cname aws-zones-cache-duration aws-zone-match-parent
aws-sd-service-cleanup aws-sd-create-tag azure-config-file azure-resource-group azure-subscription-id
azure-user-assigned-identity-client-id azure-zones-cache-duration azure-maxretries-count batch-change-size
batch-change-interval cloudflare-proxied cloudflare-custom-hostnames cloudflare-custom-hostnames-min-tls-version
cloudflare-custom-hostnames-certificate-authority cloudflare-dns-records-per-page cloudflare-regional-services
cloudflare-region-key cloudflare-record-comment coredns-prefix coredns-strictly-owned oci-config-file
oci-compartment-ocid oci-zone-scope oci-auth-instance-principal oci-zones-cache-duration inmemory-zone ovh-endpoint
ovh-api-rate-limit ovh-enable-cname-relative pdns-server pdns-server-id pdns-api-key pdns-skip-tls-verify ns1-endpoint
ns1-ignoressl ns1-min-ttl godaddy-api-key godaddy-api-secret godaddy-api-ttl godaddy-api-ote tls-ca tls-client-cert
tls-client-cert-key exoscale-apienv exoscale-apizone exoscale-apikey exoscale-apisecret exoscale-zones-cache-duration
rfc2136-host rfc2136-port rfc2136-zone rfc2136-insecure rfc2136-tsig-keyname rfc2136-tsig-secret rfc2136-tsig-secret-alg
rfc2136-axfr rfc2136-tsig-axfr rfc2136-min-ttl rfc2136-gss-tsig rfc2136-kerberos-username rfc2136-kerberos-password
rfc2136-kerberos-realm rfc2136-batch-change-size rfc2136-use-tls rfc2136-skip-tls-verify rfc2136-load-balancing-strategy
pihole-server pihole-password pihole-tls-skip-verify policy registry crd-registry-namespace txt-owner-id txt-prefix
txt-suffix txt-wildcard-replacement txt-encrypt-enabled txt-encrypt-aes-key migrate-from-txt-owner dynamodb-region
dynamodb-table txt-cache-interval interval min-event-sync-interval once dry-run events min-ttl log-format
metrics-address log-level webhook-provider-url webhook-provider-read-timeout webhook-provider-write-timeout
webhook-provider-read-header-timeout webhook-provider-idle-timeout webhook-provider-max-body-size webhook-server
combine-fqdn-annotation fqdn-template target-template fqdn-target-template kubeconfig request-timeout
kube-api-request-timeout kube-api-qps kube-api-burst provider source`.split(/\s+/);

test('every ExternalDNS v0.22 flag is defined, and every other flag is marked extdns-only', () => {
  const ours = flags.filter((f) => f.extdnsOnly !== true).map((f) => f.name).sort();
  assert.deepEqual(ours, [...EXTERNAL_DNS_FLAGS].sort());
});

test('names, config keys and env vars are unique', () => {
  for (const derive of [(n: string) => n, configKey, envVarName]) {
    const seen = flags.map((f) => derive(f.name));
    assert.equal(new Set(seen).size, seen.length);
  }
});

test('every flag belongs to a known group, has help and components', () => {
  const groups = new Set(GROUPS.map((g) => g.name));
  for (const f of flags) {
    assert.ok(groups.has(f.group), `${f.name}: group ${f.group}`);
    assert.ok(f.help.length > 10, f.name);
    assert.ok(f.components.length > 0, f.name);
    assert.equal(f.extdnsOnly === true, f.group.startsWith('extdns:') || f.name === 'tls-ca-mode', f.name);
  }
});

test('defaults have the kind of their flag, enum defaults are allowed values', () => {
  for (const f of flags) {
    const value = defaultValue(f);
    const expected = { bool: 'boolean', int: 'number', float: 'number', duration: 'number', string: 'string', enum: 'string' }[f.kind as string];
    if (expected === undefined) assert.ok(Array.isArray(value), f.name);
    else assert.equal(typeof value, expected, f.name);
    if (f.kind === 'enum' && f.required !== true) assert.ok(f.values?.includes(value as string), f.name);
  }
});

test('the secret flags are ExternalDNS\'s secure:"yes" fields', () => {
  assert.deepEqual(flags.filter((f) => f.secret === true).map((f) => f.name).sort(), [
    'aws-assume-role-external-id', 'exoscale-apikey', 'exoscale-apisecret', 'godaddy-api-key', 'godaddy-api-secret',
    'pdns-api-key', 'pihole-password', 'rfc2136-kerberos-password', 'rfc2136-tsig-secret', 'txt-encrypt-aes-key',
  ]);
});

test('v0.22 specifics: --policy required without default, GA annotation prefix', () => {
  const policy = flags.find((f) => f.name === 'policy');
  assert.equal(policy?.required, true);
  assert.equal(policy?.default, '');
  assert.equal(flags.find((f) => f.name === 'annotation-prefix')?.default, 'external-dns.kubernetes.io/');
  assert.deepEqual(flags.filter((f) => f.required === true).map((f) => f.name).sort(), ['policy', 'provider', 'source']);
});
