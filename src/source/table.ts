/**
 * The source table: every `--source` name extdns supports, each with the one
 * function that picks its options out of the whole config. Sources never see
 * the config itself.
 */
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import type { Clock } from '../util/clock.ts';
import { createManifestSource } from './manifest.ts';
import type { Source } from './source.ts';
import { parseSelector } from './selector.ts';
import { compileFqdnTemplate } from './template.ts';
import { translateOptions, type TranslateOptions } from './translation.ts';

export interface SourceDeps {
  logger: Logger;
  clock: Clock;
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
    fqdnTemplate: compileFqdnTemplate(config.fqdnTemplate),
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
};

export const SUPPORTED_SOURCES: readonly string[] = Object.keys(SOURCES);
