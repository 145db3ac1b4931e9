/**
 * Ingress → endpoints (ExternalDNS `source/ingress.go`).
 *
 * Names: spec.rules[].host and spec.tls[].hosts ("defined hosts") plus the
 * `hostname` annotation; `ingress-hostname-source` picks `defined-hosts-only`
 * or `annotation-only`. Targets: the `target` annotation, else
 * status.loadBalancer.ingress[].ip/hostname. --ingress-class keeps only
 * ingresses whose spec.ingressClassName (or, without it, the
 * kubernetes.io/ingress.class annotation) is listed.
 */
import type { Endpoint } from '../../endpoint/endpoint.ts';
import {
  AnnotationName,
  controllerMatches,
  hostnamesFrom,
  providerSpecificFrom,
  readAnnotations,
  targetsFrom,
  ttlFrom,
} from '../annotations.ts';
import { fields, list, resourceName, str, strings, type KubeObject } from '../kube.ts';
import type { SourceWarning, TranslateOptions, Translation } from '../shapes.ts';
import { endpointsForHostname, runTemplate, templateTargets, type HostnameRecord } from './common.ts';
import { withOrigin } from '../origin.ts';

export const INGRESS_RESOURCE_PREFIX = 'ingress';
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

const HostnameSource = { definedHostsOnly: 'defined-hosts-only', annotationOnly: 'annotation-only' } as const;

/** False when --ingress-class is set and names neither the ingress's class nor its class annotation. */
export function ingressClassSelected(ing: KubeObject, options: TranslateOptions): boolean {
  if (options.ingressClasses.length === 0) return true;
  const className = str(fields(ing.spec).ingressClassName);
  if (className !== '') return options.ingressClasses.includes(className);
  const annotated = ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  return annotated !== undefined && options.ingressClasses.includes(annotated);
}

export function translateIngress(ing: KubeObject, options: TranslateOptions): Translation {
  const annotations = readAnnotations(ing.metadata.annotations, options.annotationPrefix);
  if (!controllerMatches(annotations) || !ingressClassSelected(ing, options)) return { endpoints: [], warnings: [] };
  const warnings: SourceWarning[] = [];
  const resource = resourceName(INGRESS_RESOURCE_PREFIX, ing);
  const targets = targetsFrom(annotations);
  const properties = providerSpecificFrom(annotations);
  const base: Omit<HostnameRecord, 'hostname'> = {
    targets: targets.length > 0 ? targets : statusTargets(ing),
    ttl: ttlFrom(annotations, resource, warnings),
    providerSpecific: properties.providerSpecific,
    setIdentifier: properties.setIdentifier,
    resource,
  };
  const forHosts = (hosts: readonly string[]): Endpoint[] => hosts.flatMap((hostname) => endpointsForHostname({ ...base, hostname }));

  const defined = definedHosts(ing, options).flatMap(({ host, origin }) => withOrigin(forHosts([host]), origin));
  const annotated = options.ignoreHostnameAnnotation ? []
    : withOrigin(forHosts(hostnamesFrom(annotations, AnnotationName.hostname) ?? []), `annotation ${annotations.keyOf(AnnotationName.hostname)}`);
  let endpoints: Endpoint[];
  const source = annotations.get(AnnotationName.ingressHostnameSource);
  switch (source?.toLowerCase()) {
    case undefined:
      endpoints = [...defined, ...annotated];
      break;
    case HostnameSource.definedHostsOnly:
      endpoints = defined;
      break;
    case HostnameSource.annotationOnly:
      endpoints = annotated;
      break;
    default:
      endpoints = [];
      warnings.push({
        resource,
        message: `annotation ${annotations.keyOf(AnnotationName.ingressHostnameSource)}: "${source ?? ''}" is not one of ${HostnameSource.definedHostsOnly}, ${HostnameSource.annotationOnly}; no records are made for this ingress`,
      });
  }

  // No --fqdn-target-template here: v0.22 runs it for Services, Nodes and Pods only (its output shows it).
  const at = { resource, warnings };
  const template = options.fqdnTemplate;
  if (template !== undefined && (options.combineFqdnAnnotation || endpoints.length === 0)) {
    const names = runTemplate(template, ing, at);
    const own = (): string[] => [...base.targets];
    const hostTargets = names.length > 0 ? templateTargets({ annotated: targets, own }) : [];
    endpoints = [...endpoints, ...withOrigin(names.flatMap((hostname) => endpointsForHostname({ ...base, targets: hostTargets, hostname })), '--fqdn-template')];
  }
  return { endpoints, warnings };
}

/** The hosts of the rules and the TLS entries, each with the field it came from. */
function definedHosts(ing: KubeObject, options: TranslateOptions): { host: string; origin: string }[] {
  const spec = fields(ing.spec);
  const hosts: { host: string; origin: string }[] = [];
  if (!options.ignoreIngressRulesSpec) {
    hosts.push(...list(spec.rules).map((rule, i) => ({ host: str(fields(rule).host), origin: `spec.rules[${i}].host` })));
  }
  if (!options.ignoreIngressTlsSpec) {
    hosts.push(...list(spec.tls).flatMap((tls, i) => strings(fields(tls).hosts).map((host, j) => ({ host, origin: `spec.tls[${i}].hosts[${j}]` }))));
  }
  return hosts.filter((h) => h.host !== '');
}

function statusTargets(ing: KubeObject): string[] {
  const targets: string[] = [];
  for (const lb of list(fields(fields(ing.status).loadBalancer).ingress)) {
    const entry = fields(lb);
    targets.push(...[str(entry.ip), str(entry.hostname)].filter((t) => t !== ''));
  }
  return targets;
}
