/**
 * Node → endpoints (ExternalDNS `source/node.go`).
 *
 * Name: the node's name, or the --fqdn-template names, or the
 * --fqdn-target-template pairs (with --combine-fqdn-annotation all of them;
 * --target-template gives the targets of --fqdn-template names). Targets: the `target` annotation, else
 * every ExternalIP (plus IPv6 InternalIPs with --expose-internal-ipv6), else,
 * without any ExternalIP, every InternalIP. One A and/or AAAA record per name.
 * Unschedulable nodes are left out with --exclude-unschedulable (the default).
 */
import { AnnotationName, controllerMatches, readAnnotations, targetsFrom, ttlFrom } from '../annotations.ts';
import { fields, type KubeObject } from '../kube.ts';
import type { SourceWarning, TranslateOptions, Translation } from '../shapes.ts';
import type { Endpoint } from '../../endpoint/endpoint.ts';
import { endpointsForHostname, runTemplate, templateTargets, withFqdnTargetTemplate } from './common.ts';
import { nodeAddresses } from './service-context.ts';
import { withOrigin } from '../origin.ts';

export const NODE_RESOURCE_PREFIX = 'node';

/** `node/<name>`: nodes have no namespace. */
export function nodeResourceName(node: KubeObject): string {
  return `${NODE_RESOURCE_PREFIX}/${node.metadata.name}`;
}

export function isUnschedulable(node: KubeObject): boolean {
  return fields(node.spec).unschedulable === true;
}

/**
 * The addresses a node is published with: ExternalIPs (plus IPv6 InternalIPs
 * when `exposeInternalIpv6`), or all InternalIPs when it has no ExternalIP.
 */
export function nodePublicAddresses(node: KubeObject, exposeInternalIpv6: boolean): string[] {
  const addresses = nodeAddresses(node);
  const external = addresses.filter((a) => a.type === 'ExternalIP').map((a) => a.address);
  const internal = addresses.filter((a) => a.type === 'InternalIP').map((a) => a.address);
  if (external.length === 0) return internal;
  return exposeInternalIpv6 ? [...external, ...internal.filter((a) => a.includes(':'))] : external;
}

export function translateNode(node: KubeObject, options: TranslateOptions): Translation {
  const annotations = readAnnotations(node.metadata.annotations, options.annotationPrefix);
  if (!controllerMatches(annotations)) return { endpoints: [], warnings: [] };
  if (options.excludeUnschedulable && isUnschedulable(node)) return { endpoints: [], warnings: [] };
  const warnings: SourceWarning[] = [];
  const resource = nodeResourceName(node);
  const ttl = ttlFrom(annotations, resource, warnings);
  const annotated = targetsFrom(annotations);
  const targets = annotated.length > 0 ? annotated : nodePublicAddresses(node, options.exposeInternalIpv6);
  const record = (hostname: string, hostTargets: readonly string[]): Endpoint[] =>
    endpointsForHostname({ hostname, targets: hostTargets, ttl, providerSpecific: [], setIdentifier: '', resource });
  // The node's own name unless a name template (fqdn or fqdn-target) names it; both with --combine-fqdn-annotation.
  const nameTemplate = options.fqdnTemplate !== undefined || options.fqdnTargetTemplate !== undefined;
  const named = !nameTemplate || options.combineFqdnAnnotation ? withOrigin(record(node.metadata.name, targets), 'metadata.name') : [];
  let endpoints = withFqdnTargetTemplate(named, node, options, { resource, ttl, warnings });
  if (options.fqdnTemplate !== undefined && (options.combineFqdnAnnotation || endpoints.length === 0)) {
    const names = runTemplate(options.fqdnTemplate, node, { resource, warnings });
    const own = (): string[] => targets;
    const hostTargets = names.length > 0 ? templateTargets({ annotated, own }) : [];
    endpoints = [...endpoints, ...withOrigin(names.flatMap((hostname) => record(hostname, hostTargets)), '--fqdn-template')];
  }
  if (endpoints.length === 0 && targets.length === 0) {
    const key = annotations.keyOf(AnnotationName.target);
    warnings.push({ resource, message: `node has no ExternalIP or InternalIP address; no record is made for it until it has one or a ${key} annotation` });
  }
  return { endpoints, warnings };
}
