/**
 * The source table: every `--source` name extdns supports, each with the one
 * function that picks its options out of the whole config. Sources never see
 * the config itself.
 */
import type { Config } from '../config/schema.ts';
import type { KubeClient } from '../kube/client.ts';
import type { InformerHub } from '../kube/informer-hub.ts';
import type { Logger } from '../log/logger.ts';
import { createApiSource } from './api.ts';
import type { Clock } from '../util/clock.ts';
import { createManifestSource } from './manifest.ts';
import type { Source } from './source.ts';
import { parseSelector } from './selector.ts';
import { compileTemplate } from './template-flags.ts';
import { translateOptions, type TranslateOptions } from './shapes.ts';
import { SOURCE_KINDS, type KubeSourceName } from './translate.ts';

/** The Kubernetes connection and its shared watch caches, made once on first use. */
export interface KubeAccess {
  readonly client: KubeClient;
  readonly hub: InformerHub;
}

export interface SourceDeps {
  logger: Logger;
  clock: Clock;
  /** Present when a source needs the Kubernetes API (the CLI connects lazily). */
  kube?: (() => KubeAccess) | undefined;
}

export interface SourceDescriptor {
  readonly name: string;
  readonly description: string;
  create(config: Config, deps: SourceDeps): Source;
}

/** The translation flags every Kubernetes-object source shares. */
export function translateOptionsFrom(config: Config): TranslateOptions {
  return translateOptions({
    annotationPrefix: config.annotationPrefix,
    ignoreHostnameAnnotation: config.ignoreHostnameAnnotation,
    publishInternalServices: config.publishInternalServices,
    publishHostIp: config.publishHostIp,
    alwaysPublishNotReadyAddresses: config.alwaysPublishNotReadyAddresses,
    serviceTypeFilter: config.serviceTypeFilter,
    excludeUnschedulable: config.excludeUnschedulable,
    exposeInternalIpv6: config.exposeInternalIpv6,
    ignoreIngressTlsSpec: config.ignoreIngressTlsSpec,
    ignoreIngressRulesSpec: config.ignoreIngressRulesSpec,
    ingressClasses: config.ingressClass,
    fqdnTemplate: compileTemplate('--fqdn-template', config.fqdnTemplate),
    targetTemplate: compileTemplate('--target-template', config.targetTemplate),
    fqdnTargetTemplate: compileTemplate('--fqdn-target-template', config.fqdnTargetTemplate),
    combineFqdnAnnotation: config.combineFqdnAnnotation,
    compatibility: config.compatibility,
    podSourceDomain: config.podSourceDomain,
    ignoreNonHostNetworkPods: config.ignoreNonHostNetworkPods,
    gatewayName: config.gatewayName,
    gatewayNamespace: config.gatewayNamespace,
    gatewayLabelFilter: parseSelector(config.gatewayLabelFilter, '--gateway-label-filter'),
    gatewayListenerSets: config.gatewayListenerSets,
  });
}

/** What each Kubernetes source publishes, for --help and docs. */
const API_SOURCE_DESCRIPTIONS: Readonly<Record<KubeSourceName, string>> = {
  service: 'Services (LoadBalancer status, NodePort node addresses, ClusterIP, headless via EndpointSlices, ExternalName)',
  ingress: 'Ingresses (rules and TLS hosts; targets from the load-balancer status)',
  crd: 'DNSEndpoint custom resources (externaldns.k8s.io/v1alpha1), records taken verbatim',
  node: 'Nodes (their external, or else internal, addresses)',
  pod: 'Pods with hostname annotations, or all with --pod-source-domain',
  'gateway-httproute': 'Gateway API HTTPRoutes accepted by their Gateways',
  'gateway-grpcroute': 'Gateway API GRPCRoutes accepted by their Gateways',
  'gateway-tlsroute': 'Gateway API TLSRoutes accepted by their Gateways',
  'gateway-tcproute': 'Gateway API TCPRoutes accepted by their Gateways (names from annotations)',
  'gateway-udproute': 'Gateway API UDPRoutes accepted by their Gateways (names from annotations)',
};

function apiSource(name: KubeSourceName): SourceDescriptor {
  return {
    name,
    description: `${API_SOURCE_DESCRIPTIONS[name]}, watched through the Kubernetes API`,
    create: (config, deps) => {
      if (deps.kube === undefined) throw new Error(`internal: source ${name} needs the Kubernetes API but was given no connection`);
      const kube = deps.kube();
      return createApiSource({
        name,
        translate: translateOptionsFrom(config),
        namespace: config.namespace,
        labelFilter: config.labelFilter,
        annotationFilter: config.annotationFilter,
        resolveLoadBalancerHostname: config.resolveServiceLoadBalancerHostname,
        listenEndpointEvents: config.listenEndpointEvents,
      }, { hub: kube.hub, client: kube.client, logger: deps.logger });
    },
  };
}

export const SOURCES: Readonly<Record<string, SourceDescriptor>> = {
  manifest: {
    name: 'manifest',
    description: 'Kubernetes objects (Service, Ingress, DNSEndpoint, Pod, Gateway API routes, and the Nodes, EndpointSlices, Gateways, ListenerSets and Namespaces they refer to) read from YAML or JSON files',
    create: (config, deps) =>
      createManifestSource({
        paths: config.manifestPath,
        translate: translateOptionsFrom(config),
        namespace: config.namespace,
        labelFilter: config.labelFilter,
        annotationFilter: config.annotationFilter,
      }, { logger: deps.logger }),
  },
  ...Object.fromEntries((Object.keys(SOURCE_KINDS) as KubeSourceName[]).map((name) => [name, apiSource(name)])),
};

/** Sources that read the Kubernetes API (the CLI connects only when one is configured). */
export function needsKubernetes(sources: readonly string[]): boolean {
  return sources.some((s) => Object.hasOwn(SOURCE_KINDS, s));
}

export const SUPPORTED_SOURCES: readonly string[] = Object.keys(SOURCES);
