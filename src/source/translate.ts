/**
 * The one entry point from Kubernetes objects to endpoints, shared by the
 * manifest source and the API-backed sources: pick the kind's translation,
 * run it per object, then merge each kind's records the way ExternalDNS's
 * source for that kind does.
 */
import type { Endpoint } from '../endpoint/endpoint.ts';
import { ExtdnsError } from '../errors/errors.ts';
import { SourceErrors } from './errors.ts';
import { DNSENDPOINT_API_VERSION, DNSENDPOINT_RESOURCE_PREFIX, translateDnsEndpoint } from './kinds/dnsendpoint.ts';
import { mergeEndpoints } from './kinds/common.ts';
import { INGRESS_CLASS_ANNOTATION, INGRESS_RESOURCE_PREFIX, translateIngress } from './kinds/ingress.ts';
import { mergeServiceEndpoints, SERVICE_RESOURCE_PREFIX, translateService } from './kinds/service.ts';
import type { KubeObject, ObjectStore } from './kube.ts';
import type { Selector } from './selector.ts';
import { SERVICE_TYPES, type TranslateOptions, type Translation } from './translation.ts';

export interface KindTranslator {
  readonly apiVersion: string;
  /** First part of the `resource` label (`service/ns/name`). */
  readonly resourcePrefix: string;
  translate(obj: KubeObject, store: ObjectStore, options: TranslateOptions): Translation;
  /** Joins the records of all objects of this kind. */
  merge(endpoints: readonly Endpoint[]): Endpoint[];
}

export const ENDPOINT_KINDS = {
  Service: {
    apiVersion: 'v1',
    resourcePrefix: SERVICE_RESOURCE_PREFIX,
    translate: translateService,
    merge: mergeServiceEndpoints,
  },
  Ingress: {
    apiVersion: 'networking.k8s.io/v1',
    resourcePrefix: INGRESS_RESOURCE_PREFIX,
    translate: (obj, _store, options) => translateIngress(obj, options),
    merge: mergeEndpoints,
  },
  DNSEndpoint: {
    apiVersion: DNSENDPOINT_API_VERSION,
    resourcePrefix: DNSENDPOINT_RESOURCE_PREFIX,
    translate: (obj) => translateDnsEndpoint(obj),
    merge: mergeEndpoints,
  },
} as const satisfies Record<string, KindTranslator>;

export type EndpointKind = keyof typeof ENDPOINT_KINDS;

export function isEndpointKind(kind: string): kind is EndpointKind {
  return Object.hasOwn(ENDPOINT_KINDS, kind);
}

/**
 * Endpoints of all `objects` (kinds without a translation are lookup data and
 * are ignored here). Kinds come out in the order Service, Ingress, DNSEndpoint.
 */
export function translateObjects(objects: readonly KubeObject[], store: ObjectStore, options: TranslateOptions): Translation {
  const out: Translation = { endpoints: [], warnings: [] };
  for (const [kind, translator] of Object.entries(ENDPOINT_KINDS) as [EndpointKind, KindTranslator][]) {
    const endpoints: Endpoint[] = [];
    for (const obj of objects) {
      if (obj.kind !== kind) continue;
      const t = translator.translate(obj, store, options);
      endpoints.push(...t.endpoints);
      out.warnings.push(...t.warnings);
    }
    out.endpoints.push(...translator.merge(endpoints));
  }
  return out;
}

/** Rejects option combinations ExternalDNS rejects at start-up. */
export function checkTranslateOptions(options: TranslateOptions, annotationFilter?: Selector): void {
  const fail = (message: string): never => {
    throw new ExtdnsError(SourceErrors.EXTDNS_SOURCE_OPTION_INVALID, message);
  };
  if (!options.annotationPrefix.endsWith('/')) {
    fail(`--annotation-prefix "${options.annotationPrefix}" must end with "/", e.g. "external-dns.kubernetes.io/"`);
  }
  for (const type of options.serviceTypeFilter) {
    if (type !== '' && !(SERVICE_TYPES as readonly string[]).includes(type)) {
      fail(`--service-type-filter "${type}" is not a service type; use one of ${SERVICE_TYPES.join(', ')}`);
    }
  }
  if (options.ingressClasses.length > 0 && annotationFilter?.requirements.some((r) => r.key === INGRESS_CLASS_ANNOTATION)) {
    fail(`--ingress-class cannot be combined with an --annotation-filter on ${INGRESS_CLASS_ANNOTATION}; use only one of them`);
  }
}
