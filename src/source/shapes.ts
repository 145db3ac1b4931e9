/**
 * Shared shapes of the translation from Kubernetes objects to endpoints
 * (./kinds/*): the options it reads and the result it returns. Translation is
 * pure: it returns warnings instead of logging them, and the calling source
 * logs them.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import type { KubeObject } from './kube.ts';
import { EVERYTHING, type Selector } from './selector.ts';

export const DEFAULT_ANNOTATION_PREFIX = 'external-dns.kubernetes.io/';
/** The prefix of ExternalDNS up to v0.21, still read when the configured prefix is the default. */
export const LEGACY_ANNOTATION_PREFIX = 'external-dns.alpha.kubernetes.io/';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

/** What a template produced for one object: values, or why it failed. */
export interface TemplateResult {
  values: string[];
  error?: string;
}

/** A compiled template flag (see ./template-flags.ts): --fqdn-template, --target-template or --fqdn-target-template. */
export interface FqdnTemplate {
  readonly flag: string;
  evaluate(obj: KubeObject): TemplateResult;
  /** evaluate(obj).values; failures give none. */
  hostnames(obj: KubeObject): string[];
}

export interface TranslateOptions {
  /** --annotation-prefix; ends with "/". */
  readonly annotationPrefix: string;
  readonly ignoreHostnameAnnotation: boolean;
  readonly publishInternalServices: boolean;
  readonly publishHostIp: boolean;
  readonly alwaysPublishNotReadyAddresses: boolean;
  /** --service-type-filter; empty = every type. */
  readonly serviceTypeFilter: readonly string[];
  /** --exclude-unschedulable: NodePort services skip unschedulable nodes. */
  readonly excludeUnschedulable: boolean;
  /** --expose-internal-ipv6: public NodePort/NodeExternalIP targets include IPv6 InternalIPs. */
  readonly exposeInternalIpv6: boolean;
  readonly ignoreIngressTlsSpec: boolean;
  readonly ignoreIngressRulesSpec: boolean;
  /** --ingress-class; empty = every class. */
  readonly ingressClasses: readonly string[];
  readonly fqdnTemplate?: FqdnTemplate | undefined;
  /** --target-template: targets for the names --fqdn-template makes (the target annotation still wins). */
  readonly targetTemplate?: FqdnTemplate | undefined;
  /** --fqdn-target-template: `host:target` pairs, each typed A/AAAA/CNAME by its target. */
  readonly fqdnTargetTemplate?: FqdnTemplate | undefined;
  /** --combine-fqdn-annotation: template names are added to annotation names, not only used as fallback. */
  readonly combineFqdnAnnotation: boolean;
  /** --compatibility: `kops-dns-controller` also reads dns.alpha.kubernetes.io/{external,internal} on pods. */
  readonly compatibility: string;
  /** --pod-source-domain: every pod also gets `<pod name>.<domain>`; "" = off. */
  readonly podSourceDomain: string;
  /** --ignore-non-host-network-pods */
  readonly ignoreNonHostNetworkPods: boolean;
  /** --gateway-name: routes attach only to Gateways of this name; "" = any. */
  readonly gatewayName: string;
  /** --gateway-namespace: only Gateways in this namespace; "" = any. */
  readonly gatewayNamespace: string;
  /** --gateway-label-filter, parsed. */
  readonly gatewayLabelFilter: Selector;
  /** --gateway-listener-sets: ListenerSets are accepted as route parents. */
  readonly gatewayListenerSets: boolean;
}

export const DEFAULT_TRANSLATE_OPTIONS: TranslateOptions = {
  annotationPrefix: DEFAULT_ANNOTATION_PREFIX,
  ignoreHostnameAnnotation: false,
  publishInternalServices: false,
  publishHostIp: false,
  alwaysPublishNotReadyAddresses: false,
  serviceTypeFilter: [],
  excludeUnschedulable: true,
  exposeInternalIpv6: false,
  ignoreIngressTlsSpec: false,
  ignoreIngressRulesSpec: false,
  ingressClasses: [],
  combineFqdnAnnotation: false,
  compatibility: '',
  podSourceDomain: '',
  ignoreNonHostNetworkPods: false,
  gatewayName: '',
  gatewayNamespace: '',
  gatewayLabelFilter: EVERYTHING,
  gatewayListenerSets: false,
};

/** The defaults with `overrides` applied. */
export function translateOptions(overrides: Partial<TranslateOptions> = {}): TranslateOptions {
  return { ...DEFAULT_TRANSLATE_OPTIONS, ...overrides };
}

/** Something wrong with one object that did not stop its other records. */
export interface SourceWarning {
  /** `service/default/web` */
  readonly resource: string;
  readonly message: string;
}

export interface Translation {
  endpoints: Endpoint[];
  warnings: SourceWarning[];
}

export function formatWarning(w: SourceWarning): string {
  return `${w.resource}: ${w.message}`;
}
