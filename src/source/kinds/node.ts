/**
 * Node → endpoints (ExternalDNS `source/node.go`).
 *
 * Name: the node's name, or the --fqdn-template names (with
 * --combine-fqdn-annotation both). Targets: the `target` annotation, else
 * every ExternalIP (plus IPv6 InternalIPs with --expose-internal-ipv6), else,
 * without any ExternalIP, every InternalIP. One A and/or AAAA record per name.
 * Unschedulable nodes are left out with --exclude-unschedulable (the default).
 */
import { AnnotationName, controllerMatches, readAnnotations, targetsFrom, ttlFrom } from '../annotations.ts';
import { fields, type KubeObject } from '../kube.ts';
import type { SourceWarning, TranslateOptions, Translation } from '../translation.ts';
import { endpointsForHostname } from './common.ts';
import { nodeAddresses } from './service-context.ts';

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
  if (targets.length === 0) {
    const key = annotations.keyOf(AnnotationName.target);
    warnings.push({ resource, message: `node has no ExternalIP or InternalIP address; no record is made for it until it has one or a ${key} annotation` });
    return { endpoints: [], warnings };
  }
  const names = nodeNames(node, options);
  const endpoints = names.flatMap((hostname) =>
    endpointsForHostname({ hostname, targets, ttl, providerSpecific: [], setIdentifier: '', resource }),
  );
  return { endpoints, warnings };
}

function nodeNames(node: KubeObject, options: TranslateOptions): string[] {
  const template = options.fqdnTemplate;
  if (template === undefined) return [node.metadata.name];
  const names = template.hostnames(node);
  return options.combineFqdnAnnotation ? [...names, node.metadata.name] : names;
}
