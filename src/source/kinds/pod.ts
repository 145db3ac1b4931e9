/**
 * Pod → endpoints (ExternalDNS `source/pod.go`).
 *
 * Names and targets, unless the `target` annotation overrides the targets:
 *   internal-hostname     → the pod IP
 *   hostname              → the ExternalIPs and IPv6 InternalIPs of the pod's node, whether
 *                           or not the pod uses the host network (as v0.22 does; checked
 *                           against its output, test/golden/scenario-plans.test.ts)
 *   --pod-source-domain   → `<pod name>.<domain>` with the pod IP
 *   --compatibility=kops-dns-controller: dns.alpha.kubernetes.io/internal like
 *                           internal-hostname, dns.alpha.kubernetes.io/external like hostname
 *   --fqdn-template       → the pod IP (or --target-template), for every pod; the names
 *                           above then count only with --combine-fqdn-annotation
 *   --fqdn-target-template → its `host:target` pairs, likewise
 * Pods without an IP yet (pending) make no records.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { AnnotationName, controllerMatches, hostnamesFrom, providerSpecificFrom, readAnnotations, targetsFrom, ttlFrom } from '../annotations.ts';
import { fields, resourceName, str, type KubeObject, type ObjectStore } from '../kube.ts';
import type { SourceWarning, TranslateOptions, Translation } from '../shapes.ts';
import { endpointsForHostname, runTemplate, templateTargets, withFqdnTargetTemplate } from './common.ts';
import { nodeAddresses } from './service-context.ts';
import { withOrigin } from '../origin.ts';

export const POD_RESOURCE_PREFIX = 'pod';

export const KOPS_EXTERNAL_ANNOTATION = 'dns.alpha.kubernetes.io/external';
export const KOPS_INTERNAL_ANNOTATION = 'dns.alpha.kubernetes.io/internal';

/** A name and where on the pod it came from (for `extdns explain`). */
interface PodName {
  host: string;
  origin: string;
}

interface PodNames {
  /** Names that point at the pod IP. */
  internal: PodName[];
  /** Names that point at the pod's node. */
  external: PodName[];
}

export function translatePod(pod: KubeObject, store: ObjectStore, options: TranslateOptions): Translation {
  const spec = fields(pod.spec);
  const hostNetwork = spec.hostNetwork === true;
  if (options.ignoreNonHostNetworkPods && !hostNetwork) return { endpoints: [], warnings: [] };
  const annotations = readAnnotations(pod.metadata.annotations, options.annotationPrefix);
  if (!controllerMatches(annotations)) return { endpoints: [], warnings: [] };
  const templated = options.fqdnTemplate !== undefined || options.fqdnTargetTemplate !== undefined;
  const names = podNames(pod, options);
  if (!templated && names.internal.length === 0 && names.external.length === 0) return { endpoints: [], warnings: [] };

  const warnings: SourceWarning[] = [];
  const resource = resourceName(POD_RESOURCE_PREFIX, pod);
  const properties = providerSpecificFrom(annotations);
  // v0.22 reads the TTL per record it makes: a pod that makes none (no IP, no node) gets no TTL warning.
  const ttlWarnings: SourceWarning[] = [];
  const base = { ttl: ttlFrom(annotations, resource, ttlWarnings), providerSpecific: properties.providerSpecific, setIdentifier: properties.setIdentifier, resource };
  const override = targetsFrom(annotations);
  const podIp = str(fields(pod.status).podIP);
  const podTargets = override.length > 0 ? override : podIp === '' ? [] : [podIp];
  const externalTargets = override.length > 0 ? podTargets : nodeTargets(pod, store, { resource, warnings });

  const annotated = [
    ...names.internal.flatMap(({ host, origin }) => withOrigin(endpointsForHostname({ ...base, hostname: host, targets: podTargets }), origin)),
    ...names.external.flatMap(({ host, origin }) => withOrigin(endpointsForHostname({ ...base, hostname: host, targets: externalTargets }), origin)),
  ];
  const endpoints = withFqdnTargetTemplate(annotated, pod, options, { ...base, warnings });
  // The fqdn template names every pod (unless --fqdn-target-template already did), with the pod IP or --target-template.
  if (options.combineFqdnAnnotation || endpoints.length === annotated.length) {
    endpoints.push(...fqdnTemplateEndpoints(pod, options, { base, override, podTargets, warnings }));
  }
  return { endpoints, warnings: endpoints.length === 0 ? warnings : [...ttlWarnings, ...warnings] };
}

function fqdnTemplateEndpoints(pod: KubeObject, options: TranslateOptions,
  ctx: { base: Omit<Parameters<typeof endpointsForHostname>[0], 'hostname' | 'targets'>; override: string[]; podTargets: string[]; warnings: SourceWarning[] }): Endpoint[] {
  if (options.fqdnTemplate === undefined) return [];
  const { resource } = ctx.base;
  const templateNames = runTemplate(options.fqdnTemplate, pod, { resource, warnings: ctx.warnings });
  if (templateNames.length === 0) return [];
  const targets = templateTargets({ annotated: ctx.override, own: () => ctx.podTargets });
  return withOrigin(templateNames.flatMap((hostname) => endpointsForHostname({ ...ctx.base, hostname, targets })), '--fqdn-template');
}

/** With --fqdn-template the template names every pod, and annotations count only with --combine-fqdn-annotation. */
function podNames(pod: KubeObject, options: TranslateOptions): PodNames {
  const template = options.fqdnTemplate;
  return template === undefined || options.combineFqdnAnnotation ? annotatedNames(pod, options) : { internal: [], external: [] };
}

function annotatedNames(pod: KubeObject, options: TranslateOptions): PodNames {
  const annotations = readAnnotations(pod.metadata.annotations, options.annotationPrefix);
  const annotated = (name: string): PodName[] => named(hostnamesFrom(annotations, name) ?? [], `annotation ${annotations.keyOf(name)}`);
  const internal = annotated(AnnotationName.internalHostname);
  const external = options.ignoreHostnameAnnotation ? [] : annotated(AnnotationName.hostname);
  if (options.compatibility === 'kops-dns-controller') {
    const kops = (key: string): PodName[] => named(splitNames(pod.metadata.annotations?.[key]), `annotation ${key} (--compatibility=kops-dns-controller)`);
    internal.push(...kops(KOPS_INTERNAL_ANNOTATION));
    external.push(...kops(KOPS_EXTERNAL_ANNOTATION));
  }
  if (options.podSourceDomain !== '') {
    internal.push({ host: `${pod.metadata.name}.${options.podSourceDomain.replace(/^\./, '')}`, origin: `metadata.name with --pod-source-domain=${options.podSourceDomain}` });
  }
  return { internal, external };
}

function named(hosts: readonly string[], origin: string): PodName[] {
  return hosts.map((host) => ({ host, origin }));
}

function splitNames(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.replace(/ /g, '').split(',').filter((h) => h !== '').map((h) => h.replace(/\.$/, ''));
}

/** ExternalIPs and IPv6 InternalIPs of the node the pod runs on. */
function nodeTargets(pod: KubeObject, store: ObjectStore, at: { resource: string; warnings: SourceWarning[] }): string[] {
  const nodeName = str(fields(pod.spec).nodeName);
  if (nodeName === '') return []; // not scheduled yet
  const node = store.list('Node').find((n) => n.metadata.name === nodeName);
  if (node === undefined) {
    at.warnings.push({ resource: at.resource, message: `node "${nodeName}" of this pod not found; no records for its hostname annotation` });
    return [];
  }
  return nodeAddresses(node)
    .filter((a) => a.type === 'ExternalIP' || (a.type === 'InternalIP' && a.address.includes(':')))
    .map((a) => a.address);
}
