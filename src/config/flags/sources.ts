/** Flags of the Kubernetes client and of the sources (ExternalDNS v0.22 names and defaults). */

import type { FlagDef } from '../schema.ts';

/** Every --source value ExternalDNS v0.22 accepts (source/types/types.go), plus extdns's own. */
export const EXTERNAL_DNS_SOURCES = [
  'ambassador-host', 'connector', 'contour-httpproxy', 'crd', 'empty', 'f5-transportserver', 'f5-virtualserver',
  'fake', 'gateway-grpcroute', 'gateway-httproute', 'gateway-tcproute', 'gateway-tlsroute', 'gateway-udproute',
  'gloo-proxy', 'ingress', 'istio-gateway', 'istio-virtualservice', 'kong-tcpingress', 'node', 'openshift-route',
  'pod', 'service', 'skipper-routegroup', 'traefik-proxy', 'unstructured',
] as const;
export const EXTDNS_SOURCES = ['manifest'] as const;

const K = 'Kubernetes client';
export const KUBE_FLAGS = [
  { name: 'server', kind: 'string', default: '', group: K, components: ['kube'],
    help: 'URL of the Kubernetes API server; overrides the one in the kubeconfig' },
  { name: 'kubeconfig', kind: 'string', default: '', group: K, components: ['kube'],
    help: 'Path of a kubeconfig file. When empty: ~/.kube/config if it exists, else the in-cluster service account' },
  { name: 'request-timeout', kind: 'duration', default: '30s', group: K, components: ['kube'],
    deprecated: 'kube-api-request-timeout',
    help: 'Old name of --kube-api-request-timeout; a value other than 30s is copied there unless that flag is set too' },
  { name: 'kube-api-request-timeout', kind: 'duration', default: '30s', group: K, components: ['kube'],
    help: 'Time limit of each Kubernetes API request; 0s means none. Watches (--events) are never cut short' },
  { name: 'kube-api-qps', kind: 'int', default: 5, group: K, components: ['kube'],
    help: 'Steady number of requests per second sent to the Kubernetes API server; must be above 0' },
  { name: 'kube-api-burst', kind: 'int', default: 10, group: K, components: ['kube'],
    help: 'Number of requests that may be sent at once above --kube-api-qps; must be above 0' },
] as const satisfies readonly FlagDef[];

const S = 'Sources';
const T = 'Templates';
const SVC = 'Source: Service';
const ING = 'Source: Ingress';
const NP = 'Source: Node and Pod';
const GW = 'Source: Gateway API';
const CRD = 'Source: CRD and connector';
const OTH = 'Source: others';

export const SOURCE_FLAGS = [
  { name: 'source', kind: 'enums', default: [], group: S, components: ['source'], required: true, placeholder: 'SOURCE',
    values: [...EXTERNAL_DNS_SOURCES, ...EXTDNS_SOURCES],
    help: 'Kind of resource to read endpoints from; repeat the flag to read several kinds' },
  { name: 'namespace', kind: 'string', default: '', group: S, components: ['source'],
    help: 'Read resources of this namespace only; empty means every namespace' },
  { name: 'annotation-filter', kind: 'string', default: '', group: S, components: ['source'],
    help: 'Read only resources whose annotations match this selector (label selector syntax, e.g. "a=b,c!=d")' },
  { name: 'label-filter', kind: 'string', default: '', group: S, components: ['source'],
    help: 'Read only resources whose labels match this label selector; empty means every resource' },
  { name: 'annotation-prefix', kind: 'string', default: 'external-dns.kubernetes.io/', group: S, components: ['source'],
    help: 'Prefix of the annotations that are read; must end with "/". Up to v0.21 it was external-dns.alpha.kubernetes.io/: pass that to keep reading old annotations' },
  { name: 'compatibility', kind: 'enum', default: '', group: S, components: ['source'],
    values: ['', 'mate', 'molecule', 'kops-dns-controller'],
    help: 'Also understand the annotations of an older tool' },

  { name: 'fqdn-template', kind: 'strings', default: [], group: T, components: ['source'], placeholder: 'TEMPLATE',
    help: 'Go template that names resources which carry no hostname (with the fake source: the name suffix); repeat for several' },
  { name: 'target-template', kind: 'strings', default: [], group: T, components: ['source'], placeholder: 'TEMPLATE',
    help: 'Go template giving the targets (IPs or hostnames) of a resource, for sources that support it; repeat for several',
    unused: 'ExternalDNS v0.22 applies it only to its gloo, traefik, f5 and unstructured sources, which extdns does not have; Service, Ingress, Node, Pod and route names keep their own targets' },
  { name: 'fqdn-target-template', kind: 'strings', default: [], group: T, components: ['source'], placeholder: 'TEMPLATE',
    help: 'Go template giving comma-separated "hostname:target" pairs; repeat for several' },
  { name: 'combine-fqdn-annotation', kind: 'bool', default: false, group: T, components: ['source'],
    help: 'Add the names from --fqdn-template to those from annotations, instead of using templates only as a fallback' },
  { name: 'ignore-hostname-annotation', kind: 'bool', default: false, group: T, components: ['source'],
    help: 'Ignore hostname annotations and use --fqdn-template only (which must then be set)' },

  { name: 'publish-internal-services', kind: 'bool', default: false, group: SVC, components: ['source:service'],
    help: 'Also publish ClusterIP services, with their cluster IP' },
  { name: 'publish-host-ip', kind: 'bool', default: false, group: SVC, components: ['source:service'],
    help: 'For headless services, publish the host IP of each pod instead of its pod IP' },
  { name: 'always-publish-not-ready-addresses', kind: 'bool', default: false, group: SVC, components: ['source:service'],
    help: 'For headless services, also publish addresses of pods that are not ready' },
  { name: 'service-type-filter', kind: 'strings', default: [], group: SVC, components: ['source:service'], placeholder: 'TYPE',
    help: 'Publish only services of these types: ClusterIP, NodePort, LoadBalancer, ExternalName; repeat for several (none given: all)' },
  { name: 'resolve-service-load-balancer-hostname', kind: 'bool', default: false, group: SVC, components: ['source:service'],
    help: 'Resolve the hostname of a LoadBalancer service and publish A/AAAA records instead of a CNAME' },
  { name: 'listen-endpoint-events', kind: 'bool', default: false, group: SVC, components: ['source:service'],
    help: 'Also start a sync when the EndpointSlices of a service change' },

  { name: 'ingress-class', kind: 'strings', default: [], group: ING, components: ['source:ingress'], placeholder: 'CLASS',
    help: 'Read only Ingresses of this class (spec.ingressClassName or the kubernetes.io/ingress.class annotation); repeat for several (none given: any class)' },
  { name: 'ignore-ingress-tls-spec', kind: 'bool', default: false, group: ING, components: ['source:ingress'],
    help: 'Do not take hostnames from spec.tls of Ingresses' },
  { name: 'ignore-ingress-rules-spec', kind: 'bool', default: false, group: ING, components: ['source:ingress'],
    help: 'Do not take hostnames from spec.rules of Ingresses' },

  { name: 'exclude-unschedulable', kind: 'bool', default: true, group: NP, components: ['source:node'],
    help: 'Leave out nodes marked unschedulable' },
  { name: 'expose-internal-ipv6', kind: 'bool', default: false, group: NP, components: ['source:node'],
    help: 'Also publish the internal IPv6 addresses of nodes' },
  { name: 'ignore-non-host-network-pods', kind: 'bool', default: false, group: NP, components: ['source:pod'],
    help: 'Leave out pods that do not use the host network' },
  { name: 'pod-source-domain', kind: 'string', default: '', group: NP, components: ['source:pod'],
    help: 'Publish each pod as <pod name>.<this domain>' },

  { name: 'gateway-name', kind: 'string', default: '', group: GW, components: ['source:gateway'],
    help: 'Follow only routes attached to Gateways of this name; empty means any' },
  { name: 'gateway-namespace', kind: 'string', default: '', group: GW, components: ['source:gateway'],
    help: 'Follow only routes attached to Gateways in this namespace; empty means any' },
  { name: 'gateway-label-filter', kind: 'string', default: '', group: GW, components: ['source:gateway'],
    help: 'Follow only routes attached to Gateways whose labels match this selector; empty means any' },
  { name: 'gateway-listener-sets', kind: 'bool', default: false, group: GW, components: ['source:gateway'],
    help: 'Also accept ListenerSets as route parents (needs Gateway API v1.5 CRDs)' },

  { name: 'crd-source-apiversion', kind: 'string', default: 'externaldns.k8s.io/v1alpha1', group: CRD, components: ['source:crd'],
    unused: 'ExternalDNS v0.22 ignores it too: the crd source always reads externaldns.k8s.io/v1alpha1 DNSEndpoint',
    help: 'API version of the DNSEndpoint resource read by the crd source' },
  { name: 'crd-source-kind', kind: 'string', default: 'DNSEndpoint', group: CRD, components: ['source:crd'],
    unused: 'ExternalDNS v0.22 ignores it too: the crd source always reads externaldns.k8s.io/v1alpha1 DNSEndpoint',
    help: 'Kind of the resource read by the crd source' },
  { name: 'default-targets', kind: 'strings', default: [], group: CRD, components: ['source'], placeholder: 'TARGET',
    help: 'Targets given to DNSEndpoint records that list none; repeat for several' },
  { name: 'force-default-targets', kind: 'bool', default: false, group: CRD, components: ['source'],
    help: 'Deprecated legacy behaviour: replace the targets of every endpoint with --default-targets' },
  { name: 'connector-source-server', kind: 'string', default: 'localhost:8080', group: CRD, components: ['source:connector'],
    help: 'host:port of the server the connector source reads endpoints from' },

  { name: 'gloo-namespace', kind: 'strings', default: ['gloo-system'], group: OTH, components: ['source:gloo-proxy'], placeholder: 'NAMESPACE',
    help: 'Namespace of the Gloo proxies; repeat for several' },
  { name: 'skipper-routegroup-groupversion', kind: 'string', default: 'zalando.org/v1', group: OTH, components: ['source:skipper-routegroup'],
    help: 'API group/version of Skipper RouteGroups' },
  { name: 'openshift-router-name', kind: 'string', default: '', group: OTH, components: ['source:openshift-route'],
    help: 'Use the canonical hostname of this router from the Route status as the CNAME target' },
  { name: 'traefik-enable-legacy', kind: 'bool', default: false, group: OTH, components: ['source:traefik-proxy'],
    help: 'Also read Traefik resources of the old traefik.containo.us API group' },
  { name: 'traefik-disable-new', kind: 'bool', default: false, group: OTH, components: ['source:traefik-proxy'],
    help: 'Do not read Traefik resources of the traefik.io API group' },
  { name: 'unstructured-resource', kind: 'strings', default: [], group: OTH, components: ['source:unstructured'], placeholder: 'RESOURCE',
    help: 'Resource read by the unstructured source, as resource.version.group (e.g. configmap.v1); repeat for several' },
] as const satisfies readonly FlagDef[];
